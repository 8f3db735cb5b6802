import { jsonEqual, type OperatorDefinition, ok, wholeValue } from "./types.js";

/** The value equals the operand (deep). Absent fails; a value with unknown parts is unknown. */
export const equals: OperatorDefinition = {
  name: "equals",
  dynamicOperand: true,
  compile: () =>
    ok({
      holds(read, operand) {
        const v = wholeValue(read);
        if (v === undefined) return undefined;
        return v.state === "value" && jsonEqual(v.value, operand);
      },
      expectation: (value) => ({ op: "equals", value }),
      negatedExpectation: (value) => ({ op: "notEquals", value }),
    }),
};
