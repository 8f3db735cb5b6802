import type { JsonValue } from "../../plan/types.js";
import { jsonEqual, type OperatorDefinition, ok, wholeValue } from "./types.js";

function asList(operand: JsonValue): readonly JsonValue[] {
  return Array.isArray(operand) ? operand : [operand];
}

/** The value is one of the operand's values. Absent fails. */
export const inList: OperatorDefinition = {
  name: "in",
  dynamicOperand: true,
  compile: (operand) => {
    if (operand !== undefined && (!Array.isArray(operand) || operand.length === 0))
      return { ok: false, error: "`in` needs a non-empty list" };
    return ok({
      holds(read, values) {
        const v = wholeValue(read);
        if (v === undefined) return undefined;
        return v.state === "value" && asList(values).some((x) => jsonEqual(v.value, x));
      },
      expectation: (values) => ({ op: "in", values: asList(values) }),
      negatedExpectation: (values) => ({ op: "notIn", values: asList(values) }),
    });
  },
};
