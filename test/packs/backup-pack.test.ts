/**
 * The aws-backup pack's own test cases (policies/aws-backup.test.yaml) through the `plangate test`
 * runner, with the pack type-checked against the AWS provider schema plangate ships: every
 * expectation holds and every rule has a passing and a failing case.
 */
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { renderPackTestText, runPackTests } from "../../src/packtest/index.js";
import { loadSchemaIndex } from "../../src/policy/provider-schema/index.js";

const testFile = fileURLToPath(new URL("../../policies/aws-backup.test.yaml", import.meta.url));

test("aws-backup: every case passes and every rule is covered", async () => {
  const report = await runPackTests([testFile], { schemaIndex: loadSchemaIndex() });
  const text = renderPackTestText(report, { verbose: false, requireCoverage: true });
  expect(report.summary.cases, text).toBeGreaterThan(0);
  expect(report.summary.failed, text).toBe(0);
  expect(report.summary.uncoveredRules, text).toBe(0);
});
