import { describe, expect, it } from "vitest";
import { inspectReport, inspectText } from "../../src/cli/commands/inspect.js";
import { runCli } from "./cli.js";
import { FIXTURES, fixturePlan } from "./helpers.js";

describe("plangate inspect output", () => {
  it("JSON keeps the issue's names: address, type, mode, actions, unknown, sensitive, links {to, via}", async () => {
    const report = inspectReport(await fixturePlan("s3-module-companions.plan.json"));
    expect(report).toMatchObject({ format_version: "1.2", terraform_version: "1.9.8", complete: true });
    expect(
      report.resources.find((r) => r.address === 'module.buckets["logs"].aws_s3_bucket_versioning.this[0]'),
    ).toEqual({
      address: 'module.buckets["logs"].aws_s3_bucket_versioning.this[0]',
      type: "aws_s3_bucket_versioning",
      mode: "managed",
      actions: ["create"],
      checked: true,
      unknown: ["bucket", "id", "versioning_configuration[0].mfa_delete"],
      sensitive: [],
      links: [
        { to: 'module.buckets["logs"].aws_s3_bucket_policy.this[0]', via: "bucket", kind: "reference" },
        { to: 'module.buckets["logs"].aws_s3_bucket.this[0]', via: "bucket", kind: "transitive" },
      ],
    });
  });

  it("text lists each resource with its links, and the module calls", async () => {
    const model = await fixturePlan("s3-module-companions.plan.json");
    const text = inspectText(inspectReport(model), "plan.json");
    expect(text).toContain("plan.json: format 1.2, terraform 1.9.8, complete: true, 13 resources\n");
    expect(text).toContain(
      [
        "aws_s3_bucket_server_side_encryption_configuration.literal  (create)",
        "  unknown:   id",
        "  -> aws_s3_bucket.named  via bucket (value)",
      ].join("\n"),
    );
    expect(text).toContain("module calls:\n  module.buckets  ./modules/bucket\n");
  });

  it("the CLI prints the same text", () => {
    const path = `${FIXTURES}s3-module-companions.plan.json`;
    const run = runCli(["inspect", path]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'module.buckets["data"].data.aws_iam_policy_document.combined[0]  (no-op, data)',
    );
  });
});
