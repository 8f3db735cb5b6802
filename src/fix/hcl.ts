/**
 * HCL text: one string escaper and one value printer, shared by the snippet renderer and the
 * patcher. Output is laid out the way `terraform fmt` lays it out (two-space indent, `=` aligned
 * within runs of single-line attributes), so written files stay fmt-clean.
 */
import type { JsonValue } from "../plan/types.js";

/** A character (or `${` / `%{`) that `escapeHclString` rewrites: see its loop. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
const NEEDS_ESCAPE = /[\\"\x00-\x1f\x7f\u2028\u2029]|[$%]\{/;

/**
 * Escape a string for a quoted HCL literal. `${` and `%{` are doubled so a value is never read as
 * a template (tflint's `ValueText` does the same); control characters become escapes.
 */
export function escapeHclString(s: string): string {
  // Most strings need no escape: quoted as they are, without rebuilding them a character at a time.
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    const next = s[i + 1];
    if (c === "\\") out += "\\\\";
    else if (c === '"') out += '\\"';
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if ((c === "$" || c === "%") && next === "{") out += `${c}${c}`;
    else {
      const code = c.charCodeAt(0);
      if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) {
        out += `\\u${code.toString(16).padStart(4, "0")}`;
      } else out += c;
    }
  }
  return `"${out}"`;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** An object key as HCL writes it: bare when it is an identifier, quoted otherwise. */
export function hclKey(key: string): string {
  return IDENT.test(key) ? key : escapeHclString(key);
}

function isObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A list of objects is written as repeated nested blocks (the shape plans give blocks). */
export function isBlockList(v: JsonValue | undefined): v is { [key: string]: JsonValue }[] {
  return Array.isArray(v) && v.length > 0 && v.every(isObject);
}

/** True when `printValue` puts the value on one line. */
function isSingleLine(v: JsonValue): boolean {
  if (Array.isArray(v)) return v.every((x) => x === null || typeof x !== "object");
  if (isObject(v)) return Object.keys(v).length === 0;
  return true;
}

const pad = (depth: number): string => "  ".repeat(depth);

/**
 * Print a value as an HCL expression. `depth` is the indent level of the line the value starts on;
 * nested lines are indented one more level. Numbers are printed as JSON does (no NaN/Infinity in plans).
 */
/** Values nested deeper than this are not printed (no configuration nests so deep; hostile plans may). */
export const MAX_PRINT_DEPTH = 100;

export class ValueTooDeep extends Error {
  constructor() {
    super(`value nested deeper than ${MAX_PRINT_DEPTH} levels`);
  }
}

export function printValue(v: JsonValue, depth = 0): string {
  if (depth > MAX_PRINT_DEPTH) throw new ValueTooDeep();
  if (v === null) return "null";
  if (typeof v === "string") return escapeHclString(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    if (isSingleLine(v)) return `[${v.map((x) => printValue(x, depth)).join(", ")}]`;
    const items = v.map((x) => `${pad(depth + 1)}${printValue(x, depth + 1)},`);
    return `[\n${items.join("\n")}\n${pad(depth)}]`;
  }
  const keys = Object.keys(v);
  if (keys.length === 0) return "{}";
  const lines = alignedAttributes(
    keys.map((k) => ({ key: hclKey(k), value: v[k] as JsonValue })),
    depth + 1,
  );
  return `{\n${lines.join("\n")}\n${pad(depth)}}`;
}

interface Entry {
  readonly key: string;
  readonly value: JsonValue;
}

/** `key = value` lines; runs of single-line entries get their `=` aligned, as `terraform fmt` does. */
function alignedAttributes(entries: readonly Entry[], depth: number): string[] {
  const out: string[] = [];
  let run: Entry[] = [];
  const flush = (): void => {
    const width = Math.max(0, ...run.map((e) => e.key.length));
    for (const e of run) out.push(`${pad(depth)}${e.key.padEnd(width)} = ${printValue(e.value, depth)}`);
    run = [];
  };
  for (const e of entries) {
    if (isSingleLine(e.value)) run.push(e);
    else {
      flush();
      out.push(`${pad(depth)}${e.key} = ${printValue(e.value, depth)}`);
    }
  }
  flush();
  return out;
}

/** One item of a block body: an attribute, or a nested block. */
export type BodyItem =
  | { readonly kind: "attribute"; readonly name: string; readonly value: JsonValue }
  /** An attribute whose value is raw HCL (a reference such as `aws_s3_bucket.b.id`). */
  | { readonly kind: "expression"; readonly name: string; readonly text: string }
  | {
      readonly kind: "block";
      readonly type: string;
      readonly labels: readonly string[];
      readonly body: readonly BodyItem[];
    };

/**
 * Body items from an attributes object: lists of objects become nested blocks (that is how plans
 * show blocks); everything else is an attribute. Attributes come first, then blocks, as in fmt'd code.
 */
export function bodyFromValue(attrs: JsonValue): BodyItem[] {
  if (!isObject(attrs)) return [];
  const attributes: BodyItem[] = [];
  const blocks: BodyItem[] = [];
  for (const k of Object.keys(attrs)) {
    const v = attrs[k] as JsonValue;
    // Only identifiers become block types (a block type is a bare word, never escaped).
    if (isBlockList(v) && IDENT.test(k)) {
      for (const item of v) blocks.push({ kind: "block", type: k, labels: [], body: bodyFromValue(item) });
    } else attributes.push({ kind: "attribute", name: k, value: v });
  }
  return [...attributes, ...blocks];
}

/**
 * Print block body items at `depth`, aligned like `terraform fmt`. With `prefixes`, the line of each
 * attribute or expression item up to its value (`  bucket = `, padded as aligned) is pushed to it,
 * in item order (nested blocks push none).
 */
export function printBody(items: readonly BodyItem[], depth: number, prefixes?: string[]): string[] {
  const out: string[] = [];
  let run: { key: string; text: string }[] = [];
  const flush = (): void => {
    const width = Math.max(0, ...run.map((e) => e.key.length));
    for (const e of run) {
      const prefix = `${pad(depth)}${e.key.padEnd(width)} = `;
      prefixes?.push(prefix);
      out.push(`${prefix}${e.text}`);
    }
    run = [];
  };
  for (const item of items) {
    if (item.kind === "block") {
      flush();
      // A blank line sets a nested block off from what precedes it (fmt keeps it; readers expect it).
      if (out.length > 0) out.push("");
      out.push(...printBlock(item.type, item.labels, item.body, depth));
      continue;
    }
    const text = item.kind === "expression" ? item.text : printValue(item.value, depth);
    // A multi-line value (a `jsonencode({...})`) ends the run of aligned `=`, as fmt does.
    if (item.kind === "expression" ? !text.includes("\n") : isSingleLine(item.value))
      run.push({ key: hclKey(item.name), text });
    else {
      flush();
      const prefix = `${pad(depth)}${hclKey(item.name)} = `;
      prefixes?.push(prefix);
      out.push(`${prefix}${text}`);
    }
  }
  flush();
  return out;
}

/** `type "label" ... {` + body + `}` at `depth`. */
export function printBlock(
  type: string,
  labels: readonly string[],
  body: readonly BodyItem[],
  depth: number,
): string[] {
  const head = [type, ...labels.map(escapeHclString)].join(" ");
  if (body.length === 0) return [`${pad(depth)}${head} {`, `${pad(depth)}}`];
  return [`${pad(depth)}${head} {`, ...printBody(body, depth + 1), `${pad(depth)}}`];
}
