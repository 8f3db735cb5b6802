/**
 * Wildcard matching (`*` any run, `?` one character) without a regex engine. A wildcard pattern
 * can come from a plan (an IAM policy's `Action: "*****...x"`): as a backtracking regex
 * (`^.*.*.*...x$`) ten stars already take seconds on a 24-character action and fifteen never
 * finish. This greedy matcher with one backtrack point runs in O(pattern x text) at worst.
 */

/** True when `text` matches all of `pattern`. Code units are compared (as a regex without `u`). */
export function wildcardMatch(pattern: string, text: string, caseInsensitive = false): boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const t = caseInsensitive ? text.toLowerCase() : text;
  let pi = 0;
  let ti = 0;
  // The last `*` seen and the text position it currently stands for: on a mismatch, that star
  // takes one more character. Earlier stars never need to: the last one absorbs anything they would.
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    const c = p.charCodeAt(pi);
    if (pi < p.length && c === 0x2a) {
      star = pi++;
      mark = ti;
    } else if (pi < p.length && (c === 0x3f || c === t.charCodeAt(ti))) {
      pi++;
      ti++;
    } else if (star !== -1) {
      pi = star + 1;
      ti = ++mark;
    } else return false;
  }
  while (pi < p.length && p.charCodeAt(pi) === 0x2a) pi++;
  return pi === p.length;
}
