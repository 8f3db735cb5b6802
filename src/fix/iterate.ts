/**
 * Fix passes, ESLint style: apply the fixes to the model, evaluate the rules again, derive fixes
 * for what still fails, and fold them in — until the rules pass, nothing new can be derived, or 10
 * passes. A new companion often only shows its own requirements once it exists (a lifecycle
 * configuration must also hold an enabled rule): the second pass finds them.
 *
 * Passes run over all pending results at once (one model update and one evaluation per pass), so a
 * plan with thousands of failures costs a few evaluations, not thousands.
 */

import type { Fix, FixEdit, RuleResult } from "../engine/types.js";
import type { PlanModel } from "../plan/types.js";
import { formatPath } from "../plan/values.js";
import { applyFixToModel } from "./apply-model.js";
import { type DeriveOptions, deriveFix, withFix } from "./derive.js";
import { mergeEdits } from "./merge.js";
import { setIn } from "./paths.js";
import { renderHcl } from "./snippet.js";
import { statementJson } from "./statement.js";

export const MAX_FIX_PASSES = 10;

/**
 * Evaluate some rules on a model; `rules` holds qualified ids (`pack/rule`). The caller binds the
 * compiled packs and options.
 */
export type EvaluateRules = (
  model: PlanModel,
  rules: ReadonlySet<string>,
  /** Only these results (`pack/rule address`, as `resultKey`): a hint, evaluating more is correct. */
  only?: ReadonlySet<string>,
) => readonly RuleResult[];

const canon = (e: FixEdit): string => JSON.stringify(e);
const resultKey = (r: RuleResult): string => `${r.pack}/${r.rule} ${r.address}`;

/** Fold edits on resources the fix creates into the creating `add-resource` edit. */
function fold(edits: readonly FixEdit[], more: readonly FixEdit[], hints: string[]): FixEdit[] {
  const out = [...edits];
  for (const e of more) {
    const i = out.findIndex((x) => x.op === "add-resource" && x.address === e.address);
    const created = out[i];
    if (created && created.op === "add-resource") {
      if (e.op === "set") out[i] = { ...created, attributes: setIn(created.attributes, e.path, e.value) };
      else if (e.op === "add-statement") {
        // A statement matcher names only what it checks (effect, actions, a condition): the policy
        // of a new resource also needs its Principal and Resource, which no rule says. A hint, not a value.
        const hint = `${e.address}: its ${formatPath(e.path)} needs a statement like ${JSON.stringify(statementJson(e.statement))} (with the principals and resources it applies to)`;
        if (!hints.includes(hint)) hints.push(hint);
      }
      continue; // removing from a resource that does not exist yet: nothing to do
    }
    if (!out.some((x) => canon(x) === canon(e))) out.push(e);
  }
  return out;
}

export interface IteratedFix {
  readonly fix: Fix;
  /**
   * True when the rule was evaluated again and no longer fails with the fix applied (false also
   * when no pass ran: fixes without a new companion are complete in one pass and not re-evaluated).
   */
  readonly resolved: boolean;
  readonly passes: number;
}

interface Pending {
  readonly result: RuleResult;
  edits: readonly FixEdit[];
  hints: readonly string[];
  passes: number;
  resolved: boolean;
  done: boolean;
}

/**
 * A fix that passes evaluate again, with the names passes match results by. Only these need them
 * (a fix without a new companion is done after one pass): at 50k, 21k of the 43k failures.
 */
interface Passing extends Pending {
  /** `pack/rule`, as fix merging and evaluateRules name rules. */
  readonly rule: string;
  readonly key: string;
}

/**
 * The first fix of each failed result, at the result's index (undefined for the other results), and
 * those that passes iterate.
 */
function firstFixes(
  results: readonly RuleResult[],
  model: PlanModel,
  opts: DeriveOptions,
): { all: (Pending | undefined)[]; passing: Passing[] } {
  const all: (Pending | undefined)[] = [];
  const passing: Passing[] = [];
  // Indexed: a for-of over the 167k results of a 50k plan allocated an iterator result per step.
  for (let i = 0; i < results.length; i++) {
    const r = results[i] as RuleResult;
    const first = r.status === "fail" ? (r.fix ?? deriveFix(r, model, opts)) : undefined;
    if (!first) {
      all.push(undefined);
      continue;
    }
    // Only new companions can reveal new requirements; direct edits are complete in one pass.
    if (first.edits.some((e) => e.op === "add-resource")) {
      // Not copied: a pass replaces `edits` with a new list and `hints` is copied before it grows.
      const p: Passing = {
        result: r,
        edits: first.edits,
        hints: first.hints,
        passes: 1,
        resolved: false,
        done: false,
        rule: `${r.pack}/${r.rule}`,
        key: resultKey(r),
      };
      passing.push(p);
      all.push(p);
    } else
      all.push({ result: r, edits: first.edits, hints: first.hints, passes: 1, resolved: false, done: true });
  }
  return { all, passing };
}

/** One pass over the pending results: apply their fixes, evaluate again, fold in what still fails. */
function runPass(
  pending: readonly Passing[],
  model: PlanModel,
  evaluateRules: EvaluateRules,
  opts: DeriveOptions,
): void {
  // One model with every pending fix applied; companions of several rules merge into one.
  const merged = mergeEdits(pending);
  const fixed = applyFixToModel(model, { edits: [...merged.edits.values()].flat() });
  const rules = new Set(pending.map((p) => p.rule));
  // Only the pending (rule, resource) pairs: re-checking every subject of those rules was most
  // of the fix passes' evaluation on big plans.
  const again = matchResults(pending, evaluateRules(fixed, rules, new Set(pending.map((p) => p.key))));
  for (const p of pending) {
    const now = again.get(p);
    if (now?.status !== "fail") {
      p.resolved = true;
      p.done = true;
      continue;
    }
    const next = deriveFix(now, fixed, opts);
    const hints = [...p.hints];
    for (const h of next?.hints ?? []) if (!hints.includes(h)) hints.push(h);
    const more = next?.edits ?? [];
    // Folding nothing in leaves the edits as they are (a companion's remaining requirements that
    // no value follows for come back as hints only).
    const folded = more.length > 0 ? fold(p.edits, more, hints) : p.edits;
    p.hints = hints;
    if (
      folded.length === p.edits.length &&
      folded.every((e, j) => e === p.edits[j] || canon(e) === canon(p.edits[j] as FixEdit))
    ) {
      p.done = true; // nothing new to derive: what is left is in the hints
      continue;
    }
    p.edits = folded;
    p.passes++;
  }
}

/**
 * The result of each pending fix's (rule, resource) pair among `results`, matched by the
 * resource's address and the rule, not by a key string joined per result. Every pending fix of a
 * (pack, rule, address) gets its result, not only the first: two objects can share an address (a
 * broken plan), and the evaluation returns one result for them.
 */
function matchResults(pending: readonly Passing[], results: readonly RuleResult[]): Map<Passing, RuleResult> {
  const bySubject = new Map<string, Passing[]>();
  for (const p of pending) {
    const list = bySubject.get(p.result.address);
    if (list) list.push(p);
    else bySubject.set(p.result.address, [p]);
  }
  const out = new Map<Passing, RuleResult>();
  for (const r of results) {
    const list = bySubject.get(r.address);
    if (!list) continue;
    // Indexed, not for-of: no iterator per result (the lists are a few fixes long).
    for (let i = 0; i < list.length; i++) {
      const p = list[i] as Passing;
      if (p.result.rule === r.rule && p.result.pack === r.pack) out.set(p, r);
    }
  }
  return out;
}

/** Run fix passes for failed results; returns the iterated fix at each failed result's index. */
function runPasses(
  results: readonly RuleResult[],
  model: PlanModel,
  evaluateRules: EvaluateRules,
  opts: DeriveOptions,
): (Pending | undefined)[] {
  // Each pass's fix is only edits and hints: `toFix` renders the HCL of the final one.
  const passOpts: DeriveOptions = { ...opts, hcl: false };
  const { all, passing } = firstFixes(results, model, passOpts);
  for (let pass = 1; pass < MAX_FIX_PASSES; pass++) {
    const pending = passing.filter((p) => !p.done);
    if (pending.length === 0) break;
    runPass(pending, model, evaluateRules, passOpts);
  }
  return all;
}

function toFix(p: Pending, model: PlanModel): Fix {
  const hcl = renderHcl({ edits: p.edits }, model, p.result.violations);
  // No `...(hcl ? { hcl } : {})`: a temporary object and a copy per fix.
  return hcl ? { edits: p.edits, hints: p.hints, hcl } : { edits: p.edits, hints: p.hints };
}

/** Iterate the fix of one failed result. */
export function iterateFix(
  result: RuleResult,
  model: PlanModel,
  evaluateRules: EvaluateRules,
  opts: DeriveOptions = {},
): IteratedFix {
  const p = runPasses([result], model, evaluateRules, opts)[0];
  if (!p) return { fix: { edits: [], hints: [] }, resolved: true, passes: 0 };
  return { fix: toFix(p, model), resolved: p.resolved, passes: p.passes };
}

/** `deriveFixes`, then fix passes for every failed result at once. */
export function deriveFixesIterated(
  results: readonly RuleResult[],
  model: PlanModel,
  evaluateRules: EvaluateRules,
  opts: DeriveOptions = {},
): RuleResult[] {
  const passes = runPasses(results, model, evaluateRules, opts);
  return results.map((r, i) => {
    const p = passes[i];
    return p ? withFix(r, toFix(p, model)) : r;
  });
}
