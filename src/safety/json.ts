/**
 * JSON parsing with limits, for untrusted input (plans, IAM policy strings inside plans).
 *
 * `JSON.parse` itself copes with deep nesting on current V8, but every walker after it (masks,
 * graph, reporters, `JSON.stringify`) recurses: a 10,000-deep value would end in a RangeError deep
 * inside the engine. So depth is checked first, by a linear scan that allocates nothing, and
 * anything deeper than any real plan is refused with a position. Size is checked before the text
 * exists at all: V8 cannot hold a string longer than MAX_STRING_CHARS, and decoding a larger file
 * fails with an error that names no file.
 */

/** Deepest nesting accepted. Real plans stay far below (the 36-plan corpus peaks at 21). */
export const MAX_JSON_DEPTH = 1000;

/**
 * Deepest nesting of a JSON document held in a plan string (an IAM policy: `Statement` /
 * `Condition` / operator / key / values is six levels). Such strings skip the plan's own depth
 * check: they are parsed later, by the engine and the fix stage.
 */
export const MAX_EMBEDDED_JSON_DEPTH = 64;

/**
 * V8's longest string on 64-bit Node 20-24 (2^29 - 24 UTF-16 code units, about 512 MiB): the
 * largest JSON text `JSON.parse` can be handed. A UTF-8 file of this many bytes decodes to at most
 * this many code units, so checking bytes is enough.
 */
export const MAX_STRING_CHARS = 0x1fff_ffe8;

export interface JsonLimits {
  /** Deepest `[`/`{` nesting accepted (default MAX_JSON_DEPTH). */
  readonly maxDepth?: number;
  /** Longest text accepted, in UTF-16 code units (default MAX_STRING_CHARS). */
  readonly maxChars?: number;
}

/** A limit was exceeded; `index` is the offending position in the text (code units). */
export class JsonLimitError extends Error {
  override readonly name = "JsonLimitError";
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
  }
}

/** Human size: `512 MiB`, `3.5 KiB`, `10 bytes`. */
export function formatSize(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB"] as const;
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${Number(n.toFixed(1))} ${units[u]}`;
}

/** A one-line reason when `size` (bytes or code units) exceeds `max`, else undefined. */
export function sizeProblem(size: number, max: number, what: string): string | undefined {
  if (size <= max) return undefined;
  const real = max === MAX_STRING_CHARS ? " (the most a JavaScript string can hold)" : "";
  // Rounded, a size just over the limit reads like the limit itself: then say bytes.
  const [a, b] =
    formatSize(size) === formatSize(max)
      ? [`${size} bytes`, `${max} bytes`]
      : [formatSize(size), formatSize(max)];
  return `${what} is ${a}, over the limit of ${b}${real}`;
}

/**
 * The index of the quote closing the JSON string opened at `open` (before `end`), or -1. Strings
 * are most of a plan: jumping from quote to quote with indexOf is twice as fast as looking at
 * every character. A quote after an odd run of backslashes is escaped.
 */
export function closingQuote(text: string, open: number, end: number = text.length): number {
  for (let from = open + 1; ; ) {
    const q = text.indexOf('"', from);
    if (q < 0 || q >= end) return -1;
    let b = q - 1;
    while (text.charCodeAt(b) === 0x5c) b--;
    if ((q - 1 - b) % 2 === 0) return q;
    from = q + 1;
  }
}

/**
 * Index of the first `[` or `{` that opens level `maxDepth + 1`, or -1. Brackets inside strings do
 * not count. Linear, no allocation: safe on any input, valid JSON or not.
 */
export function findTooDeep(text: string, maxDepth: number = MAX_JSON_DEPTH): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = closingQuote(text, i);
      if (i < 0) return -1;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

/**
 * `JSON.parse` behind the limits. Throws `JsonLimitError` for size and depth (and for a RangeError
 * from the engine), and `SyntaxError` as `JSON.parse` does for invalid JSON.
 */
export function parseJsonBounded(text: string, limits: JsonLimits = {}): unknown {
  const maxDepth = limits.maxDepth ?? MAX_JSON_DEPTH;
  const tooBig = sizeProblem(text.length, limits.maxChars ?? MAX_STRING_CHARS, "the JSON text");
  if (tooBig) throw new JsonLimitError(tooBig, 0);
  const deep = findTooDeep(text, maxDepth);
  if (deep !== -1) throw new JsonLimitError(`JSON nested deeper than ${maxDepth} levels`, deep);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    if (err instanceof RangeError) throw new JsonLimitError(`JSON too large to parse (${err.message})`, 0);
    throw err;
  }
}
