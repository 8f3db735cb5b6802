/**
 * Statements are numbered from 1 in every text (violation line, fix hint, snippet) and from 0 in
 * data (`index`); the hint of a statement to narrow leads with the narrowing natural for the
 * matcher that failed: the missing condition for sts:ExternalId, the wildcard for `*`.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultCheckDeps } from "../../src/check/deps.js";
import type { LoadedPack } from "../../src/check/run.js";
import { evaluate } from "../../src/engine/evaluate.js";
import { deriveFixes } from "../../src/fix/derive.js";
import { buildPlanModel } from "../../src/plan/model.js";
import type { CompiledPack } from "../../src/policy/compiled-pack.js";
import { showViolation } from "../../src/report/common.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("forbidden statements in text", () => {
  it("are 1-based everywhere, 0-based in data; hints lead with the natural narrowing", async () => {
    const deps = defaultCheckDeps({ cwd: ROOT });
    const [iam] = (await deps.loadPacks(["aws-iam"], {})) as LoadedPack<CompiledPack>[];
    const file = "examples/insecure/plan.json";
    const m = buildPlanModel(JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8")), file);
    const results = deriveFixes(evaluate(m, [(iam as LoadedPack<CompiledPack>).compiled], {}), m);
    const ext = results.find((r) => r.rule === "iam-role-cross-account-external-id" && r.status === "fail");
    const v = ext?.violations[0];
    expect(v?.kind === "policy-forbidden-statement" && v.index).toBe(0);
    expect(showViolation(v as NonNullable<typeof v>, ext?.address ?? "")).toMatch(
      /^assume_role_policy statement 1 /,
    );
    const hint = ext?.fix?.hints.find((h) => h.startsWith("aws_iam_role.partner:"));
    expect(hint).toMatch(
      /^aws_iam_role\.partner: assume_role_policy statement 1: add a Condition on sts:ExternalId/,
    );
    expect(ext?.fix?.hcl).toContain("assume_role_policy statement 1 to narrow:");
    const admin = results.find((r) => r.rule === "iam-policy-no-admin-statement" && r.status === "fail");
    expect(admin?.fix?.hints.find((h) => h.startsWith(admin.address))).toMatch(
      /statement 1: narrow Action: must not grant \*/,
    );
  });
});
