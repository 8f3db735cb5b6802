/**
 * `related` with `scope: plan` and a `where`: the where's outcome for every (subject, candidate)
 * pair, without evaluating it for every pair.
 *
 * A where that reads the subject only through `equals: { $subject: PATH }` (one PATH, any polarity)
 * depends on the subject through one thing: which of the values it compares with the subject's
 * value equals it. `equals` holds for a known value exactly when the two are equal; an absent
 * value never holds and a value with unknown parts is unknown, whatever the operand. So, per
 * candidate, the where is evaluated once with an operand equal to none of its compared values (its
 * default outcome) and once per distinct compared value; a subject then picks, per candidate, the
 * outcome of its own value or the default. Building costs one pass over the candidates; a subject
 * visits only the candidates whose outcome for its value is not a failure.
 *
 * What the where records on the way (policy documents read from other resources go into
 * `ctx.related`) does not depend on the operand: it is recorded once and replayed.
 */
import type { Assertion, AttributeAssertion } from "../generated/policy-pack.types.js";
import type { AttrPath, JsonValue, ResourceInstance } from "../plan/types.js";
import { isSubjectRef } from "./context.js";
import { isOperatorName } from "./operators/index.js";
import { wholeValue } from "./operators/types.js";
import { hasWildcard, parsePath, substituteParams } from "./path.js";
import type { Read } from "./read.js";
import type { AssertionNode, EvalContext, Outcome } from "./runtime.js";

/** How a `where` depends on the subject. */
export type SubjectUse =
  | { readonly kind: "none" }
  /** Only through `equals: { $subject: text }`, all with this (unparsed) path text. */
  | { readonly kind: "equals"; readonly text: string }
  /** Some other way (another operator, a policy document's `$subject`, a nested `related`). */
  | { readonly kind: "other" };

const NONE: SubjectUse = { kind: "none" };
const OTHER: SubjectUse = { kind: "other" };

function both(a: SubjectUse, b: SubjectUse): SubjectUse {
  if (a.kind === "none") return b;
  if (b.kind === "none") return a;
  if (a.kind === "equals" && b.kind === "equals" && a.text === b.text) return a;
  return OTHER;
}

function attributeUse(a: AttributeAssertion): SubjectUse {
  const record = a as unknown as Record<string, unknown>;
  let use = NONE;
  for (const key of Object.keys(record)) {
    if (!isOperatorName(key)) continue;
    const operand = record[key];
    if (isSubjectRef(operand))
      use = both(use, key === "equals" ? { kind: "equals", text: operand.$subject } : OTHER);
  }
  return use;
}

/** How an assertion (a `where`, before compiling) depends on the subject. */
export function subjectUse(a: Assertion): SubjectUse {
  if ("attribute" in a) return attributeUse(a as AttributeAssertion);
  if ("all" in a) return a.all.reduce<SubjectUse>((u, x) => both(u, subjectUse(x)), NONE);
  if ("any" in a) return a.any.reduce<SubjectUse>((u, x) => both(u, subjectUse(x)), NONE);
  if ("not" in a) return subjectUse(a.not);
  if ("each" in a) return subjectUse(a.require);
  if ("some" in a) return subjectUse(a.require);
  if ("none" in a) return subjectUse(a.require);
  // A nested related passes the subject on to assertions over other resources: not indexed.
  if ("related" in a) return OTHER;
  if ("policyDocument" in a) {
    const doc = a.policyDocument;
    const matchers = [doc.require, doc.forbid];
    const readsSubject = matchers.some((m) => m?.resources?.some((e) => typeof e !== "string"));
    return readsSubject ? OTHER : NONE;
  }
  return NONE;
}

/**
 * The subject path an indexable where reads (`null`: it does not read the subject), or
 * `undefined` when the where cannot be indexed. Parsed quietly: the compiled `equals` reports a
 * bad path itself, and the pack then does not compile.
 */
export function indexedSubjectPath(
  where: Assertion,
  params: ReadonlyMap<string, JsonValue>,
): AttrPath | null | undefined {
  const use = subjectUse(where);
  if (use.kind === "none") return null;
  if (use.kind === "other") return undefined;
  const sub = substituteParams(use.text, params);
  if (!sub.ok) return undefined;
  const parsed = parsePath(sub.text);
  if (!parsed.ok || hasWildcard(parsed.path)) return undefined;
  return parsed.path as AttrPath;
}

/**
 * JSON text with object keys sorted: two values have the same key exactly when they are
 * `jsonEqual`.
 */
export function canonicalKey(v: JsonValue): string {
  if (typeof v !== "object" || v === null) return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalKey).join(",")}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalKey(v[k] as JsonValue)}`).join(",")}}`;
}

/** A where's outcome for one candidate, and what evaluating it added to `ctx.related`. */
interface Entry {
  /** Position among the candidates (plan order). */
  readonly position: number;
  readonly resource: ResourceInstance;
  readonly outcome: Outcome;
  readonly related: readonly string[];
}

export interface WhereIndex {
  /** Candidates to visit whatever the subject's value: their default outcome is not a failure, or they record something. */
  readonly always: readonly Entry[];
  /** By canonical key of a compared value: the candidates' outcomes when the subject has that value. */
  readonly byValue: ReadonlyMap<string, readonly Entry[]>;
}

/**
 * Evaluate `where` over every candidate. `probe` gives the `$subject` operands a value and
 * collects what they are compared with.
 */
export function buildWhereIndex(
  candidates: readonly ResourceInstance[],
  where: AssertionNode,
  ctx: EvalContext,
): WhereIndex {
  // Its own `related` set, so building (in the middle of some subject's decision) records nothing there.
  const own: EvalContext = { ...ctx, related: new Set() };
  const always: Entry[] = [];
  const byValue = new Map<string, Entry[]>();
  candidates.forEach((resource, position) => {
    const compared = new Map<string, JsonValue>();
    const collect = (read: Read): void => {
      const v = wholeValue(read);
      if (v?.state === "value") compared.set(canonicalKey(v.value), v.value);
    };
    const run = (operand: JsonValue): Outcome =>
      // `subject` is not read: `$subject` operands take the probe's value.
      where({ resource, base: [], subject: resource, probe: { operand, compared: collect } }, own);
    own.related.clear();
    let outcome = run(null);
    const related = [...own.related];
    // The default outcome needs an operand equal to none of the compared values.
    if (compared.has("null")) {
      let other = "";
      while (compared.has(JSON.stringify(other))) other += "?";
      outcome = run(other);
    }
    const fallback: Entry = { position, resource, outcome, related };
    if (outcome.status !== "fail" || related.length > 0) always.push(fallback);
    for (const [key, value] of compared) {
      const entry: Entry = { position, resource, outcome: run(value), related };
      const list = byValue.get(key);
      if (list) list.push(entry);
      else byValue.set(key, [entry]);
    }
  });
  return { always, byValue };
}

/**
 * The candidates (other than `subject`) a subject whose `$subject` value is `operand` visits,
 * in candidate order, each with its where outcome.
 */
export function lookupWhere(index: WhereIndex, operand: JsonValue, subject: ResourceInstance): Entry[] {
  const specific = index.byValue.get(canonicalKey(operand)) ?? [];
  const out: Entry[] = [];
  // Merge the two lists (both in candidate order); a specific outcome replaces the default.
  let i = 0;
  let j = 0;
  while (i < index.always.length || j < specific.length) {
    const a = index.always[i];
    const s = specific[j];
    let next: Entry;
    if (s === undefined || (a !== undefined && a.position < s.position)) {
      next = a as Entry;
      i++;
    } else {
      next = s;
      j++;
      if (a !== undefined && a.position === s.position) i++;
    }
    if (next.resource !== subject) out.push(next);
  }
  return out;
}
