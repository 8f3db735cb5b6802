import { jsonEqual, type OperatorDefinition, ok } from "./types.js";

/**
 * A list holds the operand as an element, a map holds it as a key, a string holds it as a
 * substring. A list with unknown elements passes when a known element matches, else is unknown.
 */
export const contains: OperatorDefinition = {
  name: "contains",
  dynamicOperand: true,
  compile: () =>
    ok({
      holds(read, operand) {
        if (read.state === "absent") return false;
        if (read.state === "unknown") return undefined;
        const v = read.value;
        let found: boolean;
        if (Array.isArray(v)) found = v.some((x) => jsonEqual(x, operand));
        else if (typeof v === "object" && v !== null)
          found = typeof operand === "string" && Object.hasOwn(v, operand);
        else if (typeof v === "string") found = typeof operand === "string" && v.includes(operand);
        else found = false;
        if (found) return true;
        return read.partial ? undefined : false;
      },
      expectation: (value) => ({ op: "contains", value }),
      negatedExpectation: (value) => ({ op: "notContains", value }),
    }),
};
