import { equals } from "./equals.js";
import { negate } from "./negate.js";

/** The value is absent or differs from the operand. */
export const notEquals = negate(equals, "notEquals");
