/**
 * `terraform show -json` prints `planned_values` (and `resource_drift`) before `resource_changes`:
 * every planned resource's values once more, as `resource_changes[].change.after` already has
 * them — 40% of a create-only plan's text. plangate reads neither, so their text is cut out before
 * `JSON.parse`, which then builds a third less of the document (less time, less memory).
 *
 * The cut is found by text search, not by parsing, so it is checked before it is trusted:
 * - it runs from the first `,"planned_values":` to the next `,"resource_changes":`; an unescaped
 *   quote is always structural in JSON, so neither can sit inside a string value;
 * - the start must be on the top level: the text before it (format and Terraform versions, and
 *   the variables: small) is scanned for its nesting depth;
 * - the cut is scanned for its structure (not parsed: no values are built): it must end on the
 *   level it starts on, the top level, and hold no top-level key but `planned_values` and
 *   `resource_drift`. Another key order, or a `resource_changes` key nested in the planned
 *   values, gives up.
 * Whenever a check fails the whole text is parsed, so errors name their true position and nothing
 * is ever read from a wrong cut.
 */

import { closingQuote } from "../safety/json.js";

const FROM = ',"planned_values":';
const TO = ',"resource_changes":';
/** The top-level members the cut may hold: what plangate never reads. */
const SKIPPED = new Set(["planned_values", "resource_drift"]);

/** The plan text with `planned_values` (and `resource_drift`) cut out, or undefined to parse it whole. */
export function cutPlannedValues(text: string): string | undefined {
  const from = text.indexOf(FROM);
  if (from < 0 || depthOf(text, 0, from) !== 1) return undefined;
  const to = text.indexOf(TO, from + FROM.length);
  if (to < 0 || depthOf(text, from, to, SKIPPED) !== 0) return undefined;
  return text.slice(0, from) + text.slice(to);
}

/**
 * The nesting depth at `end` relative to `start` (outside strings), or -1 when the text leaves
 * the level it started on, ends inside a string, or (with `keys`) holds a key on that level that
 * is not one of `keys`. Strings are jumped over with indexOf, as `findTooDeep` does.
 */
function depthOf(text: string, start: number, end: number, keys?: ReadonlySet<string>): number {
  let depth = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const close = closingQuote(text, i, end);
      if (close < 0) return -1;
      if (keys && depth === 0 && !keys.has(text.slice(i + 1, close))) return -1;
      i = close;
    } else if (c === 0x5b || c === 0x7b) depth++;
    else if ((c === 0x5d || c === 0x7d) && --depth < 0) return -1;
  }
  return depth;
}

/**
 * `parse(text)`, parsing only the cut text when the cut is safe (see above). Should the cut text
 * not parse, the whole text is parsed, so the error (or success) is always the whole text's.
 */
export function parsePlanText(text: string, parse: (text: string) => unknown): unknown {
  const rest = cutPlannedValues(text);
  if (rest !== undefined) {
    try {
      return parse(rest);
    } catch {
      // Reported from the whole text below, with its true position.
    }
  }
  return parse(text);
}
