import { describe, expect, test } from "vitest";
import { importProviderSchema } from "../../src/policy/provider-schema/import.js";
import { resolvedKind, resolvePath } from "../../src/policy/provider-schema/resolve.js";
import { editDistance, suggestNames } from "../../src/policy/provider-schema/suggest.js";
import { AWS_SUBSET, blockOf, GOOGLE_SUBSET } from "./helpers.js";

const aws = (type: string) => blockOf(AWS_SUBSET, type);
const google = (type: string) => blockOf(GOOGLE_SUBSET, type);

describe("resolvePath on AWS types", () => {
  test("versioning_configuration[0].status on aws_s3_bucket_versioning", () => {
    expect(resolvePath(aws("aws_s3_bucket_versioning"), ["versioning_configuration", 0, "status"])).toEqual({
      ok: true,
      kind: "attribute",
      type: "string",
      sensitive: false,
      computed: false,
    });
  });

  test("rule[*].apply_server_side_encryption_by_default[0].sse_algorithm through a set block", () => {
    const path = ["rule", "*", "apply_server_side_encryption_by_default", 0, "sse_algorithm"];
    const result = resolvePath(aws("aws_s3_bucket_server_side_encryption_configuration"), path);
    expect(result).toMatchObject({ ok: true, kind: "attribute", type: "string" });
  });

  test("a block without its index is block-needs-index at the block's step", () => {
    expect(resolvePath(aws("aws_s3_bucket_versioning"), ["versioning_configuration", "status"])).toEqual({
      ok: false,
      error: "block-needs-index",
      at: 0,
      name: "versioning_configuration",
    });
    const sse = aws("aws_s3_bucket_server_side_encryption_configuration");
    expect(resolvePath(sse, ["rule", 0, "apply_server_side_encryption_by_default", "sse_algorithm"])).toEqual(
      {
        ok: false,
        error: "block-needs-index",
        at: 2,
        name: "apply_server_side_encryption_by_default",
      },
    );
  });

  test("a misspelt name is unknown-attribute with did-you-mean", () => {
    expect(resolvePath(aws("aws_s3_bucket_versioning"), ["versoning_configuration", 0, "status"])).toEqual({
      ok: false,
      error: "unknown-attribute",
      at: 0,
      name: "versoning_configuration",
      suggestions: ["versioning_configuration"],
    });
    const inner = resolvePath(aws("aws_s3_bucket_versioning"), ["versioning_configuration", 0, "stauts"]);
    expect(inner).toMatchObject({ ok: false, error: "unknown-attribute", at: 2, suggestions: ["status"] });
    const far = resolvePath(aws("aws_s3_bucket_versioning"), ["completely_unrelated"]);
    expect(far).toMatchObject({ ok: false, error: "unknown-attribute", suggestions: [] });
  });

  test("the path may end at a block: the collection, or one element after an index", () => {
    const bucket = aws("aws_s3_bucket_versioning");
    const collection = resolvePath(bucket, ["versioning_configuration"]);
    expect(collection).toMatchObject({
      ok: true,
      kind: "block",
      nesting: "list",
      element: false,
      minItems: 1,
      maxItems: 1,
    });
    expect(resolvedKind(collection)).toBe("list");
    const element = resolvePath(bucket, ["versioning_configuration", 0]);
    expect(element).toMatchObject({ ok: true, kind: "block", element: true });
    expect(resolvedKind(element)).toBe("object");
  });

  test("single blocks are entered by name, without an index", () => {
    const bucket = aws("aws_s3_bucket");
    expect(resolvePath(bucket, ["timeouts", "create"])).toMatchObject({
      ok: true,
      kind: "attribute",
      type: "string",
    });
    expect(resolvePath(bucket, ["timeouts", 0])).toEqual({ ok: false, error: "not-indexable", at: 1 });
    expect(resolvedKind(resolvePath(bucket, ["timeouts"]))).toBe("object");
  });

  test("collection attributes: maps by key, sets and lists by index; scalars cannot be indexed", () => {
    const bucket = aws("aws_s3_bucket");
    expect(resolvePath(bucket, ["tags", "Environment"])).toMatchObject({ ok: true, type: "string" });
    expect(resolvePath(bucket, ["tags", "*"])).toMatchObject({ ok: true, type: "string" });
    expect(resolvePath(bucket, ["tags", 0])).toEqual({ ok: false, error: "not-indexable", at: 1 });
    expect(resolvePath(bucket, ["bucket", 0])).toEqual({ ok: false, error: "not-indexable", at: 1 });
    expect(resolvePath(bucket, ["bucket", "x"])).toEqual({ ok: false, error: "not-indexable", at: 1 });
    const role = aws("aws_iam_role");
    expect(resolvePath(role, ["managed_policy_arns", "*"])).toMatchObject({ ok: true, type: "string" });
    expect(resolvePath(role, ["managed_policy_arns"])).toMatchObject({ ok: true, type: ["set", "string"] });
    expect(resolvePath(role, ["managed_policy_arns", "x"])).toMatchObject({
      ok: false,
      error: "block-needs-index",
      at: 0,
    });
    expect(resolvePath(role, [0])).toEqual({ ok: false, error: "not-indexable", at: 0 });
  });

  test("sensitive and computed come from the attribute", () => {
    const key = aws("aws_iam_access_key");
    expect(resolvePath(key, ["secret"])).toMatchObject({ ok: true, sensitive: true, computed: true });
    expect(resolvePath(key, ["user"])).toMatchObject({ ok: true, sensitive: false, computed: false });
  });

  test("numbers and bools keep their types, so the compiler can reject a number compared with a string", () => {
    expect(resolvedKind(resolvePath(aws("aws_iam_role"), ["max_session_duration"]))).toBe("number");
    expect(resolvedKind(resolvePath(aws("aws_s3_bucket"), ["force_destroy"]))).toBe("bool");
    expect(resolvedKind(resolvePath(aws("aws_s3_bucket"), ["nope"]))).toBeUndefined();
  });

  test("data sources resolve like resources", () => {
    const doc = blockOf(AWS_SUBSET, "aws_iam_policy_document", "data");
    expect(resolvePath(doc, ["json"])).toMatchObject({ ok: true, type: "string" });
    expect(resolvePath(doc, ["statement", "*", "actions", "*"])).toMatchObject({ ok: true, type: "string" });
  });
});

describe("resolvePath on google_storage_bucket", () => {
  const bucket = google("google_storage_bucket");
  test.each([
    [["versioning", 0, "enabled"], "bool"],
    [["uniform_bucket_level_access"], "bool"],
    [["public_access_prevention"], "string"],
    [["lifecycle_rule", "*", "action", 0, "type"], "string"],
    [["lifecycle_rule", 3, "condition", 0, "age"], "number"],
    [["labels", "env"], "string"],
    [["retention_policy", 0, "is_locked"], "bool"],
  ] as const)("%j is a %s", (path, kind) => {
    expect(resolvedKind(resolvePath(bucket, path))).toBe(kind);
  });

  test("errors name the step", () => {
    expect(resolvePath(bucket, ["versioning", "enabled"])).toMatchObject({
      error: "block-needs-index",
      name: "versioning",
    });
    expect(resolvePath(bucket, ["uniform_bucket_access"])).toMatchObject({
      error: "unknown-attribute",
      suggestions: ["uniform_bucket_level_access"],
    });
  });
});

describe("resolvePath through protocol 6 nested types, objects, tuples and dynamic values", () => {
  const block = importProviderSchema({
    format_version: "1.0",
    provider_schemas: {
      "x/y/acme": {
        resource_schemas: {
          acme_thing: {
            version: 0,
            block: {
              attributes: {
                rules: {
                  optional: true,
                  nested_type: {
                    nesting_mode: "list",
                    attributes: {
                      name: { type: "string", required: true },
                      token: { type: "string", optional: true, sensitive: true },
                    },
                  },
                },
                by_name: {
                  optional: true,
                  nested_type: {
                    nesting_mode: "map",
                    attributes: { port: { type: "number", required: true } },
                  },
                },
                endpoint: { type: ["object", { host: "string", port: "number" }], optional: true },
                pair: { type: ["tuple", ["string", "number"]], optional: true },
                extra: { type: "dynamic", optional: true },
              },
              block_types: {
                settings: {
                  nesting_mode: "group",
                  block: { attributes: { on: { type: "bool", optional: true } } },
                },
                zones: {
                  nesting_mode: "map",
                  block: { attributes: { size: { type: "number", optional: true } } },
                },
              },
            },
          },
        },
      },
    },
  }).providers[0]!.resources[0]!.block;

  test("nested list attributes need an index and carry their attributes' flags", () => {
    expect(resolvePath(block, ["rules", 0, "token"])).toMatchObject({
      ok: true,
      type: "string",
      sensitive: true,
    });
    expect(resolvePath(block, ["rules", "*", "name"])).toMatchObject({
      ok: true,
      type: "string",
      sensitive: false,
    });
    expect(resolvePath(block, ["rules", "name"])).toMatchObject({
      ok: false,
      error: "block-needs-index",
      name: "rules",
    });
    expect(resolvePath(block, ["rules", 0, "nme"])).toMatchObject({
      error: "unknown-attribute",
      at: 2,
      suggestions: ["name"],
    });
    expect(resolvedKind(resolvePath(block, ["rules"]))).toBe("list");
    expect(resolvePath(block, ["by_name", "web", "port"])).toMatchObject({ ok: true, type: "number" });
  });

  test("object, tuple and dynamic values", () => {
    expect(resolvePath(block, ["endpoint", "port"])).toMatchObject({ ok: true, type: "number" });
    expect(resolvePath(block, ["endpoint", "hots"])).toMatchObject({
      error: "unknown-attribute",
      suggestions: ["host"],
    });
    expect(resolvePath(block, ["endpoint", 0])).toEqual({ ok: false, error: "not-indexable", at: 1 });
    expect(resolvePath(block, ["pair", 1])).toMatchObject({ ok: true, type: "number" });
    expect(resolvePath(block, ["pair", 2])).toEqual({ ok: false, error: "not-indexable", at: 1 });
    expect(resolvePath(block, ["pair", "*"])).toEqual({ ok: true, kind: "any" });
    expect(resolvePath(block, ["extra", "a", 3, "b"])).toEqual({ ok: true, kind: "any" });
    expect(resolvedKind(resolvePath(block, ["extra"]))).toBe("dynamic");
  });

  test("group blocks by name; map blocks by key", () => {
    expect(resolvePath(block, ["settings", "on"])).toMatchObject({ ok: true, type: "bool" });
    expect(resolvePath(block, ["zones", "eu", "size"])).toMatchObject({ ok: true, type: "number" });
    expect(resolvePath(block, ["zones", 0])).toEqual({ ok: false, error: "not-indexable", at: 1 });
    expect(resolvedKind(resolvePath(block, ["zones"]))).toBe("map");
    expect(resolvedKind(resolvePath(block, []))).toBe("object");
  });
});

describe("did-you-mean", () => {
  test("edit distance", () => {
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });

  test("at most three, closest first, nothing far-fetched", () => {
    expect(suggestNames("tag", ["tags", "tags_all", "arn", "bucket"])).toEqual(["tags"]);
    expect(suggestNames("tagz", ["tags", "tags_all", "arn", "bucket"])).toEqual(["tags"]);
    expect(suggestNames("acl", ["a1", "a2", "a3", "a4", "acx"])).toEqual(["acx", "a1", "a2"]);
    expect(suggestNames("versioning", ["policy", "grant"])).toEqual([]);
  });
});
