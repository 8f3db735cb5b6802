/**
 * Rejects regular expressions that can backtrack catastrophically on a crafted input (a pack is
 * untrusted data, and so is the plan it runs on).
 *
 * A small parser builds the structure of the pattern; three shapes are refused:
 * - star height above one: a repeated group holding an unbounded quantifier, `(a+)+`, `(\w+\s?)*`;
 * - a repeated alternation whose branches can start with the same character, `(a|ab)*`, `(\w|\d)+`;
 * - two adjacent unbounded quantifiers over overlapping characters, `\d+\d*`, `.*.*`.
 * Backreferences are refused outright. Patterns are capped in length, and so are the strings they
 * run on (MAX_MATCH_INPUT), which bounds even polynomial backtracking.
 */

export const MAX_PATTERN_LENGTH = 1000;
/**
 * Longest string a pack regex runs on. Even a safe pattern is quadratic when unanchored: `[a-z]*x`
 * takes about 1 s on 16 KiB of "a" (measured, Node 20), 60 ms on 4 KiB. Names, ARNs and tags are
 * far shorter; a longer value gives `unknown`, never a silent pass.
 */
export const MAX_MATCH_INPUT = 4096;

type CharTest = (code: number) => boolean;

interface Quant {
  readonly min: number;
  readonly max: number;
}

type RNode =
  | { readonly kind: "atom"; readonly set: CharTest; quant: Quant }
  | { readonly kind: "group"; readonly alts: RNode[][]; readonly zeroWidth: boolean; quant: Quant }
  | { readonly kind: "assert"; quant: Quant };

const ONCE: Quant = { min: 1, max: 1 };
/** Characters probed when comparing character sets (ASCII plus a few non-ASCII samples). */
const PROBES: readonly number[] = [
  ...Array.from({ length: 128 }, (_, i) => i),
  0xa0,
  0xe9,
  0x3b1,
  0x4e2d,
  0x2028,
];

const DIGIT: CharTest = (c) => c >= 48 && c <= 57;
const WORD: CharTest = (c) => DIGIT(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const SPACE: CharTest = (c) => c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x2028;
const ANY: CharTest = (c) => c !== 10 && c !== 13 && c !== 0x2028;

class RegexSyntaxError extends Error {}

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): RNode[][] {
    const alts = this.alternatives();
    if (this.i < this.src.length) throw new RegexSyntaxError(`unexpected ")" at ${this.i}`);
    return alts;
  }

  private alternatives(): RNode[][] {
    const alts: RNode[][] = [this.sequence()];
    while (this.src[this.i] === "|") {
      this.i++;
      alts.push(this.sequence());
    }
    return alts;
  }

  private sequence(): RNode[] {
    const seq: RNode[] = [];
    while (this.i < this.src.length && this.src[this.i] !== "|" && this.src[this.i] !== ")") {
      const node = this.atom();
      node.quant = this.quantifier();
      seq.push(node);
    }
    return seq;
  }

  private quantifier(): Quant {
    const c = this.src[this.i];
    let q: Quant | undefined;
    if (c === "*") q = { min: 0, max: Infinity };
    else if (c === "+") q = { min: 1, max: Infinity };
    else if (c === "?") q = { min: 0, max: 1 };
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (m) {
        const min = Number(m[1]);
        const max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
        this.i += m[0].length - 1;
        q = { min, max };
      }
    }
    if (!q) return ONCE;
    this.i++;
    if (this.src[this.i] === "?") this.i++; // lazy: same backtracking
    return q;
  }

  private atom(): RNode {
    const c = this.src[this.i++];
    switch (c) {
      case "(": {
        let lookaround = false;
        if (this.src[this.i] === "?") {
          const rest = this.src.slice(this.i);
          const m = /^\?(:|=|!|<=|<!|<[A-Za-z_][A-Za-z0-9_]*>)/.exec(rest);
          if (!m) throw new RegexSyntaxError(`invalid group at ${this.i}`);
          lookaround = ["=", "!", "<=", "<!"].includes(m[1] ?? "");
          this.i += m[0].length;
        }
        const alts = this.alternatives();
        if (this.src[this.i] !== ")") throw new RegexSyntaxError("unterminated group");
        this.i++;
        return { kind: "group", alts, zeroWidth: lookaround, quant: ONCE };
      }
      case "[":
        return { kind: "atom", set: this.charClass(), quant: ONCE };
      case ".":
        return { kind: "atom", set: ANY, quant: ONCE };
      case "^":
      case "$":
        return { kind: "assert", quant: ONCE };
      case "\\":
        return this.escape();
      case "*":
      case "+":
      case "?":
        throw new RegexSyntaxError(`nothing to repeat at ${this.i - 1}`);
      default: {
        const code = (c ?? "").codePointAt(0) ?? 0;
        return { kind: "atom", set: (x) => x === code, quant: ONCE };
      }
    }
  }

  private escape(): RNode {
    const c = this.src[this.i++];
    if (c === undefined) throw new RegexSyntaxError("trailing backslash");
    if (c === "b" || c === "B") return { kind: "assert", quant: ONCE };
    if (/[1-9]/.test(c) || (c === "k" && this.src[this.i] === "<")) {
      throw new RegexSyntaxError("backreferences are not allowed");
    }
    return { kind: "atom", set: this.classEscape(c), quant: ONCE };
  }

  private classEscape(c: string): CharTest {
    switch (c) {
      case "d":
        return DIGIT;
      case "D":
        return (x) => !DIGIT(x);
      case "w":
        return WORD;
      case "W":
        return (x) => !WORD(x);
      case "s":
        return SPACE;
      case "S":
        return (x) => !SPACE(x);
      case "n":
        return (x) => x === 10;
      case "t":
        return (x) => x === 9;
      case "r":
        return (x) => x === 13;
      case "x": {
        const code = Number.parseInt(this.src.slice(this.i, this.i + 2), 16);
        this.i += 2;
        return (x) => x === code;
      }
      case "u": {
        const code = Number.parseInt(this.src.slice(this.i, this.i + 4), 16);
        this.i += 4;
        return (x) => x === code;
      }
      default: {
        const code = c.codePointAt(0) ?? 0;
        return (x) => x === code;
      }
    }
  }

  private charClass(): CharTest {
    const negated = this.src[this.i] === "^";
    if (negated) this.i++;
    const parts: CharTest[] = [];
    let first = true;
    while (this.i < this.src.length && (this.src[this.i] !== "]" || first)) {
      first = false;
      const lo = this.classChar();
      if (this.src[this.i] === "-" && this.src[this.i + 1] !== "]" && this.i + 1 < this.src.length) {
        this.i++;
        const hi = this.classChar();
        if (typeof lo === "number" && typeof hi === "number") parts.push((x) => x >= lo && x <= hi);
        else
          parts.push(
            typeof lo === "number" ? (x) => x === lo : lo,
            typeof hi === "number" ? (x) => x === hi : hi,
          );
        continue;
      }
      parts.push(typeof lo === "number" ? (x) => x === lo : lo);
    }
    if (this.src[this.i] !== "]") throw new RegexSyntaxError("unterminated character class");
    this.i++;
    const any: CharTest = (x) => parts.some((p) => p(x));
    return negated ? (x) => !any(x) : any;
  }

  private classChar(): number | CharTest {
    const c = this.src[this.i++] ?? "";
    if (c !== "\\") return c.codePointAt(0) ?? 0;
    const e = this.src[this.i++] ?? "";
    if ("dDwWsS".includes(e)) return this.classEscape(e);
    const t = this.classEscape(e);
    return PROBES.find((p) => t(p)) ?? e.codePointAt(0) ?? 0;
  }
}

function nullable(node: RNode): boolean {
  if (node.quant.min === 0 || node.kind === "assert") return true;
  if (node.kind === "atom") return false;
  return node.zeroWidth || node.alts.some((seq) => seq.every(nullable));
}

/** Characters a node can start with. */
function firstSet(node: RNode): CharTest {
  if (node.kind === "atom") return node.set;
  if (node.kind === "assert" || node.zeroWidth) return () => false;
  const sets = node.alts.map(seqFirstSet);
  return (x) => sets.some((s) => s(x));
}

function seqFirstSet(seq: readonly RNode[]): CharTest {
  const sets: CharTest[] = [];
  for (const n of seq) {
    sets.push(firstSet(n));
    if (!nullable(n)) break;
  }
  return (x) => sets.some((s) => s(x));
}

function overlap(a: CharTest, b: CharTest): boolean {
  return PROBES.some((p) => a(p) && b(p));
}

function containsUnbounded(seqs: readonly (readonly RNode[])[]): boolean {
  return seqs.some((seq) =>
    seq.some(
      (n) =>
        (n.quant.max === Infinity && n.kind !== "assert") ||
        (n.kind === "group" && containsUnbounded(n.alts)),
    ),
  );
}

/**
 * A repeated group whose unbounded part can also match what follows it in the iteration (or the
 * start of the next one): the input splits into iterations in exponentially many ways. `(a+)+` and
 * `(\w+\s?)*` are ambiguous; `(-[a-z]+)*` is not (every iteration starts with `-`).
 */
function iterationAmbiguous(group: Extract<RNode, { kind: "group" }>): boolean {
  const start = firstSet(group);
  for (const seq of group.alts) {
    for (let k = 0; k < seq.length; k++) {
      const node = seq[k] as RNode;
      if (node.kind === "group" && containsUnbounded(node.alts)) return true;
      // A bounded but variable count (`a{1,3}`, `a?`) splits iterations as ambiguously as `a+`:
      // `(a{1,3})*` is exponential on "aaaa…!".
      if (node.quant.max === node.quant.min || node.kind === "assert") continue;
      if (node.kind === "group" && node.quant.max === Infinity) return true;
      const rest = seq.slice(k + 1);
      const follow = rest.every(nullable) ? [seqFirstSet(rest), start] : [seqFirstSet(rest)];
      const first = node.kind === "group" ? firstSet(node) : node.set;
      if (follow.some((f) => overlap(first, f))) return true;
    }
  }
  return false;
}

function findProblem(seqs: readonly (readonly RNode[])[]): string | undefined {
  for (const seq of seqs) {
    for (let k = 0; k < seq.length; k++) {
      const n = seq[k] as RNode;
      if (n.kind === "group") {
        if (n.quant.max > 1) {
          if (iterationAmbiguous(n))
            return "nested quantifiers (a repeated group containing `*`, `+` or `{n,}`)";
          const firsts = n.alts.map(seqFirstSet);
          for (let x = 0; x < firsts.length; x++) {
            for (let y = x + 1; y < firsts.length; y++) {
              if (overlap(firsts[x] as CharTest, firsts[y] as CharTest)) {
                return "a repeated alternation whose branches can match the same text";
              }
            }
          }
        }
        const inner = findProblem(n.alts);
        if (inner) return inner;
      }
      const next = seq[k + 1];
      if (
        next &&
        n.quant.max === Infinity &&
        next.quant.max === Infinity &&
        overlap(firstSet(n), firstSet(next))
      ) {
        return "adjacent unbounded quantifiers over overlapping characters";
      }
    }
  }
  return undefined;
}

export type RegexCheck =
  | { readonly ok: true; readonly regex: RegExp }
  | {
      readonly ok: false;
      readonly error: string;
      readonly code: "regex-too-long" | "invalid-regex" | "unsafe-regex";
    };

/** Compile a pack's pattern, or say why it is refused. */
export function checkRegex(pattern: string): RegexCheck {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return {
      ok: false,
      code: "regex-too-long",
      error: `regular expression is longer than ${MAX_PATTERN_LENGTH} characters`,
    };
  }
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (err) {
    return {
      ok: false,
      code: "invalid-regex",
      error: `invalid regular expression: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  let tree: RNode[][];
  try {
    tree = new Parser(pattern).parse();
  } catch (err) {
    return {
      ok: false,
      code: "unsafe-regex",
      error: `unsafe regular expression: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  const problem = findProblem(tree);
  if (problem)
    return {
      ok: false,
      code: "unsafe-regex",
      error: `unsafe regular expression ${JSON.stringify(pattern)}: ${problem}`,
    };
  return { ok: true, regex };
}
