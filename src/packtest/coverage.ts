/**
 * Rule coverage: a rule is covered when the suite has a case expecting it to pass and a case
 * expecting it to fail (ESLint's valid + invalid), so a rule that can never fire, or never pass,
 * is caught before it ships.
 */
import type { Status } from "../engine/types.js";
import type { RuleCoverage, TestFile } from "./types.js";

export interface PackRules {
  readonly pack: string;
  readonly rules: readonly string[];
}

/** Tally the expected statuses per rule over every file that tests the pack. */
export function ruleCoverage(pack: PackRules, files: readonly TestFile[]): RuleCoverage[] {
  const counts = new Map<string, Record<Status, number>>();
  for (const rule of pack.rules) counts.set(rule, { pass: 0, fail: 0, unknown: 0, not_applicable: 0 });
  for (const f of files) {
    for (const c of f.cases) {
      for (const e of c.expect) {
        const n = counts.get(e.rule);
        if (n) n[e.status]++;
      }
    }
  }
  return pack.rules.map((rule) => {
    const n = counts.get(rule) ?? { pass: 0, fail: 0, unknown: 0, not_applicable: 0 };
    return {
      pack: pack.pack,
      rule,
      pass: n.pass,
      fail: n.fail,
      unknown: n.unknown,
      notApplicable: n.not_applicable,
      covered: n.pass > 0 && n.fail > 0,
    };
  });
}
