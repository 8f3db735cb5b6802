/**
 * Assertion -> closure. Compiled with a polarity: `not` is pushed down (De Morgan for `all` / `any`,
 * the complement operator for attributes, `each` <-> `some` for quantifiers), so that a negated
 * assertion that fails still says what to change (`not: {attribute: acl, equals: public-read}`
 * fails with "acl: expected notEquals public-read").
 */
import type {
  Expectation,
  Requirement,
  StatementRequirement,
  UnknownRef,
  Violation,
} from "../engine/types.js";
import type {
  AllAssertion,
  AnyAssertion,
  Assertion,
  AttributeAssertion,
  EachAssertion,
  ForbiddenAssertion,
  NoneAssertion,
  NotAssertion,
  PolicyDocumentAssertion,
  RelatedAssertion,
  SomeAssertion,
} from "../generated/policy-pack.types.js";
import type { AttrPath, JsonValue } from "../plan/types.js";
import { type CompileContext, isSubjectRef } from "./context.js";
import { readConfigured } from "./operators/configured.js";
import { isOperatorName, OPERATORS } from "./operators/index.js";
import type { CompiledOperator, Tri } from "./operators/types.js";
import { hasWildcard, type PathPattern } from "./path.js";
import { compilePolicyDocument } from "./policy-document/assertion.js";
import { ABSENT_READ, elementsAt, expand, observed, placeholderPath, type Read, readAt } from "./read.js";
import { compileRelated } from "./related.js";
import { type AssertionNode, allOf, allOfNodes, anyOf, anyOfNodes, type Outcome, PASS } from "./runtime.js";

export interface CompiledAssertion {
  readonly node: AssertionNode;
  /** Attribute requirements a new resource must meet (all of `all`, the first branch of `any`). */
  readonly requirements: readonly Requirement[];
  /** Policy statements a new resource's documents must hold (same selection as `requirements`). */
  readonly statements?: readonly StatementRequirement[];
}

export interface AssertionEnv {
  readonly ctx: CompileContext;
  /** Inside `related`: `{ $subject: PATH }` operands are allowed. */
  readonly inRelated: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const NEVER: CompiledAssertion = { node: () => PASS, requirements: [] };

export function compileAssertion(
  a: Assertion,
  pointer: string,
  negated: boolean,
  env: AssertionEnv,
): CompiledAssertion {
  if ("attribute" in a) return compileAttribute(a as AttributeAssertion, pointer, negated, env);
  if ("all" in a) return compileJunction((a as AllAssertion).all, `${pointer}/all`, !negated, negated, env);
  if ("any" in a) return compileJunction((a as AnyAssertion).any, `${pointer}/any`, negated, negated, env);
  if ("not" in a) return compileAssertion((a as NotAssertion).not, `${pointer}/not`, !negated, env);
  if ("each" in a) {
    const e = a as EachAssertion;
    return compileQuantifier(e.each, e.require, pointer, "each", negated ? "some" : "every", negated, env);
  }
  if ("some" in a) {
    const s = a as SomeAssertion;
    return compileQuantifier(s.some, s.require, pointer, "some", negated ? "every" : "some", negated, env);
  }
  if ("none" in a) {
    const n = a as NoneAssertion;
    return compileQuantifier(n.none, n.require, pointer, "none", negated ? "some" : "every", !negated, env);
  }
  if ("related" in a)
    return compileRelated(
      (a as RelatedAssertion).related,
      `${pointer}/related`,
      negated,
      env,
      compileAssertion,
    );
  if ("policyDocument" in a) {
    return compilePolicyDocument(
      (a as PolicyDocumentAssertion).policyDocument,
      `${pointer}/policyDocument`,
      negated,
      env,
    );
  }
  if ("forbidden" in a) {
    const reason = (a as ForbiddenAssertion).forbidden;
    // `not: {forbidden}` holds for every resource: nothing to check.
    if (negated) return NEVER;
    const node: AssertionNode = (scope) => ({
      status: "fail",
      violations: [{ kind: "forbidden-resource", address: scope.resource.address, reason }],
    });
    return { node, requirements: [] };
  }
  return NEVER; // unreachable after schema validation
}

/**
 * `all` / `any`, after negation (De Morgan: not(all) = any(not ...)). A conjunction fails with every
 * failing branch and needs all requirements; a disjunction fails with its first branch (the
 * preferred fix) and its requirements.
 */
function compileJunction(
  items: readonly Assertion[],
  pointer: string,
  conjunction: boolean,
  negated: boolean,
  env: AssertionEnv,
): CompiledAssertion {
  const parts = items.map((a, i) => compileAssertion(a, `${pointer}/${i}`, negated, env));
  const nodes = parts.map((p) => p.node);
  const combine = conjunction ? allOfNodes : anyOfNodes;
  const statements = conjunction ? parts.flatMap((p) => p.statements ?? []) : (parts[0]?.statements ?? []);
  return {
    node: (s, c) => combine(nodes, s, c),
    requirements: conjunction ? parts.flatMap((p) => p.requirements) : (parts[0]?.requirements ?? []),
    ...(statements.length > 0 ? { statements } : {}),
  };
}

/** Combine per-element truths: false if any is false, unknown if any is unknown, else true. */
function combine(tris: readonly Tri[]): Tri {
  let result: Tri = true;
  for (const t of tris) {
    if (t === false) return false;
    if (t === undefined) result = undefined;
  }
  return result;
}

function compileAttribute(
  a: AttributeAssertion,
  pointer: string,
  negated: boolean,
  env: AssertionEnv,
): CompiledAssertion {
  const { ctx } = env;
  const record = a as unknown as Record<string, unknown>;
  const ops = Object.keys(record).filter(isOperatorName);
  if (ops.length !== 1) {
    ctx.error(
      pointer,
      "operator-count",
      `an attribute assertion needs exactly one operator, found ${ops.length === 0 ? "none" : ops.join(", ")}`,
    );
    return NEVER;
  }
  const name = ops[0] as (typeof ops)[number];
  const def = OPERATORS[name];
  const opPointer = `${pointer}/${name}`;
  const path = ctx.path(a.attribute, `${pointer}/attribute`);
  const raw = record[name];
  let subjectPath: PathPattern | undefined;
  let operand: JsonValue | undefined;
  if (isSubjectRef(raw)) {
    if (!env.inRelated) {
      ctx.error(
        opPointer,
        "subject-outside-related",
        "`$subject` operands are only allowed inside `related`",
      );
      return NEVER;
    }
    if (!def.dynamicOperand) {
      ctx.error(opPointer, "dynamic-operand", `\`${name}\` does not take a \`$subject\` operand`);
      return NEVER;
    }
    subjectPath = ctx.path(raw.$subject, `${opPointer}/$subject`);
    if (!subjectPath) return NEVER;
    if (hasWildcard(subjectPath)) {
      ctx.error(`${opPointer}/$subject`, "invalid-path", "a `$subject` path cannot contain [*]");
      return NEVER;
    }
  } else {
    operand = ctx.value(raw, opPointer, { regex: name === "matches" || name === "notMatches" });
    if (operand === undefined) return NEVER;
  }
  const compiled = def.compile(subjectPath ? undefined : operand);
  if (!compiled.ok) {
    ctx.error(opPointer, compiled.code ?? "invalid-operand", compiled.error);
    return NEVER;
  }
  if (!path) return NEVER;
  if (compiled.op.reads === "config" && hasWildcard(path)) {
    ctx.error(
      `${pointer}/attribute`,
      "invalid-path",
      `\`${name}\` reads the configuration: its path cannot contain [*]`,
    );
    return NEVER;
  }
  const node = attributeNode(
    path,
    compiled.op,
    operand ?? null,
    subjectPath as AttrPath | undefined,
    negated,
    a.hint,
  );
  const requirements: Requirement[] =
    subjectPath === undefined
      ? [
          {
            path: placeholderPath([], path),
            expected: negated
              ? compiled.op.negatedExpectation(operand ?? null)
              : compiled.op.expectation(operand ?? null),
          },
        ]
      : [];
  return { node, requirements };
}

function attributeNode(
  path: PathPattern,
  op: CompiledOperator,
  literal: JsonValue,
  subjectPath: AttrPath | undefined,
  negated: boolean,
  hint: string | undefined,
): AssertionNode {
  const wild = hasWildcard(path);
  const plain = path as AttrPath;
  const fromConfig = op.reads === "config";
  const expectation = (operand: JsonValue): Expectation =>
    negated ? op.negatedExpectation(operand) : op.expectation(operand);
  // A literal operand expects the same on every resource: one (read-only) object for all violations.
  const literalExpectation = subjectPath ? undefined : expectation(literal);
  const violation = (address: string, at: AttrPath, read: Read, operand: JsonValue): Violation => {
    const v: Mutable<Violation & { kind: "attribute" }> = {
      kind: "attribute",
      address,
      path: at,
      actual: observed(read),
      expected: literalExpectation ?? expectation(operand),
    };
    if (hint !== undefined) v.hint = hint;
    return v;
  };
  return (scope) => {
    let operand = literal;
    if (subjectPath && scope.probe) operand = scope.probe.operand;
    else if (subjectPath) {
      const s = readAt(scope.subject.after, subjectPath);
      if (s.state === "unknown")
        return { status: "unknown", unknowns: [{ address: scope.subject.address, path: subjectPath }] };
      operand = s.state === "known" ? s.value : null;
    }
    const values = scope.resource.after;
    const address = scope.resource.address;
    if (!wild) {
      // One path (most assertions): one read, one truth value.
      const p = scope.base.length === 0 ? plain : [...scope.base, ...plain];
      const read = fromConfig ? readConfigured(scope.resource, p) : readAt(values, p);
      if (subjectPath && scope.probe) scope.probe.compared(read);
      const t = op.holds(read, operand);
      if (t === undefined) return { status: "unknown", unknowns: [{ address, path: p }] };
      if (t !== negated) return PASS;
      return { status: "fail", violations: [violation(address, p, read, operand)] };
    }
    let paths: readonly AttrPath[];
    let reads: Read[];
    const e = expand(values, scope.base, path);
    if (e.state === "unknown") return { status: "unknown", unknowns: [{ address, path: e.path }] };
    if (e.paths.length === 0) {
      paths = [placeholderPath(scope.base, path)];
      reads = [ABSENT_READ];
    } else {
      paths = e.paths;
      reads = e.paths.map((p) => readAt(values, p));
    }
    if (subjectPath && scope.probe) for (const r of reads) scope.probe.compared(r);
    const tris = reads.map((r) => op.holds(r, operand));
    const holds = combine(tris);
    if (holds === undefined) {
      const unknowns: UnknownRef[] = [];
      tris.forEach((t, i) => {
        if (t === undefined) unknowns.push({ address, path: paths[i] as AttrPath });
      });
      return { status: "unknown", unknowns };
    }
    if (holds !== negated) return PASS;
    const violations: Violation[] = [];
    tris.forEach((t, i) => {
      // Positive: the elements that fail; negated: every element (all held).
      if (negated || t === false)
        violations.push(violation(address, paths[i] as AttrPath, reads[i] as Read, operand));
    });
    return { status: "fail", violations };
  };
}

/**
 * `each` / `some` / `none` over the elements of a list (or the values of a map); paths inside are
 * relative to the element. `mode` is the effective quantifier after negation; `innerNegated` is
 * the polarity of the element assertion.
 */
function compileQuantifier(
  listText: string,
  require: Assertion,
  pointer: string,
  key: "each" | "some" | "none",
  mode: "every" | "some",
  innerNegated: boolean,
  env: AssertionEnv,
): CompiledAssertion {
  const path = env.ctx.path(listText, `${pointer}/${key}`);
  const inner = compileAssertion(require, `${pointer}/require`, innerNegated, env);
  if (!path) return NEVER;
  if (hasWildcard(path)) {
    env.ctx.error(
      `${pointer}/${key}`,
      "invalid-path",
      `the \`${key}\` path names the list itself; drop the [*]`,
    );
    return NEVER;
  }
  const list = path as AttrPath;
  const elementNode = inner.node;
  const node: AssertionNode = (scope, ctx) => {
    const at = scope.base.length === 0 ? list : [...scope.base, ...list];
    const el = elementsAt(scope.resource.after, at);
    if (el.state === "unknown")
      return { status: "unknown", unknowns: [{ address: scope.resource.address, path: at }] };
    const outcomes: Outcome[] = el.steps.map((step) => elementNode({ ...scope, base: [...at, step] }, ctx));
    if (mode === "every") return allOf(outcomes);
    if (outcomes.length > 0) return anyOf(outcomes);
    // No element at all: say what a first element would need.
    const hypothetical = elementNode({ ...scope, base: [...at, 0] }, ctx);
    if (hypothetical.status === "fail") return hypothetical;
    // Any element would do: the list needs one.
    const actual = readAt(scope.resource.after, at);
    return {
      status: "fail",
      violations: [
        {
          kind: "attribute",
          address: scope.resource.address,
          path: at,
          actual: observed(actual),
          expected: { op: "length", constraint: { op: "greaterThan", value: 0 } },
        },
      ],
    };
  };
  // A new resource needs one element that satisfies the element assertion (`some`; `each` over one
  // element alike): its requirements sit under `[0]` of the list. `none` holds on an empty list.
  if (key === "none" || innerNegated) return { node, requirements: [] };
  const prefix = (p: AttrPath): AttrPath => [...list, 0, ...p];
  const statements = (inner.statements ?? []).map((s) => ({ ...s, path: prefix(s.path) }));
  return {
    node,
    requirements: inner.requirements.map((r) => ({ ...r, path: prefix(r.path) })),
    ...(statements.length > 0 ? { statements } : {}),
  };
}
