/**
 * Text edits on `.tf` source: insert an attribute or a block into a body, remove an item, keep the
 * layout `terraform fmt` wants (`=` and trailing comments aligned in runs of attributes), apply
 * non-overlapping edits. Positions come from the HCL scanner.
 */
import type { HclAttribute, HclBlock, HclItem } from "./hcl-scanner.js";

export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The source text an edit applies to. */
export interface TextCtx {
  readonly text: string;
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}
/** Offset of the end of the line holding `offset` (before `\r\n` or `\n`). */
export function lineEnd(text: string, offset: number): number {
  const i = text.indexOf("\n", offset);
  if (i < 0) return text.length;
  return text[i - 1] === "\r" ? i - 1 : i;
}
export function indentAt(text: string, offset: number): string {
  const ls = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(ls, offset))?.[0] ?? "";
}

/** Why an edit cannot be made in the source; the snippet covers it. */
export class Unsupported extends Error {}

/** Insert `lines` (already indented) as new attribute line(s) in `block`'s body. */
export function insertAttribute(ctx: TextCtx, block: HclBlock, lines: string): TextEdit {
  const { text } = ctx;
  const firstBlock = block.items.findIndex((i) => i.kind === "block");
  const before = block.items.slice(0, firstBlock < 0 ? block.items.length : firstBlock);
  const last = [...before].reverse().find((i) => i.kind === "attribute");
  if (last) {
    const at = lineEnd(text, last.end);
    return { start: at, end: at, text: `\n${lines}` };
  }
  const next = block.items[0];
  if (next) {
    const at = lineStart(text, next.start);
    return { start: at, end: at, text: `${lines}\n` };
  }
  return insertIntoEmpty(ctx, block, lines);
}

function insertIntoEmpty(ctx: TextCtx, block: HclBlock, lines: string): TextEdit {
  const { text } = ctx;
  if (block.line === block.endLine) {
    // `x {}` on one line: rewrite the braces around the new body.
    const outer = indentAt(text, block.start);
    return { start: block.open, end: block.end, text: `{\n${lines}\n${outer}}` };
  }
  const at = lineEnd(text, block.open);
  return { start: at, end: at, text: `\n${lines}` };
}

/** Insert a nested block at the end of `block`'s body. */
export function insertBlock(ctx: TextCtx, block: HclBlock, lines: string): TextEdit {
  const { text } = ctx;
  if (block.items.length === 0) return insertIntoEmpty(ctx, block, lines);
  const last = block.items[block.items.length - 1] as HclItem;
  const at = lineEnd(text, last.end);
  return { start: at, end: at, text: `\n\n${lines}` };
}

export function removeItem(ctx: TextCtx, item: HclItem): TextEdit {
  const { text } = ctx;
  const ls = lineStart(text, item.start);
  const le = lineEnd(text, item.end);
  if (text.slice(ls, item.start).trim() !== "" || !/^[ \t]*(#.*|\/\/.*)?$/.test(text.slice(item.end, le))) {
    throw new Unsupported("shares its line with other code");
  }
  const eol = text[le] === "\r" ? 2 : 1;
  return { start: ls, end: Math.min(text.length, le + eol), text: "" };
}

/** Offset of a comment following an attribute on its line, if any. */
function trailingComment(text: string, end: number): number | undefined {
  let i = end;
  while (text[i] === " " || text[i] === "\t") i++;
  const c = text[i];
  return c === "#" || (c === "/" && (text[i + 1] === "/" || text[i + 1] === "*")) ? i : undefined;
}

/**
 * Trailing comments on consecutive lines of a run start in one column, one space after the longest
 * value (as fmt does; a line without a comment ends the alignment).
 */
function alignComments(text: string, run: readonly HclAttribute[]): TextEdit[] {
  const out: TextEdit[] = [];
  let group: { a: HclAttribute; at: number }[] = [];
  const flush = (): void => {
    if (group.length > 0) {
      const widest = Math.max(...group.map((g) => g.a.end - g.a.valueStart));
      for (const { a, at } of group) {
        const want = " ".repeat(widest - (a.end - a.valueStart) + 1);
        if (text.slice(a.end, at) !== want) out.push({ start: a.end, end: at, text: want });
      }
    }
    group = [];
  };
  for (const a of run) {
    const at = text.startsWith("<<", a.valueStart) ? undefined : trailingComment(text, a.end);
    if (at === undefined) flush();
    else group.push({ a, at });
  }
  flush();
  return out;
}

/** `=` alignment of runs of single-line attributes in a block and its nested blocks (as fmt does). */
export function alignEdits(text: string, items: readonly HclItem[]): TextEdit[] {
  const out: TextEdit[] = [];
  let run: HclAttribute[] = [];
  const flush = (): void => {
    const width = Math.max(0, ...run.map((a) => a.name.length));
    for (const a of run) {
      const nameEnd = a.start + a.name.length;
      const want = " ".repeat(width - a.name.length + 1);
      if (text.slice(nameEnd, a.equals) !== want) out.push({ start: nameEnd, end: a.equals, text: want });
    }
    out.push(...alignComments(text, run));
    run = [];
  };
  for (const item of items) {
    if (item.kind === "block") {
      flush();
      out.push(...alignEdits(text, item.items));
      continue;
    }
    const prev = run[run.length - 1];
    // A heredoc is one token to fmt: its attribute stays in the run, whatever its length.
    const heredoc = text.startsWith("<<", item.valueStart);
    if (item.line !== item.endLine && !heredoc) {
      flush();
      continue;
    }
    if (prev && prev.endLine + 1 !== item.line) flush();
    run.push(item);
  }
  flush();
  return out;
}

export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  // A file written with CRLF keeps CRLF in the lines we add.
  const crlf = text.includes("\r\n");
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
    const inserted = crlf ? e.text.replace(/\r?\n/g, "\r\n") : e.text;
    out = out.slice(0, e.start) + inserted + out.slice(e.end);
  }
  return out;
}

/** Keep the edits that do not overlap (sorted by position); report the rest. */
export function nonOverlapping(edits: readonly (TextEdit & { what: string })[], notes: string[]): TextEdit[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end || (a.what < b.what ? -1 : 1));
  const kept: TextEdit[] = [];
  let lastEnd = -1;
  for (const e of sorted) {
    if (e.start < lastEnd || (e.start === lastEnd && e.start === e.end && kept.length > 0)) {
      notes.push(`${e.what}: overlaps another edit; not applied`);
      continue;
    }
    kept.push(e);
    lastEnd = Math.max(lastEnd, e.end);
  }
  return kept;
}
