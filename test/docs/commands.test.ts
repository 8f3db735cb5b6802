/**
 * `plangate rules`, `explain` and `docs` through the built CLI (`npm test` builds first): output,
 * exit codes, and the built-in packs as the default.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { runCli } from "../plan/cli.js";

const PAGES = fileURLToPath(new URL("../../docs/packs/", import.meta.url));
const IAM = fileURLToPath(new URL("../../policies/aws-iam.yaml", import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), "plangate-docs-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("plangate rules", () => {
  test("lists every rule of the built-in packs, with controls (json)", () => {
    const r = runCli(["rules", "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { pack: string; id: string; controls: string[]; severity: string }[];
    expect(new Set(rows.map((x) => x.pack))).toEqual(new Set(["aws-backup", "aws-iam", "aws-s3"]));
    const admin = rows.find((x) => x.id === "iam-policy-no-admin-statement");
    expect(admin).toMatchObject({ pack: "aws-iam", severity: "high" });
    expect(admin?.controls).toEqual([
      "AWS-FSBP-IAM.1",
      "CIS-AWS-3.0-1.16",
      "CIS-AWS-5.0-1.15",
      "CIS-AWS-6.0-2.15",
    ]);
    expect(rows.find((x) => x.id === "backup-vault-cmk-encryption")?.controls).toEqual(["AWS-FSBP-Backup.1"]);
  });

  test("a table for people; --pack narrows to one pack", () => {
    const r = runCli(["rules", "--pack", "aws-backup"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^PACK\s+RULE\s+SEVERITY\s+ENFORCEMENT\s+CONTROLS\s+TITLE$/);
    expect(lines).toHaveLength(7);
    expect(lines.slice(1).every((l) => l.startsWith("aws-backup "))).toBe(true);
  });

  test("a pack with errors is refused with file:line:column, exit 2", () => {
    const bad = path.join(dir, "bad.yaml");
    writeFileSync(bad, readFileSync(IAM, "utf8").replace("severity: critical", "severity: catastrophic"));
    const r = runCli(["rules", "--pack", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^plangate: error: .*bad\.yaml:\d+:\d+: /);
  });
});

describe("plangate explain", () => {
  test("one rule: metadata, what passes, the derived fix, parameters", () => {
    const r = runCli(["explain", "iam-role-cross-account-external-id"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("aws-iam/iam-role-cross-account-external-id");
    expect(r.stdout).toMatch(/Severity: +high/);
    expect(r.stdout).toMatch(/Enforcement: +soft-mandatory/);
    expect(r.stdout).toMatch(/Resources: +aws_iam_role/);
    expect(r.stdout).toContain("What passes:");
    expect(r.stdout).toContain("remove or narrow every statement of `assume_role_policy`");
    expect(r.stdout).toContain("trustedAccountIds (string[], default [])");
  });

  test("pack/id and --format json", () => {
    const r = runCli(["explain", "aws-backup/backup-vault-lock-configured", "--format", "json"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { fix: { text: string }[]; resourceTypes: string[] };
    expect(doc.resourceTypes).toEqual(["aws_backup_vault"]);
    expect(doc.fix[0]?.text).toContain("add an `aws_backup_vault_lock_configuration`");
  });

  test("an unknown rule is a usage error with suggestions", () => {
    const r = runCli(["explain", "iam-admin"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^plangate: error: no rule "iam-admin" .*did you mean .*iam-policy-no-admin-statement/,
    );
  });
});

describe("plangate docs", () => {
  test("writes one page per pack", () => {
    const out = path.join(dir, "pages");
    const r = runCli(["docs", "--out", out]);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["aws-backup.md", "aws-iam.md", "aws-s3.md"]);
    expect(readFileSync(path.join(out, "aws-iam.md"), "utf8")).toBe(
      readFileSync(path.join(PAGES, "aws-iam.md"), "utf8"),
    );
  });

  test("--check: exit 0 on the checked-in pages, 1 on a stale or missing page", () => {
    expect(runCli(["docs", "--out", PAGES, "--check"]).code).toBe(0);
    const stale = path.join(dir, "stale");
    runCli(["docs", "--out", stale, "--pack", "aws-iam"]);
    writeFileSync(path.join(stale, "aws-iam.md"), "# old\n");
    const r = runCli(["docs", "--out", stale, "--check"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("stale:");
    expect(r.stdout).toContain("aws-backup.md");
  });
});
