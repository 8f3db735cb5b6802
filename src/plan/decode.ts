/**
 * Bytes -> text -> JSON, with positions in errors. Plans arrive as UTF-8, UTF-8 with a BOM, or
 * UTF-16 (PowerShell's `>` writes UTF-16LE with a BOM).
 */
import { JsonLimitError, type JsonLimits, parseJsonBounded } from "../safety/json.js";
import { locateJsonError } from "./json-error.js";
import { parsePlanText } from "./skip-planned-values.js";
import { InputError } from "./types.js";

export interface Decoded {
  readonly text: string;
  readonly encoding: "utf-8" | "utf-16le" | "utf-16be";
  /** Bytes skipped before the text (the BOM). */
  readonly offset: number;
}

function looksUtf16(bytes: Uint8Array, zeroAt: 0 | 1): boolean {
  // JSON starts with ASCII, so UTF-16 without a BOM has a zero byte in every ASCII code unit.
  return bytes.length >= 4 && bytes[zeroAt] === 0 && bytes[1 - zeroAt] !== 0 && bytes[zeroAt + 2] === 0;
}

export function decodeText(bytes: Uint8Array, file: string): Decoded {
  let encoding: Decoded["encoding"] = "utf-8";
  let offset = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) offset = 3;
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    encoding = "utf-16le";
    offset = 2;
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    encoding = "utf-16be";
    offset = 2;
  } else if (looksUtf16(bytes, 1)) encoding = "utf-16le";
  else if (looksUtf16(bytes, 0)) encoding = "utf-16be";
  const body = bytes.subarray(offset);
  let text: string;
  if (encoding === "utf-16be") {
    // TextDecoder in Node has no utf-16be without full ICU everywhere: swap to LE ourselves.
    const swapped = Buffer.from(body);
    if (swapped.length % 2 === 0) swapped.swap16();
    text = new TextDecoder("utf-16le").decode(swapped);
  } else text = new TextDecoder(encoding).decode(body);
  if (text.trim() === "") throw new InputError("the plan is empty", file);
  return { text, encoding, offset };
}

/** Byte offset of UTF-16 code unit `index` of the decoded text, in the original bytes. */
function byteOffset(d: Decoded, index: number): number {
  if (d.encoding === "utf-8") return d.offset + Buffer.byteLength(d.text.slice(0, index), "utf8");
  return d.offset + 2 * index;
}

function lineColumn(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: index - start + 1 };
}

/**
 * Parse JSON; a syntax error names the byte offset and line:column. Depth and size are bounded
 * (src/safety/json.ts): every later stage walks values recursively.
 */
export function parseJson(d: Decoded, file: string, limits: JsonLimits = {}): unknown {
  try {
    // A plan's planned_values (unread) is cut out before the parse when that is safe.
    return parsePlanText(d.text, (text) => parseJsonBounded(text, limits));
  } catch (err) {
    if (err instanceof JsonLimitError) {
      const { line, column } = lineColumn(d.text, err.index);
      throw new InputError(
        `${err.message} (at byte ${byteOffset(d, err.index)})`,
        `${file}:${line}:${column}`,
      );
    }
    const at = locateJsonError(d.text);
    if (!at) throw new InputError(`invalid JSON: ${err instanceof Error ? err.message : String(err)}`, file);
    const { line, column } = lineColumn(d.text, at.index);
    const what = at.truncated ? "truncated JSON (unexpected end of input)" : `invalid JSON: ${at.reason}`;
    throw new InputError(`${what} at byte ${byteOffset(d, at.index)}`, `${file}:${line}:${column}`);
  }
}
