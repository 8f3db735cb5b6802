/**
 * `evaluate`: compiled packs over a plan model -> one result per (rule, subject instance).
 *
 * Subjects come from the model's by-type index, so the cost is linear in rules x candidate
 * resources. Order is deterministic: pack order, rule order, then plan order. Deleted resources and
 * data reads are subjects only for rules whose `actions` ask for them.
 */
import { selectedBy } from "../plan/actions.js";
import type { PlanModel, ResourceInstance } from "../plan/types.js";
import type { CompiledPack, CompiledRule } from "../policy/compiled-pack.js";
import { dedupeUnknowns, type EvalContext, type Outcome, rootScope } from "../policy/runtime.js";
import { fingerprint } from "./fingerprint.js";
import { fillTemplate, unknownMessage } from "./message.js";
import type { RuleResult, Status, UnknownPolicy, UnknownRef, Violation } from "./types.js";

export interface EvaluateOptions {
  /** How undecidable results count when the rule does not say (default `unknown`). */
  readonly unknownPolicy?: UnknownPolicy;
  /** Only these rules: ids (`s3-versioning-enabled`) or qualified ids (`aws-s3/s3-versioning-enabled`). */
  readonly rules?: ReadonlySet<string>;
  /**
   * Only these results, as `pack/rule address` keys. Fix passes re-check just the (rule, resource)
   * pairs whose fixes are pending; a result depends on no other subject's, so each comes out the same.
   */
  readonly only?: ReadonlySet<string>;
}

const DEFAULT_FAIL_MESSAGE = "{{address}}: {{title}}";

function subjectsOf(
  rule: CompiledRule,
  model: PlanModel,
  order: () => ReadonlyMap<ResourceInstance, number>,
): ResourceInstance[] {
  const out: ResourceInstance[] = [];
  for (const type of rule.types) {
    for (const r of model.byType.get(type) ?? []) {
      if (r.mode === rule.mode && selectedBy(r, rule.actions)) out.push(r);
    }
  }
  if (rule.types.length > 1) {
    const index = order();
    out.sort((a, b) => (index.get(a) ?? 0) - (index.get(b) ?? 0));
  }
  return out;
}

function selected(rule: CompiledRule, pack: CompiledPack, filter: ReadonlySet<string> | undefined): boolean {
  return filter === undefined || filter.has(rule.id) || filter.has(`${pack.name}/${rule.id}`);
}

interface Decision {
  readonly status: Status;
  readonly violations: readonly Violation[];
  readonly unknowns: readonly UnknownRef[];
  readonly notes: readonly string[];
}

const NOT_APPLICABLE: Decision = { status: "not_applicable", violations: [], unknowns: [], notes: [] };

function decide(rule: CompiledRule, subject: ResourceInstance, ctx: EvalContext): Decision {
  const scope = rootScope(subject);
  const where: Outcome | undefined = rule.where?.(scope, ctx);
  if (where?.status === "fail") return NOT_APPLICABLE;
  const o = rule.require(scope, ctx);
  if (where?.status === "unknown") {
    // Whether the rule applies is not known: a pass is a pass either way, anything else waits.
    if (o.status === "pass") return { status: "pass", violations: [], unknowns: [], notes: [] };
    const unknowns = dedupeUnknowns([...where.unknowns, ...(o.status === "unknown" ? o.unknowns : [])]);
    return { status: "unknown", violations: [], unknowns, notes: [] };
  }
  switch (o.status) {
    case "pass":
      return { status: "pass", violations: [], unknowns: [], notes: [] };
    case "unknown":
      return { status: "unknown", violations: [], unknowns: o.unknowns, notes: [] };
    case "fail":
      return { status: "fail", violations: o.violations, unknowns: [], notes: o.notes ?? [] };
  }
}

function message(rule: CompiledRule, subject: ResourceInstance, d: Decision): string {
  switch (d.status) {
    case "pass":
      return rule.title;
    case "not_applicable":
      return `${rule.title}: not applicable (filtered out by the rule's where)`;
    case "unknown":
      return unknownMessage(rule.title, d.unknowns, subject.address);
    case "fail": {
      const fields = {
        address: subject.address,
        type: subject.type,
        name: subject.name,
        rule: rule.id,
        title: rule.title,
      };
      const text = fillTemplate(rule.message ?? DEFAULT_FAIL_MESSAGE, fields);
      return d.notes.length > 0 ? `${text} (${d.notes.join("; ")})` : text;
    }
  }
}

export function evaluate(
  model: PlanModel,
  packs: readonly CompiledPack[],
  options: EvaluateOptions = {},
): RuleResult[] {
  const ctx: EvalContext = { model, documents: new Map(), related: new Set() };
  let index: Map<ResourceInstance, number> | undefined;
  const order = (): ReadonlyMap<ResourceInstance, number> => {
    index ??= new Map(model.resources.map((r, i) => [r, i]));
    return index;
  };
  const results: RuleResult[] = [];
  for (const pack of packs) {
    for (const rule of pack.rules) {
      if (!selected(rule, pack, options.rules)) continue;
      const unknownPolicy = rule.unknown ?? options.unknownPolicy ?? "unknown";
      const prefix = `${pack.name}/${rule.id} `;
      for (const subject of subjectsOf(rule, model, order)) {
        if (options.only && !options.only.has(prefix + subject.address)) continue;
        ctx.related.clear();
        const d = decide(rule, subject, ctx);
        results.push({
          rule: rule.id,
          pack: pack.name,
          title: rule.title,
          severity: rule.severity,
          enforcement: rule.enforcement,
          controls: rule.controls,
          address: subject.address,
          resourceType: subject.type,
          status: d.status,
          message: message(rule, subject, d),
          violations: d.violations,
          unknowns: d.unknowns,
          related: [...ctx.related],
          unknownPolicy,
          fingerprint: fingerprint(pack.name, rule.id, subject.address),
          ...(rule.hint !== undefined && d.status === "fail" ? { hint: rule.hint } : {}),
        });
      }
    }
  }
  return results;
}
