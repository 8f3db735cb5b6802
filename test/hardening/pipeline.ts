/**
 * The whole gate in-process, from bytes to every output: decode, bounded parse, plan model, the
 * built-in packs, evaluate, fixes, report, every format of the reporter registry, and `inspect`.
 * Hardening tests drive hostile input through this and classify what comes out.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { assembleReport } from "../../src/check/assemble.js";
import type { Report, RuleInfo } from "../../src/check/types.js";
import { inspectReport, inspectText } from "../../src/cli/commands/inspect.js";
import { evaluate } from "../../src/engine/evaluate.js";
import { deriveFixes } from "../../src/fix/derive.js";
import { decodeText, parseJson } from "../../src/plan/decode.js";
import { buildPlanModel } from "../../src/plan/model.js";
import { InputError, type PlanModel } from "../../src/plan/types.js";
import { compilePack } from "../../src/policy/compile.js";
import type { CompiledPack } from "../../src/policy/compiled-pack.js";
import { parsePackText } from "../../src/policy/source.js";
import { FORMATS, render } from "../../src/report/index.js";
import type { JsonLimits } from "../../src/safety/json.js";

export const CORPUS = fileURLToPath(new URL("../../../shared/corpus/plans/", import.meta.url));
export const POLICIES = fileURLToPath(new URL("../../policies/", import.meta.url));
export const FIXTURES = fileURLToPath(new URL("../fixtures/hardening/", import.meta.url));

export function corpusFiles(): string[] {
  return readdirSync(CORPUS)
    .filter((f) => f.endsWith(".json"))
    .sort();
}

/** The built-in packs (policies/*.yaml without their tests). */
export function builtinPackFiles(): string[] {
  return readdirSync(POLICIES)
    .filter((f) => f.endsWith(".yaml") && !/\.tests?\.ya?ml$/.test(f))
    .sort();
}

/** A pack from text: compiled, or the one-line InputError the CLI would print for its first error. */
export function compileText(text: string, file: string, origin: "yaml" | "json" = "yaml"): CompiledPack {
  const source = parsePackText(text, file, origin);
  const { pack, diagnostics } = compilePack(source);
  if (!pack) {
    const d = diagnostics.find((x) => x.severity === "error") ?? diagnostics[0];
    throw new InputError(
      d ? d.message : "pack did not compile",
      d ? `${d.file}:${d.line}:${d.column}` : file,
    );
  }
  return pack;
}

/** A one-rule pack on aws_s3_bucket with the given `require` (YAML flow text). */
export function packWith(require: string, name = "test-pack"): string {
  return [
    "apiVersion: plangate/v1",
    "kind: PolicyPack",
    `metadata: { name: ${name}, version: 1.0.0 }`,
    "rules:",
    "  - id: r",
    "    title: t",
    "    severity: low",
    "    enforcement: advisory",
    "    resource: aws_s3_bucket",
    `    require: ${require}`,
  ].join("\n");
}

/** A plan with one new aws_s3_bucket whose `after` is given. */
export function bucketPlan(after: Record<string, unknown>): Buffer {
  const change = { actions: ["create"], before: null, after, after_unknown: {}, after_sensitive: {} };
  const rc = {
    address: "aws_s3_bucket.b",
    mode: "managed",
    type: "aws_s3_bucket",
    name: "b",
    provider_name: "registry.terraform.io/hashicorp/aws",
    change,
  };
  return Buffer.from(JSON.stringify({ format_version: "1.2", resource_changes: [rc] }));
}

/** The resource types that hold IAM policy documents the built-in packs read. */
export const POLICY_TYPES = [
  "aws_iam_policy",
  "aws_s3_bucket_policy",
  "aws_iam_role",
  "aws_iam_role_policy",
] as const;

/** `resource_changes` entries `TYPE.p` (new) for each policy type, with the given after / unknown. */
export function policyChanges(
  after: Record<string, unknown>,
  afterUnknown: Record<string, unknown> = {},
): Record<string, unknown>[] {
  return POLICY_TYPES.map((type) => ({
    address: `${type}.p`,
    mode: "managed",
    type,
    name: "p",
    provider_name: "registry.terraform.io/hashicorp/aws",
    change: { actions: ["create"], before: null, after, after_unknown: afterUnknown, after_sensitive: {} },
  }));
}

/** A plan whose policy resources all hold `policy` (as `policy` and `assume_role_policy`). */
export function policyPlan(policy: string): Buffer {
  const after = { name: "p", bucket: "b", role: "r", policy, assume_role_policy: policy };
  return Buffer.from(JSON.stringify({ format_version: "1.2", resource_changes: policyChanges(after) }));
}

let builtins: CompiledPack[] | undefined;
export function builtinPacks(): CompiledPack[] {
  builtins ??= builtinPackFiles().map((f) =>
    compileText(readFileSync(POLICIES + f, "utf8"), `policies/${f}`),
  );
  return builtins;
}

export function modelFromBytes(bytes: Uint8Array, file = "plan.json", limits: JsonLimits = {}): PlanModel {
  return buildPlanModel(parseJson(decodeText(bytes, file), file, limits), file);
}

function ruleInfos(packs: readonly CompiledPack[]): RuleInfo[] {
  return packs.flatMap((p) =>
    p.rules.map((r) => ({
      id: r.id,
      pack: p.name,
      title: r.title,
      severity: r.severity,
      enforcement: r.enforcement,
      controls: r.controls,
    })),
  );
}

export interface GateOutput {
  readonly report: Report;
  /** Every format of the registry, plus `inspect` (text and JSON). */
  readonly outputs: Readonly<Record<string, string>>;
}

/** Evaluate, fix, assemble and render: everything a user could see of one plan. */
export function gate(model: PlanModel, packs: readonly CompiledPack[] = builtinPacks()): GateOutput {
  const results = deriveFixes(evaluate(model, packs), model);
  const report = assembleReport({
    toolVersion: "0.0.0-test",
    packs: packs.map((p) => ({ name: p.name, version: p.version })),
    rules: ruleInfos(packs),
    plans: [{ model, results }],
    strictWaivers: false,
    allowEmpty: true,
    today: "2026-01-01",
  });
  const outputs: Record<string, string> = {};
  for (const f of FORMATS) outputs[f] = render(f, report);
  const inspected = inspectReport(model);
  outputs["inspect-text"] = inspectText(inspected, model.file);
  outputs["inspect-json"] = JSON.stringify(inspected, null, 2);
  return { report, outputs };
}

export type Outcome =
  | { readonly kind: "ok"; readonly output: GateOutput }
  | { readonly kind: "input-error"; readonly line: string };

/**
 * Run `f`: its result, or the one-line InputError it threw. Any other exception propagates: that is
 * the bug a hardening test is looking for.
 */
export function classify<T>(f: () => T): { kind: "ok"; value: T } | { kind: "input-error"; line: string } {
  try {
    return { kind: "ok", value: f() };
  } catch (err) {
    if (err instanceof InputError) return { kind: "input-error", line: err.oneLine() };
    throw err;
  }
}

/** Bytes of a plan through the whole gate. */
export function gateBytes(bytes: Uint8Array, packs?: readonly CompiledPack[]): Outcome {
  const r = classify(() => gate(modelFromBytes(bytes), packs));
  return r.kind === "ok" ? { kind: "ok", output: r.value } : r;
}
