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
import type { JsonValue, ResourceInstance } from "../plan/types.js";
import type { AssertionEnv, CompiledAssertion } from "./compile-assertion.js";
import { readAt } from "./read.js";
import { type CandidateSpec, candidateFinder, planCandidates } from "./related-candidates.js";
import { buildWhereIndex, indexedSubjectPath, lookupWhere } from "./related-where.js";
import {
  type AssertionNode,
  cached,
  dedupeUnknowns,
  type EvalContext,
  type Outcome,
  PASS,
  type Scope,
} from "./runtime.js";

type Spec = RelatedAssertion["related"];
type CompileFn = (a: Assertion, pointer: string, negated: boolean, env: AssertionEnv) => CompiledAssertion;

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
  const missing = (subject: string): Violation => ({
    kind: "missing-related",
    address: subject,
    type: typeList[0] ?? "",
    ...(spec.via !== undefined && (spec.direction ?? "any") !== "out" ? { via: spec.via } : {}),
    ...(spec.refAttribute !== undefined ? { refAttribute: spec.refAttribute } : {}),
    requirements,
    ...(statements.length > 0 ? { statements } : {}),
  });
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
  const indexKey = {};
  /** The candidates with their where outcomes from the index; undefined when the subject's value is unknown. */
  const fromIndex = (
    scope: Scope,
    ctx: EvalContext,
    whereNode: AssertionNode,
  ): ReturnType<typeof lookupWhere> | undefined => {
    let operand: JsonValue = null;
    if (indexedPath) {
      const s = readAt(scope.subject.after, indexedPath);
      // Each candidate's where is unknown, naming the subject: evaluated as written.
      if (s.state === "unknown") return undefined;
      if (s.state === "known") operand = s.value;
    }
    const index = cached(ctx, indexKey, () =>
      buildWhereIndex(planCandidates(candidateSpec, ctx), whereNode, ctx),
    );
    return lookupWhere(index, operand, scope.resource);
  };
  const node: AssertionNode = (scope, ctx) => {
    const passing: ResourceInstance[] = [];
    const failing: Outcome[] = [];
    const unknowns: UnknownRef[] = [];
    let maybe = 0;
    const visit = (r: ResourceInstance, w: Outcome, rs: Scope): void => {
      if (w.status === "fail") return;
      ctx.related.add(r.address);
      const o = require ? require.node(rs, ctx) : PASS;
      if (w.status === "unknown") {
        if (o.status !== "fail") {
          maybe++;
          unknowns.push(...w.unknowns, ...(o.status === "unknown" ? o.unknowns : []));
        }
        return;
      }
      if (o.status === "pass") passing.push(r);
      else if (o.status === "unknown") {
        maybe++;
        unknowns.push(...o.unknowns);
      } else failing.push(o);
    };
    const indexed = where && indexedPath !== undefined ? fromIndex(scope, ctx, where) : undefined;
    if (indexed) {
      for (const e of indexed) {
        for (const a of e.related) ctx.related.add(a);
        visit(e.resource, e.outcome, { resource: e.resource, base: [], subject: scope.subject });
      }
    } else {
      for (const r of find(scope.resource, ctx)) {
        const rs: Scope = { resource: r, base: [], subject: scope.subject };
        visit(r, where ? where(rs, ctx) : PASS, rs);
      }
    }
    const p = passing.length;
    const tooFew = p + maybe < min;
    const tooMany = max !== undefined && p > max;
    const holds =
      tooFew || tooMany ? false : p >= min && (max === undefined || p + maybe <= max) ? true : undefined;
    if (holds === undefined) return { status: "unknown", unknowns: dedupeUnknowns(unknowns) };
    if (holds !== negated) return PASS;
    const subject = scope.resource.address;
    const forbidden = (rs: readonly ResourceInstance[]): Violation[] =>
      rs.map((r) => ({ kind: "forbidden-related", address: subject, related: r.address, type: r.type }));
    if (negated) return { status: "fail", violations: forbidden(passing) };
    if (tooMany) return { status: "fail", violations: forbidden(passing) };
    // Too few: fix the companions that exist but fail, else add one.
    const fixable = failing.flatMap((o) => (o.status === "fail" ? o.violations : []));
    return { status: "fail", violations: fixable.length > 0 ? fixable : [missing(subject)] };
  };
  return { node, requirements: [] };
}
