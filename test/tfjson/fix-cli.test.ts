/**
 * `plangate fix` on a Terraform JSON configuration: the patch goes into the .tf.json itself (not
 * HCL), `git apply` takes it, `--write` writes compliant attributes atomically, and the same
 * path safety as for .tf holds (nothing outside --source-dir is written).
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(ROOT, "bin/plangate.js");
const CONFIG = path.join(ROOT, "test/fixtures/tfjson/insecure.tf.json");
const temps: string[] = [];

function copyConfig(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plangate-tfjson-fix-cli-"));
  temps.push(dir);
  fs.copyFileSync(CONFIG, path.join(dir, "main.tf.json"));
  return dir;
}

function run(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Doc {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
}

describe("plangate fix on a .tf.json configuration", () => {
  beforeAll(() => {
    if (!fs.existsSync(path.join(ROOT, "dist/fix/tfjson-plan.js"))) {
      execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "pipe" });
    }
  }, 120_000);
  afterAll(() => {
    for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
  });

  it("prints a patch of the .tf.json that git apply --check accepts", () => {
    const dir = copyConfig();
    const r = run(dir, "fix", "main.tf.json");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^diff --git a\/main\.tf\.json b\/main\.tf\.json\n/);
    // The JSON form, not HCL, for what stays a snippet.
    expect(r.stderr).not.toMatch(/resource "aws_/);
    execFileSync("git", ["init", "-q"], { cwd: dir });
    fs.writeFileSync(path.join(dir, "fix.patch"), r.stdout);
    execFileSync("git", ["apply", "--check", "fix.patch"], { cwd: dir });
  });

  it("--write writes compliant attributes; the fixed rules then pass", () => {
    const dir = copyConfig();
    const r = run(dir, "fix", "main.tf.json", "--write");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^plangate: wrote 1 file\(s\)/);
    const doc = JSON.parse(fs.readFileSync(path.join(dir, "main.tf.json"), "utf8")) as Doc;
    expect(doc.resource.aws_s3_bucket_versioning?.data).toEqual({
      versioning_configuration: [{ status: "Enabled" }],
      bucket: "${aws_s3_bucket.data.id}",
    });
    expect(doc.resource.aws_s3_bucket_public_access_block?.data).toMatchObject({
      block_public_acls: true,
      restrict_public_buckets: true,
    });
    // A companion whose required argument no rule sets is not half-written.
    expect(doc.resource.aws_s3_bucket_logging).toBeUndefined();
    const check = run(dir, "check", "main.tf.json", "--format", "json");
    const report = JSON.parse(check.stdout) as {
      plans: { results: { rule: string; address: string; status: string }[] }[];
    };
    const status = (rule: string, address: string) =>
      report.plans[0]?.results.find((x) => x.rule === rule && x.address === address)?.status;
    expect(status("s3-versioning-enabled", "aws_s3_bucket.data")).toBe("pass");
    expect(status("s3-bucket-public-access-block", "aws_s3_bucket.data")).toBe("pass");
    expect(status("backup-plan-min-retention", "aws_backup_plan.daily")).toBe("pass");
  });

  it("refuses to write outside --source-dir", () => {
    const dir = copyConfig();
    fs.mkdirSync(path.join(dir, "sub"));
    const before = fs.readFileSync(path.join(dir, "main.tf.json"), "utf8");
    const r = run(dir, "fix", "main.tf.json", "--write", "--source-dir", "sub");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to write: main\.tf\.json: outside --source-dir/);
    expect(fs.readFileSync(path.join(dir, "main.tf.json"), "utf8")).toBe(before);
  });
});
