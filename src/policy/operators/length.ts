import type { Expectation } from "../../engine/types.js";
import type { JsonValue } from "../../plan/types.js";
import type { Read } from "../read.js";
import type { OperatorDefinition, Tri } from "./types.js";

type Bound = "equals" | "greaterThan" | "greaterThanOrEqual" | "lessThan" | "lessThanOrEqual";

const TEST: Record<Bound, (n: number, b: number) => boolean> = {
  equals: (n, b) => n === b,
  greaterThan: (n, b) => n > b,
  greaterThanOrEqual: (n, b) => n >= b,
  lessThan: (n, b) => n < b,
  lessThanOrEqual: (n, b) => n <= b,
};

const COMPLEMENT: Record<Bound, Expectation["op"]> = {
  equals: "notEquals",
  greaterThan: "lessThanOrEqual",
  greaterThanOrEqual: "lessThan",
  lessThan: "greaterThanOrEqual",
  lessThanOrEqual: "greaterThan",
};

function lengthOf(v: JsonValue): number | undefined {
  if (Array.isArray(v) || typeof v === "string") return v.length;
  if (typeof v === "object" && v !== null) return Object.keys(v).length;
  return undefined;
}

function bound(operand: JsonValue | undefined): [Bound, number] | undefined {
  if (typeof operand !== "object" || operand === null || Array.isArray(operand)) return undefined;
  const entries = Object.entries(operand);
  const [first] = entries;
  if (entries.length !== 1 || !first || !(first[0] in TEST) || typeof first[1] !== "number") return undefined;
  return [first[0] as Bound, first[1]];
}

/**
 * The length of a list, map or string satisfies one bound; absent counts as 0. A list with unknown
 * elements still has a known length.
 */
export const length: OperatorDefinition = {
  name: "length",
  dynamicOperand: false,
  compile(operand) {
    const b = bound(operand);
    if (!b)
      return { ok: false, error: "`length` needs exactly one bound: equals, greaterThan, ... with a number" };
    const [name, n] = b;
    const holds = (read: Read): Tri => {
      if (read.state === "unknown") return undefined;
      const len = read.state === "absent" ? 0 : lengthOf(read.value);
      return len === undefined ? false : TEST[name](len, n);
    };
    return {
      ok: true,
      op: {
        holds,
        expectation: () => ({ op: "length", constraint: { op: name, value: n } }),
        negatedExpectation: () => ({
          op: "length",
          constraint: { op: COMPLEMENT[name], value: n } as Expectation,
        }),
      },
    };
  },
};
