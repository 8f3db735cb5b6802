import type { OperatorDefinition, OperatorName } from "./types.js";

/**
 * The exact complement of an operator: holds where it does not, unknown where it is unknown.
 * `notEquals` passes on an absent value because `equals` fails there.
 */
export function negate(def: OperatorDefinition, name: OperatorName): OperatorDefinition {
  return {
    name,
    dynamicOperand: def.dynamicOperand,
    compile(operand) {
      const r = def.compile(operand);
      if (!r.ok) return r;
      const op = r.op;
      return {
        ok: true,
        op: {
          holds: (read, value) => {
            const h = op.holds(read, value);
            return h === undefined ? undefined : !h;
          },
          expectation: (value) => op.negatedExpectation(value),
          negatedExpectation: (value) => op.expectation(value),
        },
      };
    },
  };
}
