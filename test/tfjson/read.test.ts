import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readTerraformJsonInput } from "../../src/plan/tfjson-read.js";
import { lookup } from "../../src/plan/values.js";

const FIXTURES = new URL("../fixtures/tfjson/", import.meta.url).pathname;
const temps: string[] = [];

async function temp(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "plangate-tfjson-"));
  temps.push(dir);
  return dir;
}

afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

function targets(model: Awaited<ReturnType<typeof readTerraformJsonInput>>, from: string): string[] {
  return (model.outgoing.get(from) ?? []).map((l) => `${l.to} via ${l.via}`).sort();
}

describe("readTerraformJsonInput", () => {
  it("reads a directory of *.tf.json files and follows local modules on disk", async () => {
    const m = await readTerraformJsonInput(join(FIXTURES, "dir"));
    expect(m.source).toBe("configuration");
    expect(m.resources.map((r) => r.address)).toEqual([
      "aws_kms_key.data",
      "module.store.aws_s3_bucket.this",
      "module.store.aws_s3_bucket_server_side_encryption_configuration.this",
    ]);
    const sse = "module.store.aws_s3_bucket_server_side_encryption_configuration.this";
    expect(targets(m, sse)).toEqual([
      "aws_kms_key.data via rule",
      "module.store.aws_s3_bucket.this via bucket",
    ]);
    // With the shipped AWS schema, `rule` is a set block and the bucket's computed `arn` is unknown.
    const r = m.byAddress.get(sse)!;
    expect(lookup(r.after, ["rule", 0, "bucket_key_enabled"])).toMatchObject({ state: "known", value: true });
    expect(lookup(m.byAddress.get("module.store.aws_s3_bucket.this")!.after, ["arn"]).state).toBe("unknown");
    expect(m.warnings).toEqual([]);
  });

  it("reads one file: modules relative to its directory", async () => {
    const m = await readTerraformJsonInput(join(FIXTURES, "dir", "main.tf.json"), { schemaFor: null });
    expect(m.resources).toHaveLength(3);
    expect(m.file).toBe(join(FIXTURES, "dir", "main.tf.json"));
  });

  it("reads cdktf synth output: cdktf.out with one stack, or the stack directory", async () => {
    for (const p of [join(FIXTURES, "cdktf.out"), join(FIXTURES, "cdktf.out", "stacks", "app")]) {
      const m = await readTerraformJsonInput(p);
      expect(m.resources.map((r) => r.address)).toEqual([
        "aws_s3_bucket.Reports_Bucket_5B7C3A11",
        "aws_s3_bucket_versioning.Reports_Versioning_9E0D4F22",
      ]);
      expect(targets(m, "aws_s3_bucket_versioning.Reports_Versioning_9E0D4F22")).toEqual([
        "aws_s3_bucket.Reports_Bucket_5B7C3A11 via bucket",
      ]);
      expect(m.byAddress.get("aws_s3_bucket.Reports_Bucket_5B7C3A11")?.provider).toBe(
        "registry.terraform.io/hashicorp/aws",
      );
    }
  });

  it("asks for one stack when cdktf.out holds several", async () => {
    const dir = await temp();
    for (const s of ["a", "b"]) {
      await mkdir(join(dir, "stacks", s), { recursive: true });
      await writeFile(join(dir, "stacks", s, "cdk.tf.json"), '{"resource":{}}');
    }
    await expect(readTerraformJsonInput(dir)).rejects.toThrow(/2 stacks \(a, b\): pass one/);
  });

  it("explains directories without configuration and bad JSON with InputError", async () => {
    const dir = await temp();
    await writeFile(join(dir, "main.tf"), 'resource "aws_s3_bucket" "b" {}');
    await expect(readTerraformJsonInput(dir)).rejects.toMatchObject({
      name: "InputError",
      message: expect.stringMatching(/HCL \.tf files are read from a plan/),
    });
    await expect(readTerraformJsonInput(join(dir, "missing"))).rejects.toThrow(/no such file or directory/);
    const bad = join(dir, "bad.tf.json");
    await writeFile(bad, '{"resource": {');
    await expect(readTerraformJsonInput(bad)).rejects.toThrow(/JSON/);
  });

  it("warns about a local module that is not on disk", async () => {
    const dir = await temp();
    await writeFile(join(dir, "main.tf.json"), JSON.stringify({ module: { m: { source: "./gone" } } }));
    const m = await readTerraformJsonInput(dir);
    expect(m.warnings).toEqual([
      'module.m: local source "./gone" has no .tf.json files here; its resources are not checked',
    ]);
  });
});
