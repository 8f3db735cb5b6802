import { describe, expect, test } from "vitest";
import { InputError } from "../../src/plan/types.js";
import { attributeType, scalarKind } from "../../src/policy/provider-schema/cty.js";
import { importProviderSchema, providerShortName } from "../../src/policy/provider-schema/import.js";
import { AWS_SUBSET, blockOf, GOOGLE_SUBSET, imported } from "./helpers.js";

describe("importProviderSchema on the shipped subsets", () => {
  test("aws: every resource type and data source, under the short name", () => {
    const result = imported(AWS_SUBSET);
    expect(result.formatVersion).toBe("1.0");
    expect(result.providers.map((p) => p.name)).toEqual(["aws"]);
    const aws = result.providers[0]!;
    expect(aws.source).toBe("registry.terraform.io/hashicorp/aws");
    expect(aws.resources).toHaveLength(99);
    expect(aws.dataSources.map((d) => d.type)).toEqual([
      "aws_caller_identity",
      "aws_iam_policy",
      "aws_iam_policy_document",
      "aws_iam_role",
      "aws_kms_key",
      "aws_s3_bucket",
    ]);
    expect(aws.resources.every((r) => r.mode === "managed" && r.provider === aws.source)).toBe(true);
    expect(aws.dataSources.every((r) => r.mode === "data")).toBe(true);
  });

  test("aws: blocks keep nesting and item counts; attributes keep type and flags, not description_kind", () => {
    const versioning = blockOf(AWS_SUBSET, "aws_s3_bucket_versioning");
    expect(versioning.block_types.versioning_configuration).toMatchObject({
      nesting_mode: "list",
      min_items: 1,
      max_items: 1,
    });
    expect(versioning.attributes.bucket).toEqual({ type: "string", required: true });
    expect(versioning.attributes.id).toEqual({ type: "string", optional: true, computed: true });
    expect(blockOf(AWS_SUBSET, "aws_s3_bucket").block_types.timeouts?.nesting_mode).toBe("single");
    const key = blockOf(AWS_SUBSET, "aws_iam_access_key");
    expect(key.attributes.secret).toMatchObject({ type: "string", computed: true, sensitive: true });
    expect(blockOf(AWS_SUBSET, "aws_s3_bucket").attributes.tags).toEqual({
      type: ["map", "string"],
      optional: true,
    });
  });

  test("google: the storage subset", () => {
    const google = imported(GOOGLE_SUBSET).providers[0]!;
    expect(google.name).toBe("google");
    expect(google.resources.map((r) => r.type)).toContain("google_storage_bucket");
    expect(google.resources).toHaveLength(7);
    expect(google.dataSources).toEqual([]);
    const bucket = blockOf(GOOGLE_SUBSET, "google_storage_bucket");
    expect(bucket.block_types.versioning?.nesting_mode).toBe("list");
    expect(bucket.attributes.location).toMatchObject({ type: "string", required: true });
  });
});

describe("importProviderSchema on other shapes", () => {
  test("protocol 6 nested_type attributes, group blocks and format 0.x with legacy provider keys", () => {
    const result = importProviderSchema({
      format_version: "0.2",
      provider_schemas: {
        example: {
          resource_schemas: {
            example_thing: {
              version: 3,
              block: {
                attributes: {
                  rules: {
                    nested_type: {
                      nesting_mode: "list",
                      attributes: {
                        name: { type: "string", required: true },
                        token: { type: "string", optional: true, sensitive: true },
                      },
                    },
                    optional: true,
                  },
                  mixed: { type: ["object", { a: "string", b: "number" }, ["b"]], optional: true },
                },
                block_types: {
                  settings: {
                    nesting_mode: "group",
                    block: { attributes: { on: { type: "bool", optional: true } } },
                  },
                },
              },
            },
          },
        },
      },
    });
    const thing = result.providers[0]!.resources[0]!;
    expect(result.providers[0]!.name).toBe("example");
    expect(thing.version).toBe(3);
    expect(thing.block.attributes.rules?.nested_type?.nesting_mode).toBe("list");
    expect(attributeType(thing.block.attributes.rules!)).toEqual([
      "list",
      ["object", { name: "string", token: "string" }, ["token"]],
    ]);
    expect(thing.block.attributes.mixed?.type).toEqual(["object", { a: "string", b: "number" }, ["b"]]);
    expect(thing.block.block_types.settings?.nesting_mode).toBe("group");
  });

  test("short names come from the last segment of the source address", () => {
    expect(providerShortName("registry.terraform.io/hashicorp/aws")).toBe("aws");
    expect(providerShortName("registry.opentofu.org/hashicorp/google")).toBe("google");
    expect(providerShortName("terraform.io/builtin/terraform")).toBe("terraform");
    expect(providerShortName("aws")).toBe("aws");
  });

  test("a document without providers imports as empty", () => {
    expect(importProviderSchema({ format_version: "1.0" })).toEqual({ formatVersion: "1.0", providers: [] });
  });

  test("scalarKind names the first level of a type", () => {
    expect(scalarKind("string")).toBe("string");
    expect(scalarKind("dynamic")).toBe("dynamic");
    expect(scalarKind(["set", "string"])).toBe("set");
    expect(scalarKind(["object", { a: "number" }])).toBe("object");
    expect(scalarKind(["tuple", ["string", "bool"]])).toBe("tuple");
  });
});

describe("invalid input is a one-line InputError naming the JSON Pointer", () => {
  const wrap = (attributes: unknown) => ({
    format_version: "1.0",
    provider_schemas: {
      "registry.terraform.io/acme/x": { resource_schemas: { x_y: { version: 0, block: { attributes } } } },
    },
  });
  const base = "/provider_schemas/registry.terraform.io~1acme~1x/resource_schemas/x_y/block";
  const cases: [string, unknown, string, RegExp][] = [
    ["not an object", [1], "/", /JSON object/],
    ["no format_version", { provider_schemas: {} }, "/format_version", /missing/],
    ["format_version 2.0", { format_version: "2.0" }, "/format_version", /unsupported .*"2\.0"/],
    [
      "provider_schemas a list",
      { format_version: "1.0", provider_schemas: [] },
      "/provider_schemas",
      /object/,
    ],
    [
      "unknown cty type",
      wrap({ a: { type: "strng" } }),
      `${base}/attributes/a/type`,
      /unknown cty type "strng"/,
    ],
    ["bad list element", wrap({ a: { type: ["list", 3] } }), `${base}/attributes/a/type/1`, /cty type/],
    ["type and nested_type", wrap({ a: {} }), `${base}/attributes/a`, /exactly one of type and nested_type/],
    [
      "flag not boolean",
      wrap({ a: { type: "string", optional: "yes" } }),
      `${base}/attributes/a/optional`,
      /boolean/,
    ],
    [
      "bad nesting_mode",
      {
        format_version: "1.0",
        provider_schemas: {
          p: {
            data_source_schemas: {
              p_d: { block: { block_types: { b: { nesting_mode: "tuple", block: {} } } } },
            },
          },
        },
      },
      "/provider_schemas/p/data_source_schemas/p_d/block/block_types/b/nesting_mode",
      /unknown nesting_mode "tuple"/,
    ],
    [
      "negative max_items",
      {
        format_version: "1.0",
        provider_schemas: {
          p: {
            resource_schemas: {
              p_r: { block: { block_types: { b: { nesting_mode: "list", block: {}, max_items: -1 } } } },
            },
          },
        },
      },
      "/provider_schemas/p/resource_schemas/p_r/block/block_types/b/max_items",
      /non-negative integer/,
    ],
    [
      "two providers with one short name",
      { format_version: "1.0", provider_schemas: { "a/hashicorp/aws": {}, "b/other/aws": {} } },
      "/provider_schemas/b~1other~1aws",
      /share the short name "aws"/,
    ],
  ];
  test.each(cases)("%s", (_name, doc, where, message) => {
    let error: unknown;
    try {
      importProviderSchema(doc);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    const input = error as InputError;
    expect(input.where).toBe(where);
    expect(input.message).toMatch(message);
    expect(input.oneLine()).not.toContain("\n");
  });
});
