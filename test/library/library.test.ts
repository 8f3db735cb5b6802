/**
 * The library API is what the CLI is built on: the documented one-call gate gives the same report
 * (and exit code) as `plangate check`, and the documented stages give the same results.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  compilePack,
  defaultCheckDeps,
  deriveFixes,
  evaluate,
  exitCode,
  loadPacks,
  loadSchemaIndex,
  readPlanInput,
  render,
  runCheck,
  summaryLine,
} from "../../src/index.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const plan = join(root, "examples", "insecure", "plan.json");
const today = "2026-11-28";

describe("library API", () => {
  it("runCheck + render gives byte-for-byte the CLI's JSON report and its exit code", async () => {
    const report = await runCheck(
      { plans: [plan], today, toolVersion: "0.1.0" },
      defaultCheckDeps({ cwd: root }),
    );
    const cli = spawnSync(
      process.execPath,
      [join(root, "bin", "plangate.js"), "check", plan, "--format", "json", "--today", today],
      {
        cwd: root,
        encoding: "utf8",
      },
    );
    expect(cli.status).toBe(1);
    expect(exitCode(report)).toBe(1);
    expect(render("json", report)).toBe(cli.stdout);
    expect(summaryLine(report)).toMatch(/— BLOCKED$/);
  });

  it("the stages, called one by one, decide and fix the same results", async () => {
    const model = await readPlanInput(plan);
    const schemaIndex = loadSchemaIndex();
    const sources = await loadPacks(["aws-s3", "aws-iam", "aws-backup"]);
    const packs = sources.map((source) => {
      const { pack, diagnostics } = compilePack(source, { schemaIndex });
      expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      if (!pack) throw new Error(`${source.file} did not compile`);
      return pack;
    });
    const results = evaluate(model, packs, { unknownPolicy: "unknown" });
    const fixed = deriveFixes(results, model, { schemas: schemaIndex });
    const versioning = fixed.find(
      (r) => r.rule === "s3-versioning-enabled" && r.address === "aws_s3_bucket.data",
    );
    expect(versioning?.status).toBe("fail");
    expect(versioning?.fix?.edits).toContainEqual(
      expect.objectContaining({
        op: "add-resource",
        type: "aws_s3_bucket_versioning",
        linkTo: "aws_s3_bucket.data",
      }),
    );
    expect(versioning?.fix?.hcl).toContain('status = "Enabled"');
    const passed = fixed.filter((r) => r.status === "pass").map((r) => `${r.rule} ${r.address}`);
    expect(passed).toContain("s3-no-public-acl aws_s3_bucket.data");
  });
});
