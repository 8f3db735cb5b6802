/**
 * Removal edits: only where unsetting the value is valid Terraform and what the rule wants.
 * A required argument (per the provider schema) or an assertion with its own hint gets a hint;
 * a removed inline block leaves the configuration too, so `configured` assertions see it gone.
 */
import { describe, expect, it } from "vitest";
import type { Violation } from "../../src/engine/types.js";
import { applyFixToModel } from "../../src/fix/apply-model.js";
import { deriveFix } from "../../src/fix/derive.js";
import { readConfigured } from "../../src/policy/operators/configured.js";
import { loadSchemaIndex } from "../../src/policy/provider-schema/index.js";
import { failed, model, type Res } from "./helpers.js";

const schemas = loadSchemaIndex();

const ATTACHMENT: Res = {
  address: "aws_iam_role_policy_attachment.admin",
  type: "aws_iam_role_policy_attachment",
  name: "admin",
  after: { role: "app", policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" },
};

function notMatches(address: string, path: string[], hint?: string): Violation {
  return {
    kind: "attribute",
    address,
    path,
    actual: { state: "known", value: "arn:aws:iam::aws:policy/AdministratorAccess" },
    expected: { op: "notMatches", pattern: "AdministratorAccess$" },
    ...(hint !== undefined ? { hint } : {}),
  };
}

describe("removal fixes", () => {
  it("a required argument is never removed: the fix says to set another value", () => {
    const m = model([ATTACHMENT]);
    const r = failed("r", ATTACHMENT.address, [notMatches(ATTACHMENT.address, ["policy_arn"])]);
    const fix = deriveFix(r, m, { schemas });
    expect(fix?.edits).toEqual([]);
    expect(fix?.hints).toEqual([
      "aws_iam_role_policy_attachment.admin: policy_arn must not match /AdministratorAccess$/ (the provider requires it: set another value)",
    ]);
    // Without schemas nothing says it is required: the removal stands.
    expect(deriveFix(r, m)?.edits).toEqual([
      { op: "remove", address: ATTACHMENT.address, path: ["policy_arn"] },
    ]);
  });

  it("an optional argument is removed, unless the assertion says what to set instead", () => {
    const vault: Res = {
      address: "aws_backup_vault.v",
      type: "aws_backup_vault",
      name: "v",
      after: { name: "v", kms_key_arn: "arn:aws:kms:eu-west-1:111122223333:alias/aws/backup" },
    };
    const m = model([vault]);
    const plain = failed("r", vault.address, [notMatches(vault.address, ["kms_key_arn"])]);
    expect(deriveFix(plain, m, { schemas })?.edits).toEqual([
      { op: "remove", address: vault.address, path: ["kms_key_arn"] },
    ]);
    const hinted = failed("r", vault.address, [notMatches(vault.address, ["kms_key_arn"], "Use a CMK.")]);
    const fix = deriveFix(hinted, m, { schemas });
    expect(fix?.edits).toEqual([]);
    expect(fix?.hints).toEqual(["aws_backup_vault.v: Use a CMK."]);
  });

  it("removing an inline block removes it from the configuration as well", () => {
    const bucket: Res = {
      address: "aws_s3_bucket.b",
      type: "aws_s3_bucket",
      name: "b",
      after: { bucket: "b", versioning: [{ enabled: true, mfa_delete: false }] },
      expressions: { bucket: { constant_value: "b" }, versioning: [{ enabled: { constant_value: true } }] },
    };
    const m = model([bucket]);
    const before = m.byAddress.get(bucket.address);
    expect(before && readConfigured(before, ["versioning"]).state).toBe("known");
    const fixed = applyFixToModel(m, {
      edits: [{ op: "remove", address: bucket.address, path: ["versioning"] }],
    });
    const after = fixed.byAddress.get(bucket.address);
    expect(after && readConfigured(after, ["versioning"]).state).toBe("absent");
    expect(after && readConfigured(after, ["bucket"]).state).toBe("known");
  });
});
