/**
 * Waiver patterns: rule-id globs and module-aware address globs, each compiled once.
 *
 * An address pattern is read in Terraform's own address syntax, segment by segment:
 * - `*` inside a name matches any characters of that one name (`aws_s3_*`, `module.*`);
 * - `**` as a whole segment matches any number of segments (`module.legacy.**`, `**.aws_s3_bucket.logs`);
 * - `[*]` matches any instance key, `[0]` / `["key"]` one key (a quoted key may hold `*` globs);
 * - a segment written without a key matches every instance, keyed or not, as `-target` does:
 *   `module.s3.aws_s3_bucket.this` covers `module.s3["a"].aws_s3_bucket.this[0]`.
 * Keys are compared after parsing, so `["a.b"]` is one key, not two segments.
 */
import { tokenize } from "../plan/address.js";
import { InputError } from "../plan/types.js";

type KeyPattern =
  | { readonly kind: "any" }
  | { readonly kind: "exact"; readonly key: string | number }
  | RegExp;

interface SegmentPattern {
  /** `**`: zero or more whole segments. */
  readonly deep: boolean;
  /** Exact name, or a compiled glob. */
  readonly name: string | RegExp;
  /** Undefined: any key or none. */
  readonly key?: KeyPattern;
}

interface Segment {
  readonly name: string;
  readonly key?: string | number;
}

export interface AddressPattern {
  readonly text: string;
  /**
   * For patterns without name globs or `**`: the names without keys (`module.s3.aws_s3_bucket.b`).
   * Every address it matches has this `addressNameKey`, so waivers can be indexed by it.
   */
  readonly nameKey?: string;
  /** The literal names the pattern starts with (up to its first glob or `**`), for indexing. */
  readonly prefix: readonly string[];
  matches(address: string): boolean;
  matchesParsed(address: ParsedForMatch): boolean;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * `s3-*` -> /^s3-.*$/; `?` matches one character. Globs come from the config and addresses from
 * the plan, so the regex must not backtrack: `^.*a.*a.*a…$` is O(n^k) in the number of stars. Each
 * middle segment is found at its leftmost place inside a lookahead (atomic in JS: never
 * re-entered), which is the greedy glob match; only the last `.*` backtracks, linearly.
 */
export function globToRegExp(glob: string): RegExp {
  const segs = glob.split("*").map((part) => part.split("?").map(escapeRegExp).join("."));
  if (segs.length === 1) return new RegExp(`^${segs[0]}$`, "s");
  const middle = segs.slice(1, -1).map((seg, i) => `(?=(.*?${seg}))\\${i + 1}`);
  return new RegExp(`^${segs[0]}${middle.join("")}.*${segs[segs.length - 1]}$`, "s");
}

export function hasGlob(text: string): boolean {
  return text.includes("*") || text.includes("?");
}

/** One instance key: `[*]`, `[12]` or a JSON-quoted string. */
const KEY = /^\[(\*|\d+|"(?:[^"\\]|\\.)*")\]/;

/** Split a pattern into segments; `[*]` and globbed names are what `tokenize` does not read. */
function parsePattern(text: string): SegmentPattern[] {
  const out: SegmentPattern[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new InputError(`invalid address pattern "${text}": ${why}`);
  };
  while (i < text.length) {
    const c = text[i];
    if (c === ".") {
      i++;
      continue;
    }
    if (c === "[") {
      const prev = out[out.length - 1];
      if (!prev || prev.deep || prev.key) fail("an instance key must follow a name");
      const m = KEY.exec(text.slice(i));
      if (!m) fail(`bad key at "${text.slice(i)}" (use [0], ["key"] or [*])`);
      const inner = (m as RegExpExecArray)[1] as string;
      out[out.length - 1] = { ...(prev as SegmentPattern), key: parseKeyPattern(inner, fail) };
      i += (m as RegExpExecArray)[0].length;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== "." && text[j] !== "[") j++;
    const name = text.slice(i, j);
    if (name === "**") out.push({ deep: true, name });
    else if (name.includes("**")) fail("`**` must be a whole segment");
    else out.push({ deep: false, name: hasGlob(name) ? globToRegExp(name) : name });
    i = j;
  }
  if (out.length === 0) fail("empty");
  return out;
}

function parseKeyPattern(inner: string, fail: (why: string) => never): KeyPattern {
  if (inner === "*") return { kind: "any" };
  if (/^\d+$/.test(inner)) return { kind: "exact", key: Number(inner) };
  if (inner.startsWith('"')) {
    let key: unknown;
    try {
      key = JSON.parse(inner);
    } catch {
      fail(`bad key [${inner}]`);
    }
    if (typeof key !== "string") return fail(`bad key [${inner}]`);
    return hasGlob(key) ? globToRegExp(key) : { kind: "exact", key };
  }
  return fail(`bad key [${inner}] (use [0], ["key"] or [*])`);
}

/** Address -> segments (`module`, `s3`["a"], `aws_s3_bucket`, `this`[0]); undefined when unreadable. */
function segmentsOf(address: string): Segment[] | undefined {
  const tokens = tokenize(address);
  if (!tokens) return undefined;
  const out: Segment[] = [];
  for (const t of tokens) {
    if (t.kind === "name") out.push({ name: t.name });
    else {
      const prev = out[out.length - 1];
      if (!prev || prev.key !== undefined) return undefined;
      out[out.length - 1] = { name: prev.name, key: t.key };
    }
  }
  return out;
}

function nameMatches(p: string | RegExp, name: string): boolean {
  return typeof p === "string" ? p === name : p.test(name);
}

function keyMatches(p: KeyPattern | undefined, key: string | number | undefined): boolean {
  if (p === undefined) return true;
  if (key === undefined) return false;
  if (p instanceof RegExp) return typeof key === "string" && p.test(key);
  if (p.kind === "any") return true;
  return p.key === key;
}

function matchFrom(ps: readonly SegmentPattern[], pi: number, ss: readonly Segment[], si: number): boolean {
  while (pi < ps.length) {
    const p = ps[pi] as SegmentPattern;
    if (p.deep) {
      for (let k = si; k <= ss.length; k++) if (matchFrom(ps, pi + 1, ss, k)) return true;
      return false;
    }
    const s = ss[si];
    if (!s || !nameMatches(p.name, s.name) || !keyMatches(p.key, s.key)) return false;
    pi++;
    si++;
  }
  return si === ss.length;
}

/** Compile an address pattern once; throws `InputError` on a pattern it cannot read. */
export function compileAddressPattern(text: string): AddressPattern {
  const ps = parsePattern(text.trim());
  const literal = ps.every((p) => !p.deep && typeof p.name === "string");
  const prefix: string[] = [];
  for (const p of ps) {
    if (p.deep || typeof p.name !== "string") break;
    prefix.push(p.name);
  }
  return {
    text,
    ...(literal ? { nameKey: ps.map((p) => p.name).join(".") } : {}),
    prefix,
    matches(address: string): boolean {
      const ss = segmentsOf(address);
      return ss !== undefined && matchFrom(ps, 0, ss, 0);
    },
    matchesParsed(address: ParsedForMatch): boolean {
      return matchFrom(ps, 0, address.segments, 0);
    },
  };
}

/** An address split once, to test against many patterns. */
export interface ParsedForMatch {
  readonly segments: readonly Segment[];
  /** Names without keys: `["module", "s3", "aws_s3_bucket", "this"]`. */
  readonly names: readonly string[];
}

export function parseForMatch(address: string): ParsedForMatch | undefined {
  const segments = segmentsOf(address);
  return segments ? { segments, names: segments.map((x) => x.name) } : undefined;
}

/** The names of an address without instance keys (`module.s3.aws_s3_bucket.this`), for indexing. */
export function addressNameKey(address: string): string | undefined {
  return parseForMatch(address)?.names.join(".");
}
