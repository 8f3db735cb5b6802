/**
 * Text from plans and packs reaches terminals, CI logs and PR comments. Control characters in it
 * could erase or rewrite lines (`ESC[2K`, `\r`), open links (OSC 8), write the clipboard (OSC 52),
 * or reorder what a reviewer reads (bidirectional overrides, "Trojan Source"). They are printed as
 * `\uXXXX` escapes instead; only newline and tab pass.
 */

/** C0 controls but tab and newline, DEL, C1 controls, line/paragraph separators, bidi controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * The colour sequences reporters add themselves: reset, bold, dim, normal, and foreground colours
 * that stay readable on any background (not black, not white, not conceal).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the reporters' own colour sequences
const OWN_SGR = /^\u001b\[(?:0|1|2|22|3[1-69])(?:;(?:0|1|2|22|3[1-69]))*m/;

function escapeChar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

export function hasUnprintable(text: string): boolean {
  UNPRINTABLE.lastIndex = 0;
  return UNPRINTABLE.test(text);
}

/** `text` with every unprintable character as a `\uXXXX` escape. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escapeChar);
}

/**
 * A rendered output made safe to print: like `printable`, but colour sequences the reporter added
 * (`ESC[31m`, `ESC[0m`) stay. An injected readable colour is harmless; anything else is escaped.
 */
export function printableOutput(text: string): string {
  return text.replace(UNPRINTABLE, (c, offset: number) =>
    c === "\u001b" && OWN_SGR.test(text.slice(offset, offset + 16)) ? c : escapeChar(c),
  );
}

/** What `printableOutput` escapes that JSON.stringify does not: DEL, C1, separators, bidi controls. */
const JSON_UNPRINTABLE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `printableOutput` for text that JSON.stringify wrote: it has escaped every C0 control already, so
 * only the rest needs escaping (`\uXXXX` is also valid JSON). Most reports are ASCII but for DEL,
 * which two native scans tell (a UTF-8 length equal to the length means ASCII), instead of a regex
 * over 100 MB (a quarter of rendering the report of a 50,000-resource plan).
 */
export function printableJson(json: string): string {
  if (Buffer.byteLength(json, "utf8") === json.length && !json.includes("\u007f")) return json;
  return json.replace(JSON_UNPRINTABLE, escapeChar);
}
