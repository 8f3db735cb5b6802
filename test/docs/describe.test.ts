/**
 * Assertions -> prose: the fix section of `plangate docs` / `explain` says what to change, on
 * which resource, with parameter defaults; `where` filters read as conditions.
 */
import { describe, expect, test } from "vitest";
import { type DocLine, describeAssertion, paramsUsed } from "../../src/docs/describe.js";
import { ruleDoc } from "../../src/docs/rule-doc.js";
import type { Assertion, Parameter, PolicyPack } from "../../src/generated/policy-pack.types.js";
import { builtinPackNames, loadPacks } from "../../src/policy/load.js";

const params: Record<string, Parameter> = {
  minRetentionDays: { type: "number", default: 35 },
  trustedAccountIds: { type: "string[]", default: [] },
};

function flat(lines: readonly DocLine[], depth = 0): string[] {
  return lines.flatMap((l) => [`${"  ".repeat(depth)}${l.text}`, ...flat(l.children, depth + 1)]);
}

const fix = (a: Assertion): string[] => flat(describeAssertion(a, "fix", { params }));
const state = (a: Assertion): string[] => flat(describeAssertion(a, "state", { params }));

describe("describeAssertion", () => {
  test("an attribute on a linked companion reads as one instruction", () => {
    expect(
      fix({
        related: {
          type: "aws_s3_bucket_versioning",
          via: "bucket",
          direction: "in",
          require: { attribute: "versioning_configuration[0].status", equals: "Enabled" },
        },
      }),
    ).toEqual([
      "set `versioning_configuration[0].status` = `Enabled` on an `aws_s3_bucket_versioning` linked to this resource (`bucket = <this>.id`)",
    ]);
  });

  test("the preferred branch of `any` comes first; parameters show their defaults", () => {
    expect(
      fix({
        each: "rule",
        require: {
          any: [
            { attribute: "lifecycle[0].delete_after", greaterThanOrEqual: { $param: "minRetentionDays" } },
            { attribute: "lifecycle[0].delete_after", absent: true },
          ],
        },
      }),
    ).toEqual([
      "for every element of `rule`:",
      "  one of (the fix follows the first):",
      "    preferred: set `lifecycle[0].delete_after` ≥ `minRetentionDays` (default `35`)",
      "    or: remove `lifecycle[0].delete_after`",
    ]);
  });

  test("a forbidden companion (count max 0) says which ones to remove", () => {
    expect(
      fix({
        related: {
          type: "aws_iam_role_policy_attachment",
          direction: "in",
          where: { attribute: "policy_arn", matches: "AdministratorAccess$" },
          count: { max: 0 },
        },
      }),
    ).toEqual([
      "remove every `aws_iam_role_policy_attachment` linked to this resource where:",
      "  `policy_arn` matches `AdministratorAccess$`",
    ]);
  });

  test("policy documents: forbid and require, principals with a parameter, negation swaps them", () => {
    const forbid: Assertion = {
      policyDocument: {
        attribute: "assume_role_policy",
        forbid: {
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: { type: "AWS", otherAccounts: { $param: "trustedAccountIds" } },
          missingConditions: ["sts:ExternalId"],
        },
      },
    };
    expect(fix(forbid)).toEqual([
      "remove or narrow every statement of `assume_role_policy` that allows `sts:AssumeRole` to a principal of type `AWS` of an account not in `trustedAccountIds` (default `[]`) without a condition on `sts:ExternalId`",
    ]);
    expect(state({ not: forbid })).toEqual([
      "`assume_role_policy` has a statement that allows `sts:AssumeRole` to a principal of type `AWS` of an account not in `trustedAccountIds` (default `[]`) without a condition on `sts:ExternalId`",
    ]);
    expect(
      fix({
        policyDocument: {
          attribute: "policy",
          require: { effect: "Deny", actions: ["backup:DeleteRecoveryPoint"] },
        },
      }),
    ).toEqual(["add a statement to `policy` that denies `backup:DeleteRecoveryPoint`"]);
  });

  test("negated attributes read as the opposite operator", () => {
    expect(fix({ not: { attribute: "users", length: { greaterThan: 0 } } })).toEqual(["leave `users` empty"]);
    expect(state({ not: { attribute: "acl", in: ["public-read", "public-read-write"] } })).toEqual([
      "`acl` is none of `public-read`, `public-read-write`",
    ]);
    expect(
      fix({
        not: { attribute: "managed_policy_arns", contains: "arn:aws:iam::aws:policy/AdministratorAccess" },
      }),
    ).toEqual(["remove `arn:aws:iam::aws:policy/AdministratorAccess` from `managed_policy_arns`"]);
  });

  test("a hint on an attribute without a derivable value is shown with it", () => {
    expect(fix({ attribute: "kms_key_arn", exists: true, hint: "use a customer-managed key" })).toEqual([
      "set `kms_key_arn` — use a customer-managed key",
    ]);
  });

  test("assertions inside `related` name the related resource, not the subject", () => {
    expect(
      fix({
        related: {
          type: "aws_backup_selection",
          direction: "in",
          via: "resources",
          refAttribute: "arn",
          require: {
            related: {
              type: "aws_backup_plan",
              direction: "out",
              via: "plan_id",
              require: { attribute: "name", exists: true },
            },
          },
        },
      }),
    ).toEqual([
      "on an `aws_backup_selection` linked to this resource (`resources = <this>.arn`):",
      "  set `name` on an `aws_backup_plan` that `aws_backup_selection` refers to through `plan_id`",
    ]);
  });

  test("paramsUsed finds $param operands and param placeholders in paths", () => {
    expect(
      paramsUsed({
        where: { attribute: 'tags["${param.backupTagKey}"]', in: { $param: "backupTagValues" } },
        require: { attribute: "x", greaterThan: { $param: "minRetentionDays" } },
      }),
    ).toEqual(["backupTagKey", "backupTagValues", "minRetentionDays"]);
  });

  test("every rule of the built-in packs reads as prose (no raw assertion JSON)", async () => {
    const packs = (await loadPacks(builtinPackNames())).map((src) => src.data as PolicyPack);
    expect(packs.length).toBeGreaterThanOrEqual(3);
    for (const pack of packs) {
      for (const rule of pack.rules) {
        const doc = ruleDoc(pack, rule);
        const lines = [...flat(doc.fix), ...flat(doc.appliesWhen)];
        expect(lines.length, rule.id).toBeGreaterThan(0);
        for (const l of lines)
          expect(l, `${pack.metadata.name}/${rule.id}`).not.toMatch(/^\s*\{"|undefined|\[object /);
      }
    }
  });
});
