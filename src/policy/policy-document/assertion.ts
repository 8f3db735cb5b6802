/**
 * The `policyDocument` assertion: `require` (some statement matches) and / or `forbid` (no statement
 * matches) over the IAM policy document held by an attribute.
 *
 * A document not known until apply is unknown; an absent one has no statements (so `require`
 * fails and `forbid` passes); one that is not valid JSON fails with a note that says so.
 */
import type { StatementRequirement, Violation } from "../../engine/types.js";
import type { PolicyDocumentAssertion, StatementMatcher } from "../../generated/policy-pack.types.js";
import type { AttrPath } from "../../plan/types.js";
import type { AssertionEnv, CompiledAssertion } from "../compile-assertion.js";
import { hasWildcard } from "../path.js";
import { checkRegex } from "../regex-safety.js";
import { type AssertionNode, allOfNodes, anyOfNodes, type Outcome, PASS } from "../runtime.js";
import {
  compileMatcher,
  type MatcherSpec,
  narrowing,
  type ResourceEntry,
  requiredStatement,
  type StatementTest,
} from "./match.js";
import { readDocument } from "./read.js";

type Spec = PolicyDocumentAssertion["policyDocument"];

function matcherSpec(m: StatementMatcher, pointer: string, env: AssertionEnv): MatcherSpec | undefined {
  const { ctx } = env;
  let ok = true;
  let actionMatches: RegExp | undefined;
  if (m.actionMatches !== undefined) {
    const checked = checkRegex(m.actionMatches);
    if (checked.ok) actionMatches = checked.regex;
    else {
      ctx.error(`${pointer}/actionMatches`, checked.code, checked.error);
      ok = false;
    }
  }
  let principals: MatcherSpec["principals"];
  if (m.principals) {
    const { otherAccounts, ...rest } = m.principals;
    let accounts: readonly string[] | undefined;
    if (otherAccounts !== undefined) {
      const v = ctx.value(otherAccounts, `${pointer}/principals/otherAccounts`);
      if (v === undefined) ok = false;
      else if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
        ctx.error(
          `${pointer}/principals/otherAccounts`,
          "parameter-type",
          "`otherAccounts` needs a list of account ids",
        );
        ok = false;
      } else accounts = v as string[];
    }
    principals = { ...rest, ...(accounts ? { otherAccounts: accounts } : {}) };
  }
  let resources: ResourceEntry[] | undefined;
  if (m.resources) {
    resources = [];
    m.resources.forEach((e, i) => {
      if (typeof e === "string") {
        resources?.push(e);
        return;
      }
      const at = `${pointer}/resources/${i}/$subject`;
      const path = ctx.path(e.$subject, at);
      if (!path) ok = false;
      else if (hasWildcard(path)) {
        ctx.error(at, "invalid-path", "a `$subject` path cannot contain [*]");
        ok = false;
      } else resources?.push({ subject: path as AttrPath, suffix: e.suffix ?? "" });
    });
  }
  if (!ok) return undefined;
  return {
    ...(m.effect ? { effect: m.effect } : {}),
    ...(m.actions ? { actions: m.actions } : {}),
    ...(actionMatches ? { actionMatches, actionPattern: m.actionMatches } : {}),
    ...(resources ? { resources } : {}),
    ...(principals ? { principals } : {}),
    ...(m.conditions ? { conditions: m.conditions } : {}),
    ...(m.missingConditions ? { missingConditions: m.missingConditions } : {}),
    ...(m.unconditional !== undefined ? { unconditional: m.unconditional } : {}),
  };
}

export function compilePolicyDocument(
  spec: Spec,
  pointer: string,
  negated: boolean,
  env: AssertionEnv,
): CompiledAssertion {
  const { ctx } = env;
  const path = ctx.path(spec.attribute, `${pointer}/attribute`);
  if (path && hasWildcard(path))
    ctx.error(`${pointer}/attribute`, "invalid-path", "a policy document path cannot contain [*]");
  const required = spec.require ? matcherSpec(spec.require, `${pointer}/require`, env) : undefined;
  const forbidden = spec.forbid ? matcherSpec(spec.forbid, `${pointer}/forbid`, env) : undefined;
  if (!path || hasWildcard(path)) return { node: () => PASS, requirements: [] };
  const attr = path as AttrPath;
  // Negation swaps the roles: not(require) forbids those statements, not(forbid) requires one.
  const checks: AssertionNode[] = [];
  const addCheck = (m: MatcherSpec | undefined, mustExist: boolean): void => {
    if (m) checks.push(mustExist ? requireNode(attr, m) : forbidNode(attr, m));
  };
  addCheck(required, !negated);
  addCheck(forbidden, negated);
  if (checks.length === 0) return { node: () => PASS, requirements: [] };
  // A negated pair (not(require A and forbid B)) holds when either side does not.
  const combine = negated ? anyOfNodes : allOfNodes;
  const node: AssertionNode =
    checks.length === 1 ? (checks[0] as AssertionNode) : (s, c) => combine(checks, s, c);
  // What a new resource's document must hold: the required statement, Resource from the subject.
  const statements: StatementRequirement[] = [];
  if (required && !negated) {
    const subjectResources = (required.resources ?? []).flatMap((e) =>
      typeof e === "string" ? [] : [{ path: e.subject, suffix: e.suffix }],
    );
    statements.push({
      path: attr,
      statement: requiredStatement(required),
      ...(subjectResources.length > 0 ? { subjectResources } : {}),
    });
  }
  return { node, requirements: [], ...(statements.length > 0 ? { statements } : {}) };
}

function requireNode(attr: AttrPath, spec: MatcherSpec): AssertionNode {
  const test: StatementTest = compileMatcher(spec);
  const fixed = spec.resources?.every((e) => typeof e === "string") !== false;
  const literal = requiredStatement(spec);
  return (scope, ctx): Outcome => {
    const statement = fixed ? literal : requiredStatement(spec, scope.subject);
    const path = scope.base.length === 0 ? attr : [...scope.base, ...attr];
    const doc = readDocument(scope.resource, path, ctx);
    if (doc.state === "unknown") return { status: "unknown", unknowns: doc.unknowns };
    const missing: Violation = {
      kind: "policy-missing-statement",
      address: scope.resource.address,
      path,
      statement,
    };
    if (doc.state === "invalid") return { status: "fail", violations: [missing], notes: [doc.error] };
    if (doc.state === "absent") return { status: "fail", violations: [missing] };
    if (doc.address !== scope.resource.address) ctx.related.add(doc.address);
    let maybe = false;
    for (const s of doc.document.statements) {
      const t = test(s, scope.subject);
      if (t === true) return PASS;
      if (t === undefined) maybe = true;
    }
    if (maybe) return { status: "unknown", unknowns: [{ address: doc.address, path: doc.path }] };
    return { status: "fail", violations: [missing] };
  };
}

function forbidNode(attr: AttrPath, spec: MatcherSpec): AssertionNode {
  const test: StatementTest = compileMatcher(spec);
  const narrow = narrowing(spec);
  return (scope, ctx): Outcome => {
    const path = scope.base.length === 0 ? attr : [...scope.base, ...attr];
    const doc = readDocument(scope.resource, path, ctx);
    if (doc.state === "unknown") return { status: "unknown", unknowns: doc.unknowns };
    if (doc.state === "invalid") return { status: "fail", violations: [], notes: [doc.error] };
    if (doc.state === "absent") return PASS;
    if (doc.address !== scope.resource.address) ctx.related.add(doc.address);
    const violations: Violation[] = [];
    let maybe = false;
    doc.document.statements.forEach((s, index) => {
      const t = test(s, scope.subject);
      if (t === true) {
        violations.push({
          kind: "policy-forbidden-statement",
          address: scope.resource.address,
          path,
          index,
          statement: s.statement,
          narrow,
        });
      } else if (t === undefined) maybe = true;
    });
    if (violations.length > 0) return { status: "fail", violations };
    if (maybe) return { status: "unknown", unknowns: [{ address: doc.address, path: doc.path }] };
    return PASS;
  };
}
