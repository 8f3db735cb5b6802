import type { Expectation } from "../../engine/types.js";
import type { Read } from "../read.js";
import type { OperatorDefinition, OperatorName, Tri } from "./types.js";

type NumericName = "greaterThan" | "greaterThanOrEqual" | "lessThan" | "lessThanOrEqual";

const COMPLEMENT: Record<NumericName, NumericName> = {
  greaterThan: "lessThanOrEqual",
  greaterThanOrEqual: "lessThan",
  lessThan: "greaterThanOrEqual",
  lessThanOrEqual: "greaterThan",
};

const COMPARE: Record<NumericName, (a: number, b: number) => boolean> = {
  greaterThan: (a, b) => a > b,
  greaterThanOrEqual: (a, b) => a >= b,
  lessThan: (a, b) => a < b,
  lessThanOrEqual: (a, b) => a <= b,
};

/** Holds for a known number only: absent or non-numbers fail (the type check flags the latter). */
export function compareRead(name: NumericName, read: Read, bound: number): Tri {
  if (read.state === "unknown") return undefined;
  if (read.state === "absent" || typeof read.value !== "number") return false;
  return COMPARE[name](read.value, bound);
}

export function numericExpectation(name: NumericName, value: number): Expectation {
  return { op: name, value };
}

export function numericOperator(name: NumericName & OperatorName): OperatorDefinition {
  return {
    name,
    dynamicOperand: true,
    compile(operand) {
      if (operand !== undefined && typeof operand !== "number")
        return { ok: false, error: `\`${name}\` needs a number` };
      return {
        ok: true,
        op: {
          holds: (read, bound) => (typeof bound === "number" ? compareRead(name, read, bound) : false),
          expectation: (bound) => numericExpectation(name, Number(bound)),
          negatedExpectation: (bound) => numericExpectation(COMPLEMENT[name], Number(bound)),
        },
      };
    },
  };
}
