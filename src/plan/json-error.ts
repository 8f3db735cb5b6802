/**
 * Where a JSON text first goes wrong. `JSON.parse` messages differ between Node versions and
 * some name no position at all, so on failure the text is scanned again (linear, no recursion:
 * hostile nesting cannot overflow the stack).
 */

export interface JsonErrorAt {
  /** UTF-16 index into the text; `text.length` when the input ended early. */
  readonly index: number;
  readonly reason: string;
  readonly truncated: boolean;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const PARTIAL_NUMBER = /^-?\d*(?:\.\d*)?(?:[eE][+-]?\d*)?$/;
const ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);
const HEX4 = /^[0-9a-fA-F]{4}$/;

type State = "value" | "firstValue" | "key" | "firstKey" | "after";

function show(c: string): string {
  return JSON.stringify(c);
}

/** The first syntax error of `text`, or undefined when it is valid JSON. */
export function locateJsonError(text: string): JsonErrorAt | undefined {
  const n = text.length;
  const stack: ("{" | "[")[] = [];
  let i = 0;
  let state: State = "value";
  const fail = (at: number, reason: string): JsonErrorAt =>
    at >= n
      ? { index: n, reason: "unexpected end of input", truncated: true }
      : { index: at, reason, truncated: false };
  /** Scan a string starting at `i` (a quote); returns an error or moves `i` past it. */
  const string = (): JsonErrorAt | undefined => {
    for (let j = i + 1; j < n; j++) {
      const code = text.charCodeAt(j);
      if (code === 0x22) {
        i = j + 1;
        return undefined;
      }
      if (code < 0x20) return fail(j, "control character in string");
      if (code === 0x5c) {
        const e = text[j + 1];
        if (e === "u") {
          if (!HEX4.test(text.slice(j + 2, j + 6)))
            return fail(j + 6 > n ? n : j, "invalid \\u escape in string");
          j += 5;
        } else if (e !== undefined && ESCAPES.has(e)) j++;
        else return fail(j + 1, `invalid escape ${show(`\\${e ?? ""}`)} in string`);
      }
    }
    return fail(n, "");
  };
  for (;;) {
    while (i < n && (text[i] === " " || text[i] === "\n" || text[i] === "\r" || text[i] === "\t")) i++;
    const c = text[i] ?? "";
    if (state === "firstValue" && c === "]") {
      stack.pop();
      i++;
      state = "after";
      continue;
    }
    if (state === "firstKey" && c === "}") {
      stack.pop();
      i++;
      state = "after";
      continue;
    }
    if (state === "value" || state === "firstValue") {
      if (c === "{" || c === "[") {
        stack.push(c);
        i++;
        state = c === "{" ? "firstKey" : "firstValue";
        continue;
      }
      state = "after";
      if (c === '"') {
        const e = string();
        if (e) return e;
        continue;
      }
      // `[1.` or `{"a": -` cut short: the number was still being written.
      if (stack.length > 0 && n - i < 64 && PARTIAL_NUMBER.test(text.slice(i))) return fail(n, "");
      NUMBER.lastIndex = i;
      if (NUMBER.test(text)) {
        i = NUMBER.lastIndex;
        continue;
      }
      const word = ["true", "false", "null"].find((w) => text.startsWith(w, i));
      if (word) {
        i += word.length;
        continue;
      }
      if (/^(t|tr|tru|f|fa|fal|fals|n|nu|nul)$/.test(text.slice(i))) return fail(n, "");
      return fail(i, `unexpected ${show(c)}, expected a value`);
    }
    if (state === "key" || state === "firstKey") {
      if (c !== '"') return fail(i, `unexpected ${show(c)}, expected a property name in double quotes`);
      const e = string();
      if (e) return e;
      while (i < n && (text[i] === " " || text[i] === "\n" || text[i] === "\r" || text[i] === "\t")) i++;
      if (text[i] !== ":")
        return fail(i, `unexpected ${show(text[i] ?? "")}, expected ':' after a property name`);
      i++;
      state = "value";
      continue;
    }
    const top = stack[stack.length - 1];
    if (top === undefined)
      return i >= n ? undefined : fail(i, `unexpected ${show(c)} after the end of the JSON value`);
    if (c === ",") {
      i++;
      state = top === "{" ? "key" : "value";
      continue;
    }
    if ((top === "{" && c === "}") || (top === "[" && c === "]")) {
      stack.pop();
      i++;
      continue;
    }
    return fail(i, `unexpected ${show(c)}, expected ',' or '${top === "{" ? "}" : "]"}'`);
  }
}
