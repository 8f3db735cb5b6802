/**
 * Markdown PR comment with --source-dir: fixes that land whole on lines of the .tf files become
 * GitHub suggestion blocks; the others keep their diff block.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultCheckDeps } from "../../src/check/deps.js";
import { runCheck } from "../../src/check/run.js";
import { render } from "../../src/report/index.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const EXAMPLE = "examples/insecure";

describe("markdown suggestion blocks", () => {
  it("suggests the fixes that fit the PR's files and keeps diff blocks for the rest", async () => {
    const report = await runCheck(
      { plans: [path.join(ROOT, EXAMPLE, "plan.json")], today: "2026-01-01", toolVersion: "0.0.0" },
      defaultCheckDeps({ cwd: ROOT, sourceDir: EXAMPLE }),
    );
    const results = report.plans.flatMap((p) => p.results);
    const suggested = results.filter((r) => r.suggestions && r.suggestions.length > 0);
    expect(suggested.length).toBeGreaterThan(0);
    // Every suggestion replaces lines that exist in the file it names.
    const main = fs.readFileSync(path.join(ROOT, EXAMPLE, "main.tf"), "utf8").split("\n");
    for (const r of suggested) {
      for (const s of r.suggestions ?? []) {
        expect(s.file).toBe(`${EXAMPLE}/main.tf`);
        expect(s.startLine).toBeGreaterThanOrEqual(1);
        expect(s.endLine).toBeLessThanOrEqual(main.length);
      }
    }
    const retention = suggested.find((r) => r.rule === "backup-plan-min-retention");
    expect(retention?.suggestions?.some((s) => s.lines.some((l) => /delete_after\s*=\s*35/.test(l)))).toBe(
      true,
    );

    const md = render("markdown", report);
    expect(md).toContain("```suggestion\n");
    expect(md).toMatch(new RegExp(`\`${EXAMPLE}/main\\.tf\` lines? \\d+`));
    // A statement to narrow is no edit of the file: it keeps its diff block.
    const narrow = results.find((r) => r.rule === "iam-policy-no-admin-statement" && r.status === "fail");
    expect(narrow?.fix?.hcl).toBeDefined();
    expect(narrow?.suggestions).toBeUndefined();
    expect(md).toMatch(/```diff\n {2}# aws_iam_policy\.admin: policy .* to narrow:/);
  });

  it("without --source-dir there are no suggestions, only diff blocks", async () => {
    const report = await runCheck(
      { plans: [path.join(ROOT, EXAMPLE, "plan.json")], today: "2026-01-01", toolVersion: "0.0.0" },
      defaultCheckDeps({ cwd: ROOT }),
    );
    const md = render("markdown", report);
    expect(md).not.toContain("```suggestion");
    expect(md).toContain("```diff\n");
  });
});
