import { type OperatorDefinition, ok } from "./types.js";

/**
 * The value is set (not null, not absent). An unknown value is unknown: Terraform prints "known
 * after apply" for values that may still turn out null.
 */
export const exists: OperatorDefinition = {
  name: "exists",
  dynamicOperand: false,
  compile: () =>
    ok({
      holds: (read) => (read.state === "unknown" ? undefined : read.state === "known"),
      expectation: () => ({ op: "exists" }),
      negatedExpectation: () => ({ op: "absent" }),
    }),
};
