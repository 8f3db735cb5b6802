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
import { DEFAULT_SCOPES, selectedBy } from "../plan/actions.js";
import type { ActionScope, Link, ResourceInstance } from "../plan/types.js";
import type { AssertionEnv, CompiledAssertion } from "./compile-assertion.js";
import {
  type AssertionNode,
  dedupeUnknowns,
  type EvalContext,
  type Outcome,
  PASS,
  type Scope,
} from "./runtime.js";

type Spec = RelatedAssertion["related"];
type CompileFn = (a: Assertion, pointer: string, negated: boolean, env: AssertionEnv) => CompiledAssertion;

const DATA_SCOPES: readonly ActionScope[] = [...DEFAULT_SCOPES, "read"];

function viaMatches(linkVia: string, via: string | undefined): boolean {
  return (
    via === undefined || linkVia === via || linkVia.startsWith(`${via}.`) || linkVia.startsWith(`${via}[`)
  );
}

function candidates(
  scope: Scope,
  ctx: EvalContext,
  spec: Spec,
  types: ReadonlySet<string>,
): ResourceInstance[] {
  const mode = spec.mode ?? "managed";
  const accept = (r: ResourceInstance | undefined): r is ResourceInstance =>
    r !== undefined &&
    r !== scope.resource &&
    types.has(r.type) &&
    r.mode === mode &&
    selectedBy(r, mode === "data" ? DATA_SCOPES : DEFAULT_SCOPES);
  const { model } = ctx;
  const found: ResourceInstance[] = [];
  if (spec.scope === "plan") {
    for (const t of types) for (const r of model.byType.get(t) ?? []) if (accept(r)) found.push(r);
    return found;
  }
  const direction = spec.direction ?? "any";
  const address = scope.resource.address;
  const seen = new Set<string>();
  const take = (links: readonly Link[] | undefined, end: "from" | "to"): void => {
    for (const l of links ?? []) {
      if (!viaMatches(l.via, spec.via)) continue;
      const other = l[end];
      if (seen.has(other)) continue;
      const r = model.byAddress.get(other);
      if (accept(r)) {
        seen.add(other);
        found.push(r);
      }
    }
  };
  if (direction !== "out") take(model.incoming.get(address), "from");
  if (direction !== "in") take(model.outgoing.get(address), "to");
  return found;
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
  const missing = (subject: string): Violation => ({
    kind: "missing-related",
    address: subject,
    type: typeList[0] ?? "",
    ...(spec.via !== undefined && (spec.direction ?? "any") !== "out" ? { via: spec.via } : {}),
    ...(spec.refAttribute !== undefined ? { refAttribute: spec.refAttribute } : {}),
    requirements,
    ...(statements.length > 0 ? { statements } : {}),
  });
  const node: AssertionNode = (scope, ctx) => {
    const passing: ResourceInstance[] = [];
    const failing: Outcome[] = [];
    const unknowns: UnknownRef[] = [];
    let maybe = 0;
    for (const r of candidates(scope, ctx, spec, types)) {
      const rs: Scope = { resource: r, base: [], subject: scope.subject };
      const w = where ? where(rs, ctx) : PASS;
      if (w.status === "fail") continue;
      ctx.related.add(r.address);
      const o = require ? require.node(rs, ctx) : PASS;
      if (w.status === "unknown") {
        if (o.status !== "fail") {
          maybe++;
          unknowns.push(...w.unknowns, ...(o.status === "unknown" ? o.unknowns : []));
        }
        continue;
      }
      if (o.status === "pass") passing.push(r);
      else if (o.status === "unknown") {
        maybe++;
        unknowns.push(...o.unknowns);
      } else failing.push(o);
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
