/**
 * Fix passes, ESLint style: apply a result's fix to the model, evaluate its rule again, derive a
 * fix for what still fails, and fold it in — until the rule passes, nothing new can be derived, or
 * 10 passes. A new companion often only shows its own requirements once it exists (a lifecycle
 * configuration must also hold an enabled rule): the second pass finds them.
 */

import type { Fix, FixEdit, RuleResult } from "../engine/types.js";
import type { PlanModel } from "../plan/types.js";
import { applyFixToModel } from "./apply-model.js";
import { deriveFix, setIn } from "./derive.js";
import { renderHcl } from "./snippet.js";

export const MAX_FIX_PASSES = 10;

/** Evaluate one rule on a model (the caller binds packs and options). */
export type EvaluateRule = (model: PlanModel, rule: RuleResult) => readonly RuleResult[];

const key = (e: FixEdit): string => JSON.stringify(e);

/** Fold edits on resources the fix creates into the creating `add-resource` edit. */
function fold(edits: readonly FixEdit[], more: readonly FixEdit[]): FixEdit[] {
  const out = [...edits];
  for (const e of more) {
    const i = out.findIndex((x) => x.op === "add-resource" && x.address === e.address);
    const created = out[i];
    if (created && created.op === "add-resource") {
      if (e.op === "set") out[i] = { ...created, attributes: setIn(created.attributes, e.path, e.value) };
      continue; // removing from a resource that does not exist yet: nothing to do
    }
    if (!out.some((x) => key(x) === key(e))) out.push(e);
  }
  return out;
}

export interface IteratedFix {
  readonly fix: Fix;
  /**
   * True when the rule was evaluated again and no longer fails on the model with the fix applied
   * (false also when no pass ran: fixes without a new companion are not re-evaluated).
   */
  readonly resolved: boolean;
  readonly passes: number;
}

/** Iterate the fix of one failed result. */
export function iterateFix(result: RuleResult, model: PlanModel, evaluateRule: EvaluateRule): IteratedFix {
  const first = result.fix ?? deriveFix(result, model);
  if (!first) return { fix: { edits: [], hints: [] }, resolved: true, passes: 0 };
  // Only new companions can reveal new requirements; direct edits are complete in one pass (and
  // skipping them keeps large plans linear: each pass evaluates the rule over the whole model).
  if (!first.edits.some((e) => e.op === "add-resource")) return { fix: first, resolved: false, passes: 1 };
  let edits: FixEdit[] = [...first.edits];
  const hints = [...first.hints];
  let passes = 1;
  let resolved = false;
  while (passes < MAX_FIX_PASSES && edits.length > 0) {
    const fixed = applyFixToModel(model, { edits });
    const again = evaluateRule(fixed, result).find(
      (r) => r.rule === result.rule && r.address === result.address,
    );
    if (!again || again.status !== "fail") {
      resolved = true;
      break;
    }
    const next = deriveFix(again, fixed);
    for (const h of next?.hints ?? []) if (!hints.includes(h)) hints.push(h);
    const folded = fold(edits, next?.edits ?? []);
    if (folded.length === edits.length && folded.every((e, i) => key(e) === key(edits[i] as FixEdit))) break;
    edits = folded;
    passes++;
  }
  const hcl = renderHcl({ edits }, model, result.violations);
  return { fix: { edits, hints, ...(hcl ? { hcl } : {}) }, resolved, passes };
}

/** `deriveFixes`, then fix passes for every failed result. */
export function deriveFixesIterated(
  results: readonly RuleResult[],
  model: PlanModel,
  evaluateRule: EvaluateRule,
): RuleResult[] {
  return results.map((r) => {
    if (r.status !== "fail") return r;
    return { ...r, fix: iterateFix(r, model, evaluateRule).fix };
  });
}
