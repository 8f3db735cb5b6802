import { exists } from "./exists.js";
import { negate } from "./negate.js";

/** The value is null or absent. */
export const absent = negate(exists, "absent");
