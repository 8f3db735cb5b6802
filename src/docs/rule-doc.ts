/**
 * One rule's documentation as data: what `plangate explain` prints and `plangate docs` renders.
 * Pure: built from the parsed pack, nothing evaluated.
 */
import type { Parameter, PolicyPack, Rule } from "../generated/policy-pack.types.js";
import { type DescribeContext, type DocLine, describeAssertion, paramsUsed } from "./describe.js";

export interface RuleDoc {
  readonly pack: string;
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly severity: Rule["severity"];
  readonly enforcement: Rule["enforcement"];
  readonly controls: readonly string[];
  readonly resourceTypes: readonly string[];
  readonly mode: "managed" | "data";
  /** Planned actions the rule looks at; `undefined`: the default (resources that exist after apply). */
  readonly actions?: readonly string[];
  /** How undecidable results count, when the rule sets it. */
  readonly unknown?: Rule["unknown"];
  readonly appliesWhen: readonly DocLine[];
  readonly passes?: string;
  /** What to change, derived from `require`. */
  readonly fix: readonly DocLine[];
  readonly hint?: string;
  readonly message?: string;
  readonly url?: string;
  /** Pack parameters the rule reads, with their declarations. */
  readonly parameters: readonly (readonly [string, Parameter])[];
}

export function ruleDoc(pack: PolicyPack, rule: Rule): RuleDoc {
  const declared = pack.parameters ?? {};
  const ctx: DescribeContext = { params: declared };
  const used = paramsUsed([rule.where, rule.require]);
  const parameters = used.flatMap((name): (readonly [string, Parameter])[] => {
    const p = declared[name];
    return p ? [[name, p]] : [];
  });
  const homepage = pack.metadata.homepage;
  const url = rule.docs?.url ?? (homepage ? `${homepage}#${rule.id}` : undefined);
  return {
    pack: pack.metadata.name,
    id: rule.id,
    title: rule.title,
    ...(rule.description !== undefined && { description: rule.description }),
    severity: rule.severity,
    enforcement: rule.enforcement,
    controls: rule.controls ?? [],
    resourceTypes: Array.isArray(rule.resource) ? rule.resource : [rule.resource],
    mode: rule.mode ?? "managed",
    ...(rule.actions !== undefined && { actions: rule.actions }),
    ...(rule.unknown !== undefined && { unknown: rule.unknown }),
    appliesWhen: rule.where ? describeAssertion(rule.where, "state", ctx) : [],
    ...(rule.docs?.passes !== undefined && { passes: rule.docs.passes }),
    fix: describeAssertion(rule.require, "fix", ctx),
    ...(rule.fix?.hint !== undefined && { hint: rule.fix.hint }),
    ...(rule.message !== undefined && { message: rule.message }),
    ...(url !== undefined && { url }),
    parameters,
  };
}

/** A rule by id across packs; `pack/id` picks one when several packs share an id. */
export function findRule(
  packs: readonly PolicyPack[],
  ref: string,
): { readonly pack: PolicyPack; readonly rule: Rule }[] {
  const slash = ref.lastIndexOf("/");
  const packName = slash >= 0 ? ref.slice(0, slash) : undefined;
  const id = slash >= 0 ? ref.slice(slash + 1) : ref;
  const found: { pack: PolicyPack; rule: Rule }[] = [];
  for (const pack of packs) {
    if (packName !== undefined && pack.metadata.name !== packName) continue;
    for (const rule of pack.rules) if (rule.id === id) found.push({ pack, rule });
  }
  return found;
}

/** Rule ids closest to `ref`, for "did you mean" (shared prefix words). */
export function similarRules(packs: readonly PolicyPack[], ref: string, max = 3): string[] {
  const words = new Set(ref.toLowerCase().split(/[-/]/));
  const scored = packs.flatMap((p) =>
    p.rules.map((r) => ({ id: r.id, score: r.id.split("-").filter((w) => words.has(w)).length })),
  );
  return scored
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
    .slice(0, max)
    .map((s) => s.id);
}
