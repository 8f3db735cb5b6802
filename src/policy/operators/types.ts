/**
 * The shape of an attribute operator (ajv-style: one file per operator, each with its compile
 * function and the typed params of its failure, the `Expectation`).
 *
 * An operator says whether it `holds` for a read value: `true`, `false`, or `undefined` when the
 * answer depends on a value unknown until apply. Negated operators (`notEquals`, `absent`, ...)
 * and `not` are the exact complement, so they share the positive operator's code.
 */
import type { Expectation } from "../../engine/types.js";
import type { JsonValue } from "../../plan/types.js";
import type { Read } from "../read.js";

/** Three-valued truth: `undefined` is unknown. */
export type Tri = boolean | undefined;

export type OperatorName =
  | "equals"
  | "notEquals"
  | "in"
  | "notIn"
  | "exists"
  | "absent"
  | "matches"
  | "notMatches"
  | "contains"
  | "greaterThan"
  | "greaterThanOrEqual"
  | "lessThan"
  | "lessThanOrEqual"
  | "length"
  | "configured";

export interface CompiledOperator {
  /** Where the value comes from: the planned values (default) or the configuration block. */
  readonly reads?: "config";
  /** Whether the constraint holds; `operand` is resolved (a `$subject` read happens before). */
  holds(read: Read, operand: JsonValue): Tri;
  /** What a failure expected (for fixes and messages). */
  expectation(operand: JsonValue): Expectation;
  /** What the negated operator expects when the positive one held. */
  negatedExpectation(operand: JsonValue): Expectation;
}

/** Compile-time result: the operator, or why the operand is wrong. */
export type OperatorCompileResult =
  | { readonly ok: true; readonly op: CompiledOperator }
  | { readonly ok: false; readonly error: string; readonly code?: string };

export interface OperatorDefinition {
  readonly name: OperatorName;
  /** Whether the operand may be `{ $subject: PATH }` (resolved per evaluation). */
  readonly dynamicOperand: boolean;
  /** `operand` is `undefined` when it is dynamic (`{ $subject: PATH }`, resolved per evaluation). */
  compile(operand: JsonValue | undefined): OperatorCompileResult;
}

export function ok(op: CompiledOperator): OperatorCompileResult {
  return { ok: true, op };
}

/** Deep equality of JSON values (object key order does not matter). */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => jsonEqual(v, b[i] as JsonValue));
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k] as JsonValue, b[k] as JsonValue));
}

const ABSENT = { state: "absent" } as const;

/** Read -> value for comparisons that need the whole value known. */
export function wholeValue(
  read: Read,
): { readonly state: "value"; readonly value: JsonValue } | { readonly state: "absent" } | undefined {
  if (read.state === "absent") return ABSENT;
  if (read.state === "unknown" || read.partial) return undefined;
  return { state: "value", value: read.value };
}
