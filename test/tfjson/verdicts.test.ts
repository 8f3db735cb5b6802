/**
 * Round trip of verdicts: every rule decided before the plan (pass or fail on the Terraform JSON
 * configuration) decides the same on the plan JSON of the same configuration (examples/insecure).
 */
import { describe, expect, it } from "vitest";
import { defaultCheckDeps } from "../../src/check/deps.js";
import type { RuleResult } from "../../src/engine/types.js";
import { bothModels } from "./insecure-models.js";

const key = (r: RuleResult): string => `${r.rule} ${r.address}`;

describe("round trip: verdicts on plan JSON and on Terraform JSON", () => {
  it("decides every literal-valued rule the same way before and after the plan", async () => {
    const deps = defaultCheckDeps({ cwd: process.cwd() });
    const packs = (await deps.loadPacks(["aws-s3", "aws-iam", "aws-backup"], {})).map((p) => p.compiled);
    const { plan, config } = await bothModels();
    const opts = { unknownPolicy: "unknown" as const };
    const onPlan = new Map(deps.evaluate(plan, packs, opts).map((r) => [key(r), r.status]));
    const onConfig = deps.evaluate(config, packs, opts);
    const decided = onConfig.filter((r) => r.status === "pass" || r.status === "fail");
    for (const r of decided)
      expect({ result: key(r), status: onPlan.get(key(r)) }).toEqual({ result: key(r), status: r.status });
    // The insecure example fails on literals: the gate says so before any plan.
    const failed = decided.filter((r) => r.status === "fail").map(key);
    expect(failed).toEqual(
      expect.arrayContaining([
        "s3-encryption-kms aws_s3_bucket.data",
        "s3-versioning-enabled aws_s3_bucket.data",
        "s3-bucket-public-access-block aws_s3_bucket.data",
        "iam-policy-no-admin-statement aws_iam_policy.admin",
        "iam-role-cross-account-external-id aws_iam_role.partner",
        "backup-plan-min-retention aws_backup_plan.daily",
      ]),
    );
    // Only values the provider computes stay undecided before the plan.
    const undecided = onConfig.filter((r) => r.status === "unknown").map(key);
    if (process.env.PLANGATE_DEBUG) console.log({ decided: decided.length, undecided });
    expect(undecided.length).toBeLessThan(decided.length / 3);
  });
});
