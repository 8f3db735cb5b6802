/**
 * A small HCL scanner: enough structure to find blocks and attributes with their positions, and to
 * skip everything else correctly — strings with escapes and `${}`/`%{}` templates, heredocs
 * (`<<EOF`, `<<-EOF`), comments (`#`, `//`, `/* *\/`) that may hold braces. It does not evaluate
 * expressions; an attribute's value is an opaque range of text.
 *
 * Offsets are string indices into the scanned text; lines are 1-based.
 */

export interface HclAttribute {
  readonly kind: "attribute";
  readonly name: string;
  /** Offset of the name (start of the item). */
  readonly start: number;
  /** Offset just after the value (before a trailing comment or newline). */
  readonly end: number;
  readonly valueStart: number;
  /** Offset of the `=`. */
  readonly equals: number;
  readonly line: number;
  readonly endLine: number;
}

export interface HclBlock {
  readonly kind: "block";
  readonly type: string;
  readonly labels: readonly string[];
  readonly start: number;
  /** Offset of the `{`. */
  readonly open: number;
  /** Offset of the closing `}`. */
  readonly close: number;
  /** Offset just after the closing `}`. */
  readonly end: number;
  readonly line: number;
  readonly endLine: number;
  readonly items: readonly HclItem[];
}

export type HclItem = HclAttribute | HclBlock;

export interface HclFile {
  readonly items: readonly HclItem[];
  /** First syntax problem met, when the text is not well-formed; the items up to it are kept. */
  readonly error?: string;
}

class ScanError extends Error {}

const IDENT_START = /[A-Za-z_]/;
const IDENT_CHAR = /[A-Za-z0-9_-]/;

/** Deeper nesting than any real configuration: refuse instead of exhausting the stack. */
const MAX_DEPTH = 256;

class Scanner {
  private pos = 0;
  private depth = 0;
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === "\n") this.lineStarts.push(i + 1);
  }

  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  private peek(k = 0): string {
    return this.text[this.pos + k] ?? "";
  }

  private fail(msg: string): never {
    throw new ScanError(`line ${this.lineOf(Math.min(this.pos, this.text.length))}: ${msg}`);
  }

  /** Skip spaces, tabs and comments; with `newlines`, newlines too. Returns true if a newline was skipped. */
  private skipSpace(newlines: boolean): boolean {
    let sawNewline = false;
    for (;;) {
      const c = this.peek();
      if (c === " " || c === "\t" || c === "\r") this.pos++;
      else if (c === "\n" && newlines) {
        sawNewline = true;
        this.pos++;
      } else if (c === "#" || (c === "/" && this.peek(1) === "/")) {
        // A line comment ends at the newline, which itself separates items.
        while (this.pos < this.text.length && this.peek() !== "\n") this.pos++;
      } else if (c === "/" && this.peek(1) === "*") {
        const close = this.text.indexOf("*/", this.pos + 2);
        if (close < 0) this.fail("unterminated /* comment");
        this.pos = close + 2;
      } else return sawNewline;
    }
  }

  private ident(): string {
    const start = this.pos;
    if (!IDENT_START.test(this.peek()))
      this.fail(`expected a name, found ${JSON.stringify(this.peek() || "end of file")}`);
    while (IDENT_CHAR.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** Skip a quoted string (pos at the opening quote); returns its raw inner text. */
  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
  }

  private quoted(): string {
    this.enter();
    const start = ++this.pos;
    for (;;) {
      const c = this.peek();
      if (c === "") this.fail("unterminated string");
      if (c === "\n") this.fail("newline in a quoted string");
      if (c === "\\") this.pos += 2;
      else if (c === '"') {
        this.pos++;
        this.depth--;
        return this.text.slice(start, this.pos - 1);
      } else if ((c === "$" || c === "%") && this.peek(1) === c && this.peek(2) === "{") this.pos += 3;
      else if ((c === "$" || c === "%") && this.peek(1) === "{") {
        this.pos += 2;
        this.templateExpr();
      } else this.pos++;
    }
  }

  /** Inside `${ ... }` or `%{ ... }`: skip to the matching `}` (strings inside may hold braces). */
  private templateExpr(): void {
    let depth = 0;
    for (;;) {
      const c = this.peek();
      if (c === "") this.fail("unterminated template interpolation");
      if (c === '"') this.quoted();
      else if (c === "{" || c === "(" || c === "[") {
        depth++;
        this.pos++;
      } else if (c === ")" || c === "]") {
        depth--;
        this.pos++;
      } else if (c === "}") {
        this.pos++;
        if (depth === 0) return;
        depth--;
      } else if (c === "<" && this.peek(1) === "<" && this.heredocAhead()) this.heredoc();
      else if (c === "#" || c === "/") {
        if (!this.skipCommentHere()) this.pos++;
      } else this.pos++;
    }
  }

  private heredocAhead(): boolean {
    return /^<<-?[A-Za-z_][A-Za-z0-9_-]*[ \t]*\r?\n/.test(this.text.slice(this.pos, this.pos + 200));
  }

  /** Skip a heredoc (pos at `<<`): through the line holding only its marker. */
  private heredoc(): void {
    const m = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(this.text.slice(this.pos, this.pos + 200));
    if (!m) this.fail("bad heredoc");
    const marker = m[2] as string;
    let lineStart = this.pos + m[0].length;
    for (;;) {
      if (lineStart >= this.text.length) this.fail(`unterminated heredoc <<${marker}`);
      let lineEnd = this.text.indexOf("\n", lineStart);
      if (lineEnd < 0) lineEnd = this.text.length;
      const line = this.text.slice(lineStart, lineEnd).replace(/\r$/, "");
      if (line.trim() === marker) {
        // The value ends after the marker; the newline ends the attribute.
        this.pos = lineStart + this.text.slice(lineStart, lineEnd).indexOf(marker) + marker.length;
        return;
      }
      lineStart = lineEnd + 1;
    }
  }

  /** At `#`, `//` or `/*`: skip the comment (not the newline). False if not a comment. */
  private skipCommentHere(): boolean {
    const c = this.peek();
    if (c === "#" || (c === "/" && this.peek(1) === "/")) {
      while (this.pos < this.text.length && this.peek() !== "\n") this.pos++;
      return true;
    }
    if (c === "/" && this.peek(1) === "*") {
      const close = this.text.indexOf("*/", this.pos + 2);
      if (close < 0) this.fail("unterminated /* comment");
      this.pos = close + 2;
      return true;
    }
    return false;
  }

  /**
   * Skip an attribute's expression: up to a newline or an unmatched `}` at bracket depth 0.
   * Returns the offset just after the last non-space, non-comment character.
   */
  private expression(): number {
    let depth = 0;
    let lastEnd = this.pos;
    for (;;) {
      const c = this.peek();
      if (c === "") {
        if (depth > 0) this.fail("unterminated expression");
        return lastEnd;
      }
      if (c === "\n" && depth === 0) return lastEnd;
      if (c === "}" && depth === 0) return lastEnd;
      if (c === "#" || (c === "/" && (this.peek(1) === "/" || this.peek(1) === "*"))) {
        this.skipCommentHere();
        continue;
      }
      if (c === " " || c === "\t" || c === "\r" || c === "\n") {
        this.pos++;
        continue;
      }
      if (c === '"') this.quoted();
      else if (c === "<" && this.peek(1) === "<" && this.heredocAhead()) this.heredoc();
      else if (c === "{" || c === "(" || c === "[") {
        depth++;
        this.pos++;
      } else if (c === "}" || c === ")" || c === "]") {
        depth--;
        this.pos++;
      } else this.pos++;
      lastEnd = this.pos;
    }
  }

  /** Items of a body, until `}` (nested) or end of file (top level). */
  body(nested: boolean): HclItem[] {
    const items: HclItem[] = [];
    for (;;) {
      this.skipSpace(true);
      const c = this.peek();
      if (c === "") {
        if (nested) this.fail("unclosed block: missing }");
        return items;
      }
      if (c === "}") {
        if (!nested) this.fail("unexpected }");
        return items;
      }
      items.push(this.item());
    }
  }

  private item(): HclItem {
    const start = this.pos;
    const name = this.ident();
    this.skipSpace(false);
    if (this.peek() === "=" && this.peek(1) !== "=") {
      const equals = this.pos++;
      this.skipSpace(false);
      const valueStart = this.pos;
      const end = this.expression();
      return {
        kind: "attribute",
        name,
        start,
        end,
        valueStart,
        equals,
        line: this.lineOf(start),
        endLine: this.lineOf(Math.max(start, end - 1)),
      };
    }
    const labels: string[] = [];
    for (;;) {
      this.skipSpace(false);
      const c = this.peek();
      if (c === '"') labels.push(this.quoted());
      else if (IDENT_START.test(c)) labels.push(this.ident());
      else break;
    }
    if (this.peek() !== "{") this.fail(`expected "{" or "=" after ${JSON.stringify(name)}`);
    const open = this.pos++;
    this.enter();
    const items = this.body(true);
    this.depth--;
    const close = this.pos++;
    return {
      kind: "block",
      type: name,
      labels,
      start,
      open,
      close,
      end: close + 1,
      line: this.lineOf(start),
      endLine: this.lineOf(close),
      items,
    };
  }
}

/** Scan a .tf file. Never throws: a syntax problem comes back as `error`. */
export function scanHcl(text: string): HclFile {
  const s = new Scanner(text);
  try {
    return { items: s.body(false) };
  } catch (err) {
    if (err instanceof ScanError) return { items: [], error: err.message };
    throw err;
  }
}

/** Top-level `resource "TYPE" "NAME" {` block (or `data`), if the file has it. */
export function findResourceBlock(
  file: HclFile,
  type: string,
  name: string,
  mode: "resource" | "data" = "resource",
): HclBlock | undefined {
  return blocksOf(file).get(blockKey(mode, type, name));
}

const blockKey = (mode: string, type: string, name: string): string => JSON.stringify([mode, type, name]);

/**
 * A file's blocks by kind and first two labels, built once per scanned file: finding each
 * resource's block by a scan from the top was quadratic in the blocks of a module (locations and
 * patches look up every failing resource). The first block of a key wins, as the scan found it.
 */
const blocksByFile = new WeakMap<HclFile, ReadonlyMap<string, HclBlock>>();

function blocksOf(file: HclFile): ReadonlyMap<string, HclBlock> {
  let blocks = blocksByFile.get(file);
  if (!blocks) {
    const index = new Map<string, HclBlock>();
    for (const item of file.items) {
      const [type, name] = item.kind === "block" ? item.labels : [];
      if (item.kind !== "block" || type === undefined || name === undefined) continue;
      const key = blockKey(item.type, type, name);
      if (!index.has(key)) index.set(key, item);
    }
    blocks = index;
    blocksByFile.set(file, blocks);
  }
  return blocks;
}

/** Decode the raw text of a quoted label (escapes only; labels hold no templates). */
export function blockLabel(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}
