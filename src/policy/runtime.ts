/**
 * What compiled assertions are at run time: closures `(scope, ctx) => Outcome`, three-valued.
 *
 * An outcome is pass, fail (with the violations that say what to change) or unknown (with the
 * values, not known until apply, that blocked the decision). The engine turns outcomes into results.
 */
import type { UnknownRef, Violation } from "../engine/types.js";
import type { AttrPath, JsonValue, PlanModel, ResourceInstance } from "../plan/types.js";
import type { NormalizedDocument } from "./policy-document/normalize.js";
import type { Read } from "./read.js";

export type Outcome =
  | { readonly status: "pass" }
  | {
      readonly status: "fail";
      readonly violations: readonly Violation[];
      /** Extra sentences for the message (e.g. "the policy is not valid JSON"). */
      readonly notes?: readonly string[];
    }
  | { readonly status: "unknown"; readonly unknowns: readonly UnknownRef[] };

export const PASS: Outcome = { status: "pass" };

/** Where an assertion is evaluated. */
export interface Scope {
  /** The resource whose attributes paths read (the subject, or a related resource). */
  readonly resource: ResourceInstance;
  /** Prefix of every path: the element being looked at inside `each` / `some` / `none`. */
  readonly base: AttrPath;
  /** The rule's subject: what `{ $subject: PATH }` reads. */
  readonly subject: ResourceInstance;
  /** Set while `related` indexes its `where` (see related-where.ts): `$subject` operands use it. */
  readonly probe?: SubjectProbe;
}

/** A stand-in for the subject's value in `$subject` operands, which reports what it is compared with. */
export interface SubjectProbe {
  readonly operand: JsonValue;
  readonly compared: (read: Read) => void;
}

/** Per-evaluation state shared by every rule and subject of one `evaluate` call. */
export interface EvalContext {
  readonly model: PlanModel;
  /** Parsed policy documents by resource, then path, so a document is parsed once per run. */
  readonly documents: Map<ResourceInstance, Map<string, DocumentRead>>;
  /** Related resources that took part in the current subject's decision (reset per result). */
  readonly related: Set<string>;
  /**
   * Indexes compiled assertions build over the model once per run (links by type, `related`
   * candidates), keyed by an object the assertion owns. Read through `cached`.
   */
  readonly indexes: Map<object, unknown>;
}

export function newEvalContext(model: PlanModel): EvalContext {
  return { model, documents: new Map(), related: new Set(), indexes: new Map() };
}

/**
 * The run's value for `key`, built on first use (the model does not change during a run).
 * `build` gets the context, so a caller can pass one function made at compile time, not a
 * closure per call.
 */
export function cached<T extends object>(ctx: EvalContext, key: object, build: (ctx: EvalContext) => T): T {
  const hit = ctx.indexes.get(key);
  if (hit !== undefined) return hit as T;
  const value = build(ctx);
  ctx.indexes.set(key, value);
  return value;
}

/** A policy document read from a resource: parsed, unknown, absent or invalid. */
export type DocumentRead =
  | {
      readonly state: "document";
      readonly document: NormalizedDocument;
      readonly address: string;
      readonly path: AttrPath;
    }
  | { readonly state: "unknown"; readonly unknowns: readonly UnknownRef[] }
  | { readonly state: "absent" }
  | { readonly state: "invalid"; readonly error: string };

export type AssertionNode = (scope: Scope, ctx: EvalContext) => Outcome;

/** The base of every top-level scope: read-only, so one array serves every subject. */
const NO_BASE: AttrPath = Object.freeze([]) as AttrPath;

export function rootScope(subject: ResourceInstance): Scope {
  return { resource: subject, base: NO_BASE, subject };
}

/** The top-level scope of another resource, for the subject `subject` (inside `related`). */
export function resourceScope(resource: ResourceInstance, subject: ResourceInstance): Scope {
  return { resource, base: NO_BASE, subject };
}

/**
 * Fail if any fails (all failing violations); else unknown if any unknown; else pass. Lists are
 * made only when needed: most junctions pass.
 */
export function allOf(outcomes: readonly Outcome[]): Outcome {
  let violations: Violation[] | undefined;
  let notes: string[] | undefined;
  let unknowns: UnknownRef[] | undefined;
  for (const o of outcomes) {
    if (o.status === "fail") {
      violations ??= [];
      violations.push(...o.violations);
      if (o.notes) {
        notes ??= [];
        notes.push(...o.notes);
      }
    } else if (o.status === "unknown") {
      unknowns ??= [];
      unknowns.push(...o.unknowns);
    }
  }
  if (violations)
    return notes && notes.length > 0 ? { status: "fail", violations, notes } : { status: "fail", violations };
  if (unknowns && unknowns.length > 0) return { status: "unknown", unknowns: dedupeUnknowns(unknowns) };
  return PASS;
}

/**
 * `allOf` of the nodes' outcomes at one scope. Outcomes are kept only once one is not a pass:
 * most junctions pass, and then no list is made.
 */
export function allOfNodes(nodes: readonly AssertionNode[], scope: Scope, ctx: EvalContext): Outcome {
  let kept: Outcome[] | undefined;
  for (const node of nodes) {
    const o = node(scope, ctx);
    if (o.status === "pass") continue;
    if (kept) kept.push(o);
    else kept = [o];
  }
  return kept ? allOf(kept) : PASS;
}

/**
 * `anyOf` of the nodes' outcomes at one scope, without a list when one passes. Every node runs
 * even after a pass: a later one may still record related resources.
 */
export function anyOfNodes(nodes: readonly AssertionNode[], scope: Scope, ctx: EvalContext): Outcome {
  let kept: Outcome[] | undefined;
  let passed = false;
  for (const node of nodes) {
    const o = node(scope, ctx);
    if (o.status === "pass") passed = true;
    else if (passed) continue;
    else if (kept) kept.push(o);
    else kept = [o];
  }
  return passed || !kept ? PASS : anyOf(kept);
}

/** Pass if any passes; else unknown if any unknown; else the first failure (the preferred fix). */
export function anyOf(outcomes: readonly Outcome[]): Outcome {
  let unknowns: UnknownRef[] | undefined;
  let firstFail: Outcome | undefined;
  for (const o of outcomes) {
    if (o.status === "pass") return PASS;
    if (o.status === "unknown") {
      unknowns ??= [];
      unknowns.push(...o.unknowns);
    } else firstFail ??= o;
  }
  if (unknowns && unknowns.length > 0) return { status: "unknown", unknowns: dedupeUnknowns(unknowns) };
  return firstFail ?? PASS;
}

export function dedupeUnknowns(unknowns: readonly UnknownRef[]): UnknownRef[] {
  const seen = new Set<string>();
  const out: UnknownRef[] = [];
  for (const u of unknowns) {
    const key = `${u.address}\u0000${u.path.join("\u0001")}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(u);
  }
  return out;
}
