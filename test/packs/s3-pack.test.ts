/**
 * The built-in S3 pack against its own test file (policies/aws-s3.test.yaml), through the real
 * pipeline, with coverage required: what `npm test` also runs through `plangate test`.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runPackTests } from "../../src/packtest/index.js";
import { renderText } from "../../src/packtest/report.js";
import { loadSchemaIndex } from "../../src/policy/provider-schema/index.js";

const TEST_FILE = fileURLToPath(new URL("../../policies/aws-s3.test.yaml", import.meta.url));

describe("policies/aws-s3.yaml", () => {
  it("passes every case of aws-s3.test.yaml and covers every rule", async () => {
    const report = await runPackTests([TEST_FILE], { schemaIndex: loadSchemaIndex() });
    const text = renderText(report, { requireCoverage: true, verbose: false });
    expect(report.summary.failed, text).toBe(0);
    expect(report.summary.uncoveredRules, text).toBe(0);
    expect(report.coverage.map((c) => c.rule)).toHaveLength(15);
  });
});
