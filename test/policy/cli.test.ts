/**
 * `plangate validate` and `plangate compile` through the built CLI (`npm test` builds first).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../plan/cli.js";

const PACK = fileURLToPath(new URL("../fixtures/packs/google-storage.yaml", import.meta.url));
const PLAN = fileURLToPath(new URL("../fixtures/plans/google-storage.plan.json", import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), "plangate-validate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("plangate validate", () => {
  it("exit 0 for valid packs (the built-in ones and a google pack)", () => {
    const r = runCli(["validate", "aws-s3", "aws-iam", "aws-backup", PACK], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^4 packs valid \(\d+ rules\)\n$/);
    expect(r.code).toBe(0);
  });

  it("exit 2 with every error of every pack, each as file:line:column: message", () => {
    const bad = path.join(dir, "bad.yaml");
    writeFileSync(
      bad,
      readFileSync(PACK, "utf8")
        .replace("public_access_prevention, equals", "public_access_preventon, equals")
        .replace(
          "severity: medium\n    enforcement: advisory",
          "severity: urgent\n    enforcement: advisory",
        ),
    );
    writeFileSync(path.join(dir, "dup.yaml"), "apiVersion: plangate/v1\napiVersion: plangate/v1\n");
    const r = runCli(["validate", "bad.yaml", "dup.yaml", "missing.yaml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toEqual([
      "missing.yaml: no such pack file or directory",
      'bad.yaml:43:15: rules[3].severity: must be one of "info", "low", "medium", "high", "critical"',
      "dup.yaml:2:1: Map keys must be unique",
      "plangate: 3 errors in 3 pack spec(s)",
    ]);
  });

  it("reports type errors once the schema is valid", () => {
    const bad = path.join(dir, "typo.yaml");
    writeFileSync(
      bad,
      readFileSync(PACK, "utf8").replace(
        "public_access_prevention, equals",
        "public_access_preventon, equals",
      ),
    );
    const r = runCli(["validate", bad], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe(
      'typo.yaml:34:27: unknown attribute "public_access_preventon" of google_storage_bucket (did you mean "public_access_prevention"?)',
    );
  });
});

describe("plangate compile", () => {
  it("writes an ES module and its declarations that `check --pack` loads with the same results", () => {
    const out = path.join(dir, "out");
    const r = runCli(["compile", PACK, "--out", out], { cwd: dir });
    expect(r.code).toBe(0);
    expect(existsSync(path.join(out, "gcs-baseline.js"))).toBe(true);
    expect(readFileSync(path.join(out, "gcs-baseline.d.ts"), "utf8")).toContain("export default compiled;");
    const fromYaml = runCli(["check", PLAN, "--pack", PACK, "--format", "json"], { cwd: dir });
    const fromModule = runCli(
      ["check", PLAN, "--pack", path.join(out, "gcs-baseline.js"), "--format", "json"],
      { cwd: dir },
    );
    expect(fromModule.code).toBe(fromYaml.code);
    const results = (s: string) => (JSON.parse(s) as { plans: { results: unknown[] }[] }).plans[0]?.results;
    expect(results(fromModule.stdout)).toEqual(results(fromYaml.stdout));
    expect(results(fromYaml.stdout)?.length).toBeGreaterThan(10);
  });

  it("refuses an invalid pack (exit 2) and writes nothing", () => {
    const bad = path.join(dir, "bad-compile.yaml");
    writeFileSync(
      bad,
      readFileSync(PACK, "utf8").replace("in: { $param: allowedLocations }", "in: { $param: nope }"),
    );
    const out = path.join(dir, "out2");
    const r = runCli(["compile", bad, "--out", out], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bad-compile\.yaml:\d+:\d+: unknown parameter "nope"/);
    expect(existsSync(out)).toBe(false);
  });
});
