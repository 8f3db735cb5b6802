/**
 * `related`: resources linked to the current resource through the reference graph (or, with
 * `scope: plan`, every resource of the type in the plan), filtered by `where`, counted against
 * `require` and `count` (default: at least one).
 *
 * `count.min` defaults to 1, or to 0 when only `count.max` is given (`max: 0` forbids).
 * Three-valued counting: with p related resources that pass and u that might (unknown), the count
 * holds when p >= min and p + u <= max, fails when p + u < min or p > max, else is unknown. A
 * related resource that will be deleted does not count.
 */
import type { Requirement, UnknownRef, Violation } from "../engine/types.js";
import type { Assertion, RelatedAssertion } from "../generated/policy-pack.types.js";
import type { AttrPath, JsonValue, ResourceInstance } from "../plan/types.js";
import type { AssertionEnv, CompiledAssertion } from "./compile-assertion.js";
import { readAt } from "./read.js";
import { type CandidateSpec, candidateFinder, planCandidates } from "./related-candidates.js";
import { buildWhereIndex, indexedSubjectPath, lookupWhere, type WhereIndex } from "./related-where.js";
import {
  type AssertionNode,
  cached,
  dedupeUnknowns,
  type EvalContext,
  type Outcome,
  PASS,
  resourceScope,
  type Scope,
} from "./runtime.js";

type Spec = RelatedAssertion["related"];
type CompileFn = (a: Assertion, pointer: string, negated: boolean, env: AssertionEnv) => CompiledAssertion;

/**
 * The related resources a `related` check visited, by what they came to. Lists are made on their
 * first entry, one element long: most checks see one related resource, or none.
 */
interface Tally {
  passing: ResourceInstance[] | undefined;
  failing: Outcome[] | undefined;
  /** Unknown until apply: the count of those that might pass, and what blocks them. */
  maybe: number;
  unknowns: UnknownRef[] | undefined;
}

function newTally(): Tally {
  return { passing: undefined, failing: undefined, maybe: 0, unknowns: undefined };
}

function addUnknowns(tally: Tally, unknowns: readonly UnknownRef[]): void {
  tally.maybe++;
  if (tally.unknowns) tally.unknowns.push(...unknowns);
  else tally.unknowns = [...unknowns];
}

/** Counts a related resource whose where is `w` (not a failure) and whose require is `o`. */
function count(tally: Tally, r: ResourceInstance, w: Outcome, o: Outcome): Tally {
  if (w.status === "unknown") {
    if (o.status !== "fail")
      addUnknowns(tally, o.status === "unknown" ? [...w.unknowns, ...o.unknowns] : w.unknowns);
  } else if (o.status === "pass") {
    if (tally.passing) tally.passing.push(r);
    else tally.passing = [r];
  } else if (o.status === "unknown") addUnknowns(tally, o.unknowns);
  else if (tally.failing) tally.failing.push(o);
  else tally.failing = [o];
  return tally;
}

function forbiddenRelated(subject: string, passing: readonly ResourceInstance[] | undefined): Violation[] {
  return (passing ?? []).map((r) => ({
    kind: "forbidden-related",
    address: subject,
    related: r.address,
    type: r.type,
  }));
}

/**
 * For a `scope: plan` where the index can answer: the candidates a subject visits, with their
 * where outcomes; undefined when the subject's value is unknown (then the where runs as written).
 */
function whereLookup(
  spec: CandidateSpec,
  where: AssertionNode,
  subjectPath: AttrPath | null,
): (scope: Scope, ctx: EvalContext) => ReturnType<typeof lookupWhere> | undefined {
  const indexKey = {};
  const build = (ctx: EvalContext): WhereIndex => buildWhereIndex(planCandidates(spec, ctx), where, ctx);
  return (scope, ctx) => {
    let operand: JsonValue = null;
    if (subjectPath) {
      const s = readAt(scope.subject.after, subjectPath);
      // Each candidate's where is unknown, naming the subject: evaluated as written.
      if (s.state === "unknown") return undefined;
      if (s.state === "known") operand = s.value;
    }
    return lookupWhere(cached(ctx, indexKey, build), operand, scope.resource);
  };
}

export function compileRelated(
  spec: Spec,
  pointer: string,
  negated: boolean,
  env: AssertionEnv,
  compile: CompileFn,
): CompiledAssertion {
  const inner: AssertionEnv = { ...env, inRelated: true };
  const typeList = typeof spec.type === "string" ? [spec.type] : spec.type;
  const types = new Set(typeList);
  const where = spec.where ? compile(spec.where, `${pointer}/where`, false, inner).node : undefined;
  const require = spec.require ? compile(spec.require, `${pointer}/require`, false, inner) : undefined;
  const max = spec.count?.max;
  // "At most n" alone means 0..n; otherwise at least one.
  const min = spec.count?.min ?? (max !== undefined ? 0 : 1);
  if (max !== undefined && max < min)
    env.ctx.error(`${pointer}/count`, "invalid-count", `count.max (${max}) is below count.min (${min})`);
  const requirements: readonly Requirement[] = require?.requirements ?? [];
  const statements = require?.statements ?? [];
  // Only the subject's address differs between missing-related violations: copied from one
  // template (the spread keeps the key order, `address` second).
  const missingTemplate: Violation = {
    kind: "missing-related",
    address: "",
    type: typeList[0] ?? "",
    ...(spec.via !== undefined && (spec.direction ?? "any") !== "out" ? { via: spec.via } : {}),
    ...(spec.refAttribute !== undefined ? { refAttribute: spec.refAttribute } : {}),
    requirements,
    ...(statements.length > 0 ? { statements } : {}),
  };
  const missing = (subject: string): Violation => ({ ...missingTemplate, address: subject });
  const candidateSpec: CandidateSpec = {
    types,
    mode: spec.mode ?? "managed",
    scope: spec.scope === "plan" ? "plan" : "links",
    direction: spec.direction ?? "any",
    via: spec.via,
  };
  const find = candidateFinder(candidateSpec);
  // `scope: plan` looks at every resource of the type for every subject: an index on the where
  // keeps that linear (undefined: this where cannot be indexed).
  const indexedPath =
    spec.scope === "plan" && spec.where ? indexedSubjectPath(spec.where, env.ctx.params) : undefined;
  if (spec.scope === "plan" && spec.where && indexedPath === undefined) {
    // Quadratic on a big plan: pack authors should hear it from `plangate validate`, not from CI times.
    env.ctx.warning(
      `${pointer}/where`,
      "related-where-pairwise",
      "this where reads the subject other than through `equals: { $subject: PATH }` (one path, no [*]): " +
        "it is evaluated for every (subject, candidate) pair, subjects × candidates on a big plan; " +
        "an `equals` on the subject is looked up in an index instead",
    );
  }
  const fromIndex =
    where && indexedPath !== undefined ? whereLookup(candidateSpec, where, indexedPath) : undefined;
  const visit = (
    tally: Tally | undefined,
    r: ResourceInstance,
    w: Outcome,
    rs: Scope,
    ctx: EvalContext,
  ): Tally | undefined => {
    if (w.status === "fail") return tally;
    ctx.related.add(r.address);
    const o = require ? require.node(rs, ctx) : PASS;
    return count(tally ?? newTally(), r, w, o);
  };
  const node: AssertionNode = (scope, ctx) => {
    // Made on the first candidate the where lets through: most subjects have none or one.
    let tally: Tally | undefined;
    const indexed = fromIndex?.(scope, ctx);
    if (indexed) {
      for (const e of indexed) {
        for (const a of e.related) ctx.related.add(a);
        tally = visit(tally, e.resource, e.outcome, resourceScope(e.resource, scope.subject), ctx);
      }
    } else {
      for (const r of find(scope.resource, ctx)) {
        const rs = resourceScope(r, scope.subject);
        tally = visit(tally, r, where ? where(rs, ctx) : PASS, rs, ctx);
      }
    }
    const p = tally?.passing?.length ?? 0;
    const maybe = tally?.maybe ?? 0;
    const tooFew = p + maybe < min;
    const tooMany = max !== undefined && p > max;
    const holds =
      tooFew || tooMany ? false : p >= min && (max === undefined || p + maybe <= max) ? true : undefined;
    if (holds === undefined) return { status: "unknown", unknowns: dedupeUnknowns(tally?.unknowns ?? []) };
    if (holds !== negated) return PASS;
    const subject = scope.resource.address;
    if (negated || tooMany) return { status: "fail", violations: forbiddenRelated(subject, tally?.passing) };
    // Too few: fix the companions that exist but fail, else add one.
    const fixable = tally?.failing?.flatMap((o) => (o.status === "fail" ? o.violations : [])) ?? [];
    return { status: "fail", violations: fixable.length > 0 ? fixable : [missing(subject)] };
  };
  return { node, requirements: [] };
}
