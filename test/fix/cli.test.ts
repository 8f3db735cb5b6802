/**
 * `plangate fix` end to end on a copy of examples/insecure: the printed patch is accepted by
 * `git apply --check`; `--write` produces fmt-clean HCL holding the compliant attributes; a second
 * run on the written files (same plan, not re-generated) changes nothing.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(ROOT, "bin/plangate.js");

function copyExample(): string {
  const dir = tempDir("plangate-insecure-");
  for (const f of ["main.tf", "plan.json"])
    fs.copyFileSync(path.join(ROOT, "examples/insecure", f), path.join(dir, f));
  return dir;
}

function fix(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, "fix", "plan.json", ...args], { cwd, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("plangate fix on examples/insecure", () => {
  beforeAll(() => {
    // The CLI runs from dist/ (`npm test` builds before vitest); build only when it is missing.
    if (!fs.existsSync(path.join(ROOT, "dist/cli/commands/fix.js"))) {
      execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "pipe" });
    }
  }, 120_000);

  it("prints a patch that git apply --check accepts", () => {
    const dir = copyExample();
    const r = fix(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^diff --git a\/main\.tf b\/main\.tf\n/);
    execFileSync("git", ["init", "-q"], { cwd: dir });
    fs.writeFileSync(path.join(dir, "fix.patch"), r.stdout);
    execFileSync("git", ["apply", "--check", "fix.patch"], { cwd: dir });
  });

  it("--write produces fmt-clean, compliant HCL; a second run is a no-op", () => {
    const dir = copyExample();
    const before = fs.readFileSync(path.join(dir, "main.tf"), "utf8");
    const r = fix(dir, "--write");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("");
    const after = fs.readFileSync(path.join(dir, "main.tf"), "utf8");
    expect(after).not.toBe(before);
    // The compliant attributes, as the packs require them.
    expect(after).toMatch(
      /resource "aws_s3_bucket_public_access_block" "data" \{[^}]*restrict_public_buckets = true/,
    );
    expect(after).toMatch(/resource "aws_s3_bucket_versioning" "data" \{[\s\S]*?status = "Enabled"/);
    expect(after).toMatch(/sse_algorithm = "aws:kms"/);
    expect(after).toMatch(/delete_after = 35/);
    execFileSync("terraform", ["fmt", "-check", "main.tf"], { cwd: dir, stdio: "pipe" });

    const again = fix(dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe("");
    const third = fix(dir, "--write");
    expect(third.stderr).toMatch(/nothing to write/);
    expect(fs.readFileSync(path.join(dir, "main.tf"), "utf8")).toBe(after);
  });

  it("refuses to write when a module source leaves --source-dir", () => {
    const dir = copyExample();
    const plan = JSON.parse(fs.readFileSync(path.join(dir, "plan.json"), "utf8"));
    // Move the bucket into a module whose source escapes the directory.
    for (const rc of plan.resource_changes) {
      if (rc.address === "aws_s3_bucket.data") {
        rc.address = "module.evil.aws_s3_bucket.data";
        rc.module_address = "module.evil";
      }
    }
    const root = plan.configuration.root_module;
    const bucket = root.resources.find((r: { address: string }) => r.address === "aws_s3_bucket.data");
    root.resources = root.resources.filter((r: unknown) => r !== bucket);
    root.module_calls = { evil: { source: "../../..", module: { resources: [bucket] } } };
    fs.writeFileSync(path.join(dir, "plan.json"), JSON.stringify(plan));
    const before = fs.readFileSync(path.join(dir, "main.tf"), "utf8");
    const r = fix(dir, "--write");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /refusing to write: module\.evil: source "\.\.\/\.\.\/\.\." leaves --source-dir/,
    );
    expect(fs.readFileSync(path.join(dir, "main.tf"), "utf8")).toBe(before);
  });
});
