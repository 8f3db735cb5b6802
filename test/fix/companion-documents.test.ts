/**
 * Missing companions carry everything their requirements need: what sits under `some`/`each`
 * (as `[0]` paths) and the policy statement of a `policyDocument` require, so a new bucket policy
 * or vault policy is written WITH its statement (`policy = jsonencode({...})`, Resource from the
 * subject's `arn` as references), and applying the fix makes the rule pass.
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { defaultCheckDeps } from "../../src/check/deps.js";
import type { LoadedPack } from "../../src/check/run.js";
import { evaluate } from "../../src/engine/evaluate.js";
import type { FixEdit, RuleResult, Violation } from "../../src/engine/types.js";
import { applyFixToModel } from "../../src/fix/apply-model.js";
import { deriveFixes } from "../../src/fix/derive.js";
import { buildPlanModel } from "../../src/plan/model.js";
import type { PlanModel } from "../../src/plan/types.js";
import { compilePack } from "../../src/policy/compile.js";
import type { CompiledPack } from "../../src/policy/compiled-pack.js";
import { loadSchemaIndex } from "../../src/policy/provider-schema/index.js";
import { parsePackText } from "../../src/policy/source.js";
import { model, type Res } from "./helpers.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const deps = defaultCheckDeps({ cwd: ROOT });

function planModel(file: string): PlanModel {
  return buildPlanModel(JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8")), file);
}

async function builtin(name: string): Promise<CompiledPack> {
  const [p] = (await deps.loadPacks([name], {})) as LoadedPack<CompiledPack>[];
  if (!p) throw new Error(name);
  return p.compiled;
}

function failing(results: readonly RuleResult[], rule: string, address: string): RuleResult {
  const r = results.find((x) => x.rule === rule && x.address === address);
  expect(r?.status, `${rule} ${address}`).toBe("fail");
  return r as RuleResult;
}

const addOf = (r: RuleResult): Extract<FixEdit, { op: "add-resource" }> => {
  const e = r.fix?.edits.find((x) => x.op === "add-resource");
  if (e?.op !== "add-resource") throw new Error("no add-resource");
  return e;
};

describe("companion policy documents", () => {
  let s3: CompiledPack;
  let backup: CompiledPack;
  beforeAll(async () => {
    s3 = await builtin("aws-s3");
    backup = await builtin("aws-backup");
  });

  it("s3-tls-only: a new aws_s3_bucket_policy holds the Deny, Principal * and the bucket's ARNs", () => {
    const m = planModel("policies/tests/aws-s3/inline-and-split.plan.json");
    const results = deriveFixes(evaluate(m, [s3], {}), m);
    const r = failing(results, "s3-tls-only", "aws_s3_bucket.both");
    const missing = r.violations[0] as Extract<Violation, { kind: "missing-related" }>;
    expect(missing.statements?.[0]?.subjectResources).toEqual([
      { path: ["arn"], suffix: "" },
      { path: ["arn"], suffix: "/*" },
    ]);
    const add = addOf(r);
    expect(add.references.bucket).toBe("aws_s3_bucket.both.id");
    expect(add.references.policy).toContain(
      'Resource  = [aws_s3_bucket.both.arn, "${aws_s3_bucket.both.arn}/*"]',
    );
    expect(add.references.policy).toContain('Principal = "*"');
    expect(add.references.policy).toContain('"aws:SecureTransport" = "false"');
    expect(r.fix?.hcl).toContain("policy = jsonencode({");
    // Round trip: the rule passes on the model with the new policy.
    const again = evaluate(applyFixToModel(m, r.fix ?? { edits: [] }), [s3], {
      rules: new Set(["s3-tls-only"]),
    });
    expect(again.find((x) => x.address === "aws_s3_bucket.both")?.status).toBe("pass");
  });

  it("backup vault policy: a new aws_backup_vault_policy holds the Deny on backup:DeleteRecoveryPoint", () => {
    const m = planModel("policies/tests/aws-backup/vaults.plan.json");
    const rule = "backup-vault-policy-denies-recovery-point-deletion";
    const results = deriveFixes(evaluate(m, [backup], {}), m);
    const r = failing(results, rule, "aws_backup_vault.default");
    const add = addOf(r);
    expect(add.references.policy).toContain('Action    = "backup:DeleteRecoveryPoint"');
    expect(add.references.policy).toContain('Resource  = "*"');
    const again = evaluate(applyFixToModel(m, r.fix ?? { edits: [] }), [backup], { rules: new Set([rule]) });
    expect(again.find((x) => x.address === "aws_backup_vault.default")?.status).toBe("pass");
  });

  it("a list-typed link argument takes the reference as a one-element list", () => {
    const m = planModel("policies/tests/aws-backup/coverage.plan.json");
    const results = deriveFixes(evaluate(m, [backup], {}), m, { schemas: loadSchemaIndex() });
    const r = failing(results, "backup-tagged-data-covered", "aws_s3_bucket.invoices");
    const add = addOf(r);
    expect(add.references.resources).toBe("[aws_s3_bucket.invoices.arn]");
    expect(r.fix?.hcl).toContain("resources = [aws_s3_bucket.invoices.arn]");
    const created = applyFixToModel(m, { edits: [add] }).byAddress.get(add.address);
    expect(created?.after.unknown).toMatchObject({ resources: [true] });
  });

  it("what a new companion still lacks is named by its address (the fix passes name it the same: one hint)", () => {
    const m = planModel("policies/tests/aws-s3/inline-and-split.plan.json");
    const results = deriveFixes(evaluate(m, [s3], {}), m);
    const r = failing(results, "s3-noncurrent-version-expiration", "aws_s3_bucket.both");
    expect(addOf(r).attributes).toEqual({ rule: [{ status: "Enabled" }] });
    expect(r.fix?.hints).toContain(
      "aws_s3_bucket_lifecycle_configuration.both: rule[0].noncurrent_version_expiration[0].noncurrent_days must be set",
    );
  });

  it("a logging companion names its required target_bucket in the snippet, with no invented value", () => {
    const m = planModel("policies/tests/aws-s3/inline-and-split.plan.json");
    const results = deriveFixes(evaluate(m, [s3], {}), m, { schemas: loadSchemaIndex() });
    const r = failing(results, "s3-access-logging", "aws_s3_bucket.both");
    expect(addOf(r).required).toContain("target_bucket");
    expect(r.fix?.hcl).toContain(
      "# target_bucket = <required by the provider: no value follows from the rule>",
    );
    expect(r.fix?.hints.join("\n")).toMatch(/set `target_bucket`/);
  });
});

const PACK = `apiVersion: plangate/v1
kind: PolicyPack
metadata: { name: t, version: 1.0.0 }
rules:
  - id: lifecycle
    title: a companion with an enabled rule that expires noncurrent versions
    severity: low
    enforcement: advisory
    resource: aws_s3_bucket
    require:
      related:
        type: aws_s3_bucket_lifecycle_configuration
        via: bucket
        direction: in
        require:
          some: rule
          require:
            all:
              - { attribute: status, equals: Enabled }
              - { attribute: "noncurrent_version_expiration[0].noncurrent_days", greaterThanOrEqual: 30 }
  - id: own-arn
    title: the policy covers the bucket's own ARN
    severity: low
    enforcement: advisory
    resource: aws_s3_bucket
    require:
      policyDocument:
        attribute: policy
        require: { effect: Deny, resources: [{ $subject: arn, suffix: "/*" }] }
`;

describe("compiled requirements", () => {
  const compiled = compilePack(parsePackText(PACK, "t.yaml", "yaml"));
  const pack = compiled.pack as CompiledPack;

  it("`some` requirements of a companion are flattened into [0] paths", () => {
    expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const m = model([
      { address: "aws_s3_bucket.b", type: "aws_s3_bucket", name: "b", after: { bucket: "b" } },
    ]);
    const r = evaluate(m, [pack], { rules: new Set(["lifecycle"]) })[0];
    const v = r?.violations[0] as Extract<Violation, { kind: "missing-related" }>;
    expect(v.requirements).toEqual([
      { path: ["rule", 0, "status"], expected: { op: "equals", value: "Enabled" } },
      {
        path: ["rule", 0, "noncurrent_version_expiration", 0, "noncurrent_days"],
        expected: { op: "greaterThanOrEqual", value: 30 },
      },
    ]);
    const [fixed] = deriveFixes(r ? [r] : [], m);
    expect(fixed?.fix?.edits[0]).toMatchObject({
      op: "add-resource",
      attributes: { rule: [{ status: "Enabled", noncurrent_version_expiration: [{ noncurrent_days: 30 }] }] },
    });
  });

  it("`$subject` resources compare with a known ARN and constrain nothing while it is unknown", () => {
    const policy = (resource: string): string =>
      JSON.stringify({ Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: resource }] });
    const bucket = (name: string, arn: string | undefined, resource: string): Res => ({
      address: `aws_s3_bucket.${name}`,
      type: "aws_s3_bucket",
      name,
      after: { bucket: name, policy: policy(resource), ...(arn ? { arn } : {}) },
      ...(arn ? {} : { afterUnknown: { arn: true } }),
    });
    const m = model([
      bucket("own", "arn:aws:s3:::own", "arn:aws:s3:::own/*"),
      bucket("other", "arn:aws:s3:::other", "arn:aws:s3:::elsewhere/*"),
      bucket("fresh", undefined, "arn:aws:s3:::fresh/*"),
    ]);
    const status = Object.fromEntries(
      evaluate(m, [pack], { rules: new Set(["own-arn"]) }).map((r) => [r.address, r.status]),
    );
    expect(status).toEqual({
      "aws_s3_bucket.fresh": "pass",
      "aws_s3_bucket.other": "fail",
      "aws_s3_bucket.own": "pass",
    });
    const other = evaluate(m, [pack], { rules: new Set(["own-arn"]) }).find(
      (r) => r.address === "aws_s3_bucket.other",
    );
    // The statement to add names the subject's own ARN, resolved.
    expect(other?.violations[0]).toMatchObject({
      kind: "policy-missing-statement",
      statement: { Effect: "Deny", Resource: ["arn:aws:s3:::other/*"] },
    });
  });
});
