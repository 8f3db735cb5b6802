// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` is Terraform interpolation syntax under test, not a JS template.
/**
 * Fix edits as patches of `.tf.json` files, end to end: check the insecure configuration, derive the
 * fixes, patch the files, check again — every failure whose fix had edits is gone.
 */
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultCheckDeps } from "../../src/check/deps.js";
import type { RuleResult } from "../../src/engine/types.js";
import { mergeFixes } from "../../src/fix/merge.js";
import { fixTerraformJson } from "../../src/fix/tfjson-fix.js";
import { readPlanInput } from "../../src/plan/read.js";
import { readTerraformJsonSources } from "../../src/plan/tfjson-read.js";

const CONFIG = new URL("../fixtures/tfjson/insecure.tf.json", import.meta.url).pathname;
const temps: string[] = [];
afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

async function check(dir: string): Promise<readonly RuleResult[]> {
  const deps = defaultCheckDeps({ cwd: dir });
  const packs = (await deps.loadPacks(["aws-s3", "aws-iam", "aws-backup"], {})).map((p) => p.compiled);
  const model = await readPlanInput(dir);
  return deps.deriveFixes(deps.evaluate(model, packs, { unknownPolicy: "unknown" }), model);
}

describe("fixTerraformJson", () => {
  it("patches the configuration so that the fixed rules pass on the next check", async () => {
    const dir = await mkdtemp(join(tmpdir(), "plangate-tfjson-fix-"));
    temps.push(dir);
    await copyFile(CONFIG, join(dir, "main.tf.json"));
    const before = await check(dir);
    const fixable = before.filter((r) => r.status === "fail" && (r.fix?.edits.length ?? 0) > 0);
    expect(fixable.map((r) => `${r.rule} ${r.address}`)).toEqual(
      expect.arrayContaining([
        "backup-plan-min-retention aws_backup_plan.daily",
        "s3-versioning-enabled aws_s3_bucket.data",
        "s3-encryption-kms aws_s3_bucket.data",
        "s3-bucket-public-access-block aws_s3_bucket.data",
      ]),
    );
    const merged = mergeFixes(before);
    const edits = [...merged.edits.values()].flat();
    const sources = await readTerraformJsonSources(dir, dir);
    const fixed = fixTerraformJson(sources, edits);
    expect(fixed.files.map((f) => f.file)).toEqual(["main.tf.json"]);
    expect(fixed.diff).toMatch(
      /^diff --git a\/main\.tf\.json b\/main\.tf\.json\n--- a\/main\.tf\.json\n\+\+\+ b\/main\.tf\.json\n/m,
    );
    expect(fixed.diff).toMatch(/-\s+"delete_after": 7\n\+\s+"delete_after": 35/);
    expect(fixed.diff).toContain('"bucket": "${aws_s3_bucket.data.id}"');
    for (const f of fixed.files) await writeFile(join(dir, f.file), f.after);

    const after = new Map((await check(dir)).map((r) => [`${r.rule} ${r.address}`, r.status]));
    expect(fixed.notApplied).toEqual([]);
    // Fixes whose values come from the assertions themselves now pass. (A companion whose content
    // is a policy document the fixer cannot derive, e.g. for s3-tls-only, is added as a shell.)
    for (const k of [
      "backup-plan-min-retention aws_backup_plan.daily",
      "s3-versioning-enabled aws_s3_bucket.data",
      "s3-encryption-kms aws_s3_bucket.data",
      "s3-bucket-public-access-block aws_s3_bucket.data",
      "s3-acls-disabled aws_s3_bucket.data",
    ]) {
      expect({ k, status: after.get(k) }).toEqual({ k, status: "pass" });
    }
  });

  it("routes edits to the file and module that hold the resource, and reports the rest", () => {
    const sources = [
      { file: "main.tf.json", text: '{"resource":{"aws_s3_bucket":{"a":{"bucket":"a"}}}}\n', modulePath: [] },
      {
        file: "other.tf.json",
        text: '{"resource":{"aws_s3_bucket":{"b":{"bucket":"b"}}}}\n',
        modulePath: [],
      },
      {
        file: "mod/main.tf.json",
        text: '{"resource":{"aws_s3_bucket":{"a":{"bucket":"m"}}}}\n',
        modulePath: ["m"],
      },
    ];
    const out = fixTerraformJson(sources, [
      { op: "set", address: "aws_s3_bucket.b", path: ["acl"], value: "private" },
      { op: "set", address: "module.m.aws_s3_bucket.a", path: ["acl"], value: "private" },
      {
        op: "add-resource",
        address: "aws_s3_bucket_versioning.b",
        type: "aws_s3_bucket_versioning",
        name: "b",
        linkTo: "aws_s3_bucket.b",
        attributes: { versioning_configuration: [{ status: "Enabled" }] },
        references: { bucket: "aws_s3_bucket.b.id" },
      },
      { op: "set", address: "aws_s3_bucket.gone", path: ["acl"], value: "private" },
      { op: "set", address: "module.x.aws_s3_bucket.a", path: ["acl"], value: "private" },
    ]);
    expect(out.files.map((f) => f.file)).toEqual(["other.tf.json", "mod/main.tf.json"]);
    expect(JSON.parse(out.files[0]?.after ?? "")).toEqual({
      resource: {
        aws_s3_bucket: { b: { bucket: "b", acl: "private" } },
        aws_s3_bucket_versioning: {
          b: { versioning_configuration: [{ status: "Enabled" }], bucket: "${aws_s3_bucket.b.id}" },
        },
      },
    });
    expect(out.notApplied.map((n) => n.reason)).toEqual([
      "no .tf.json file holds aws_s3_bucket.gone",
      "no .tf.json file of module.x was read",
    ]);
  });
});
