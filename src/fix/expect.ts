/**
 * The compliant value an `Expectation` asks for, derived from its typed params alone (never from
 * rule text). When no value follows from the constraint (`exists`, `matches`, ...), the answer is a
 * hint saying what must hold, without inventing a value.
 */

import type { Expectation, Observed } from "../engine/types.js";
import type { AttrPath, JsonValue } from "../plan/types.js";
import { formatPath } from "../plan/values.js";

export type Derived =
  | { readonly kind: "set"; readonly value: JsonValue }
  | { readonly kind: "remove" }
  /** Remove one key of the map at the path. */
  | { readonly kind: "remove-key"; readonly key: string }
  | { readonly kind: "hint"; readonly text: string };

function isMap(v: JsonValue): v is { [key: string]: JsonValue } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function deepEqual(a: JsonValue, b: JsonValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The bound of a numeric comparison, moved inside for strict ones on integers. */
function bound(
  op: "greaterThan" | "greaterThanOrEqual" | "lessThan" | "lessThanOrEqual",
  v: number,
): number | undefined {
  if (op === "greaterThanOrEqual" || op === "lessThanOrEqual") return v;
  if (!Number.isInteger(v)) return undefined; // no "next" number for a fractional strict bound
  return op === "greaterThan" ? v + 1 : v - 1;
}

/** Describe a constraint in a short phrase, for hints. */
export function describeExpectation(e: Expectation): string {
  switch (e.op) {
    case "equals":
      return `equal ${JSON.stringify(e.value)}`;
    case "notEquals":
      return `not equal ${JSON.stringify(e.value)}`;
    case "in":
      return `be one of ${JSON.stringify(e.values)}`;
    case "notIn":
      return `not be one of ${JSON.stringify(e.values)}`;
    case "exists":
      return "be set";
    case "absent":
      return "be unset";
    case "matches":
      return `match /${e.pattern}/`;
    case "notMatches":
      return `not match /${e.pattern}/`;
    case "contains":
      return `contain ${JSON.stringify(e.value)}`;
    case "notContains":
      return `not contain ${JSON.stringify(e.value)}`;
    case "greaterThan":
      return `be greater than ${e.value}`;
    case "greaterThanOrEqual":
      return `be at least ${e.value}`;
    case "lessThan":
      return `be less than ${e.value}`;
    case "lessThanOrEqual":
      return `be at most ${e.value}`;
    case "length":
      return `have a length that would ${describeExpectation(e.constraint)}`;
  }
  return "hold";
}

/**
 * What makes `path` satisfy `expected`, given what was observed there. `actual` is used only to
 * extend collections (`contains` on a known list); a sensitive actual is never read.
 */
export function deriveValue(path: AttrPath, expected: Expectation, actual: Observed): Derived {
  const where = formatPath(path);
  const must = (): Derived => ({ kind: "hint", text: `${where} must ${describeExpectation(expected)}` });
  switch (expected.op) {
    case "equals":
      return { kind: "set", value: expected.value };
    case "in": {
      const first = expected.values[0];
      return first === undefined ? must() : { kind: "set", value: first };
    }
    case "notIn":
    case "absent":
    case "notEquals":
    case "notMatches":
      // Unset satisfies each of these (absent passes `notIn`, `notEquals`, `notMatches`).
      return { kind: "remove" };
    case "greaterThan":
    case "greaterThanOrEqual":
    case "lessThan":
    case "lessThanOrEqual": {
      const v = bound(expected.op, expected.value);
      return v === undefined ? must() : { kind: "set", value: v };
    }
    case "contains": {
      if (actual.state === "known" && Array.isArray(actual.value)) {
        if (actual.value.some((x) => deepEqual(x, expected.value))) return must();
        return { kind: "set", value: [...actual.value, expected.value] };
      }
      return must();
    }
    case "notContains": {
      // Drop the element from a known list; a map loses the key. Strings are left to the hint.
      if (actual.state === "known" && Array.isArray(actual.value)) {
        return { kind: "set", value: actual.value.filter((x) => !deepEqual(x, expected.value)) };
      }
      if (actual.state === "known" && isMap(actual.value) && typeof expected.value === "string") {
        return { kind: "remove-key", key: expected.value };
      }
      return must();
    }
    case "exists":
    case "matches":
    case "length":
      return must();
  }
  return must();
}
