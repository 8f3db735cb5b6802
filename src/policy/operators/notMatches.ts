import { matches } from "./matches.js";
import { negate } from "./negate.js";

/** The value is absent, not a string, or a string not matching the pattern. */
export const notMatches = negate(matches, "notMatches");
