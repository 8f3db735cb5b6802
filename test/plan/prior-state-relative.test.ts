import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildPlanModel } from "../../src/plan/model.js";

const corpus = fileURLToPath(new URL("../../../shared/corpus/plans/", import.meta.url));

describe("prior_state data sources of format 0.1 child modules", () => {
  it("get module-qualified addresses (Terraform 0.12 printed them relative)", () => {
    const file = `${corpus}tfcompliance__test_filtering_01-plan.out.json`;
    const model = buildPlanModel(JSON.parse(readFileSync(file, "utf8")), file);
    const docs = model.resources
      .filter((r) => r.type === "aws_iam_policy_document" && r.moduleAddress !== "")
      .map((r) => r.address);
    expect(docs).toContain("module.aws-pinpoint-secondary.data.aws_iam_policy_document.this");
    expect(docs).toContain(
      "module.aws-pinpoint-secondary.module.iam-role.data.aws_iam_policy_document.assume_role_policy",
    );
    // No relative duplicates left in the root module.
    const rootDocs = model.resources.filter(
      (r) => r.type === "aws_iam_policy_document" && r.moduleAddress === "",
    );
    expect(rootDocs.map((r) => r.address).sort()).toEqual([
      "data.aws_iam_policy_document.cloudwatch_firehose_policy",
      "data.aws_iam_policy_document.cloudwatch_firehose_trust",
      "data.aws_iam_policy_document.firehose_lambda_policy",
      "data.aws_iam_policy_document.firehose_lambda_trust",
      "data.aws_iam_policy_document.firehose_s3_policy",
      "data.aws_iam_policy_document.firehose_s3_trust",
    ]);
    // The module document is now linked from its consumer inside the module.
    const incoming =
      model.incoming.get("module.aws-pinpoint-secondary.data.aws_iam_policy_document.this") ?? [];
    expect(incoming.length).toBeGreaterThan(0);
  });
});
