/**
 * `plangate test` through the built CLI: exit codes (0 pass, 1 mismatch or missing coverage,
 * 2 bad test file / no test files), the diff under a failing case, and JSON output.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../plan/cli.js";

const POLICIES = fileURLToPath(new URL("../../policies/", import.meta.url));

let dir: string;

/** A scratch copy of the S3 pack and its fixtures, with test files written per case. */
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "plangate-test-"));
  cpSync(join(POLICIES, "aws-s3.yaml"), join(dir, "aws-s3.yaml"));
  cpSync(join(POLICIES, "tests", "aws-s3"), join(dir, "tests", "aws-s3"), { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function testFile(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `apiVersion: plangate/v1\nkind: PackTest\npack: aws-s3.yaml\ncases:\n${body}`);
  return path;
}

const VERSIONING_CASE = `  - name: versioning
    plan: tests/aws-s3/modules.plan.json
    expect:
      - { rule: s3-versioning-enabled, address: 'module.store["images"].aws_s3_bucket.this', status: pass }
      - { rule: s3-versioning-enabled, address: 'module.store["exports"].aws_s3_bucket.this', status: %s }
`;

describe("plangate test", () => {
  it("passes the built-in packs with coverage required", () => {
    const r = runCli(["test", POLICIES, "--require-coverage", "--quiet"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/\d+ case\(s\) in \d+ file\(s\): \d+ passed, 0 failed/);
    expect(r.code).toBe(0);
  });

  it("exits 0 on a passing file and reports missing coverage as a warning", () => {
    const file = testFile("ok.test.yaml", VERSIONING_CASE.replace("%s", "fail"));
    const r = runCli(["test", file]);
    expect(r.stdout).toContain("PASS  ");
    expect(r.stdout).toContain("warning: 14 rule(s) without both a passing and a failing case:");
    expect(r.code).toBe(0);
    const strict = runCli(["test", file, "--require-coverage"]);
    expect(strict.stdout).toContain("error: 14 rule(s) without both a passing and a failing case:");
    expect(strict.code).toBe(1);
  });

  it("exits 1 on a mismatch and prints expected vs actual", () => {
    const file = testFile("mismatch.test.yaml", VERSIONING_CASE.replace("%s", "pass"));
    const r = runCli(["test", file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`FAIL  ${file}:5:5  versioning`);
    expect(r.stdout).toContain(
      `s3-versioning-enabled module.store["exports"].aws_s3_bucket.this  (${file}:9:9)`,
    );
    expect(r.stdout).toContain("- expected: pass");
    expect(r.stdout).toContain("+ actual:   fail");
    const json = runCli(["test", file, "--format", "json"]);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { summary: { failed: number } };
    expect(report.summary.failed).toBe(1);
  });

  it("exits 2 with file:line:column for a bad test file", () => {
    const file = testFile("typo.test.yaml", VERSIONING_CASE.replace("status: %s", "stat: fail"));
    const r = runCli(["test", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `plangate: error: ${file}:9:95: cases[0].expect[1]: unknown property \`stat\` (1 more error(s))\n`,
    );
    const rule = testFile(
      "rule.test.yaml",
      VERSIONING_CASE.replace(
        's3-versioning-enabled, address: \'module.store["exports"]',
        's3-versioned, address: \'module.store["exports"]',
      ).replace("%s", "fail"),
    );
    const r2 = runCli(["test", rule]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(`${rule}:9:9: rule "s3-versioned" is not in pack aws-s3`);
  });

  it("exits 2 when there is nothing to run", () => {
    const empty = mkdtempSync(join(tmpdir(), "plangate-empty-"));
    const r = runCli(["test", empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no *.test.yaml files found");
    rmSync(empty, { recursive: true, force: true });
  });

  it("exits 2 for a plan fixture that does not load, at its plan: line", () => {
    const file = testFile(
      "missing.test.yaml",
      VERSIONING_CASE.replace("modules.plan.json", "nope.plan.json").replace("%s", "fail"),
    );
    const r = runCli(["test", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`plangate: error: ${file}:6:11: case "versioning": `);
    expect(r.stderr).toContain("nope.plan.json: cannot read plan: no such file");
  });
});
