import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { InputError } from "../../src/plan/types.js";
import { defaultSchemaDir, loadSchemaIndex, providerOfType } from "../../src/policy/provider-schema/index.js";
import { resolvePath } from "../../src/policy/provider-schema/resolve.js";

describe("loadSchemaIndex over the shipped schemas", () => {
  const index = loadSchemaIndex();

  test("the default directory is the package's schemas/providers", () => {
    expect(index.dir).toBe(defaultSchemaDir());
    expect(defaultSchemaDir().replace(/\\/g, "/")).toMatch(/\/schemas\/providers\/$/);
  });

  test("providers are known by the prefix of a type", () => {
    expect(providerOfType("aws_s3_bucket")).toBe("aws");
    expect(providerOfType("terraform_data")).toBe("terraform");
    expect(index.knowsProvider("aws_s3_bucket")).toBe(true);
    expect(index.knowsProvider("aws_not_a_real_type")).toBe(true);
    expect(index.knowsProvider("google_storage_bucket")).toBe(true);
    expect(index.knowsProvider("terraform_data")).toBe(true);
    expect(index.knowsProvider("azurerm_storage_account")).toBe(false);
    expect(index.knowsProvider("../aws_x")).toBe(false);
    expect(index.knowsProvider("")).toBe(false);
  });

  test("resource and data source schemas, by mode", () => {
    const bucket = index.resourceSchema("aws_s3_bucket", "managed");
    expect(bucket?.block_types.versioning?.nesting_mode).toBe("list");
    expect(index.resourceSchema("aws_s3_bucket", "data")?.attributes.bucket_domain_name).toBeDefined();
    expect(index.resourceSchema("aws_iam_policy_document", "managed")).toBeUndefined();
    expect(index.resourceSchema("aws_iam_policy_document", "data")?.attributes.json).toBeDefined();
    expect(index.resourceSchema("aws_not_a_real_type", "managed")).toBeUndefined();
    expect(index.resourceSchema("azurerm_storage_account", "managed")).toBeUndefined();
  });

  test("schemas are read once and cached", () => {
    expect(index.resourceSchema("aws_s3_bucket_versioning", "managed")).toBe(
      index.resourceSchema("aws_s3_bucket_versioning", "managed"),
    );
  });

  test("terraform_data is built in", () => {
    const data = index.resourceSchema("terraform_data", "managed")!;
    expect(Object.keys(data.attributes)).toEqual(["id", "input", "output", "triggers_replace"]);
    expect(resolvePath(data, ["input", "anything", 0])).toEqual({ ok: true, kind: "any" });
    expect(index.resourceSchema("terraform_remote_state", "data")?.attributes.backend?.required).toBe(true);
  });

  test("did-you-mean for resource types", () => {
    expect(index.suggestTypes("aws_s3_bucket_versionning", "managed")[0]).toBe("aws_s3_bucket_versioning");
    expect(index.suggestTypes("aws_iam_policy_documnet", "data")[0]).toBe("aws_iam_policy_document");
    expect(index.suggestTypes("azurerm_x", "managed")).toEqual([]);
  });
});

describe("loadSchemaIndex over another directory", () => {
  const dir = mkdtempSync(join(tmpdir(), "plangate-schema-index-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("nothing there: no provider is known", () => {
    const index = loadSchemaIndex(join(dir, "missing"));
    expect(index.knowsProvider("aws_s3_bucket")).toBe(false);
    expect(index.resourceSchema("aws_s3_bucket", "managed")).toBeUndefined();
  });

  test("a broken manifest is an InputError naming the file", () => {
    mkdirSync(join(dir, "bad"), { recursive: true });
    writeFileSync(join(dir, "bad", "provider.json"), "{ not json");
    const index = loadSchemaIndex(dir);
    expect(() => index.knowsProvider("bad_thing")).toThrow(InputError);
    mkdirSync(join(dir, "odd"), { recursive: true });
    writeFileSync(join(dir, "odd", "provider.json"), JSON.stringify({ name: "other" }));
    expect(() => index.knowsProvider("odd_thing")).toThrow(/not a plangate provider manifest/);
  });

  test("a shipped manifest lists every type file next to it", () => {
    const manifest = JSON.parse(readFileSync(join(defaultSchemaDir(), "aws", "provider.json"), "utf8"));
    expect(manifest.resource_types).toHaveLength(99);
    expect(manifest.data_source_types).toHaveLength(6);
  });
});
