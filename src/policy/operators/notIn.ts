import { inList } from "./in.js";
import { negate } from "./negate.js";

/** The value is absent or none of the operand's values. */
export const notIn = negate(inList, "notIn");
