import { checkRegex, MAX_MATCH_INPUT } from "../regex-safety.js";
import type { OperatorDefinition } from "./types.js";

/**
 * The value is a string matching the pattern. The pattern is checked for catastrophic backtracking
 * at compile time; inputs longer than MAX_MATCH_INPUT are not matched (the result is unknown).
 */
export const matches: OperatorDefinition = {
  name: "matches",
  dynamicOperand: false,
  compile(operand) {
    if (typeof operand !== "string")
      return { ok: false, error: "`matches` needs a regular expression string" };
    const checked = checkRegex(operand);
    if (!checked.ok) return checked;
    const re = checked.regex;
    return {
      ok: true,
      op: {
        holds(read) {
          if (read.state === "unknown") return undefined;
          if (read.state === "absent" || typeof read.value !== "string") return false;
          if (read.value.length > MAX_MATCH_INPUT) return undefined;
          return re.test(read.value);
        },
        expectation: () => ({ op: "matches", pattern: operand }),
        negatedExpectation: () => ({ op: "notMatches", pattern: operand }),
      },
    };
  },
};
