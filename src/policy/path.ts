/**
 * Attribute path syntax of packs: `a.b[0].c`, `tags["Data Class"]`, `rule[*].status`.
 *
 * `[*]` means every element of a list (or every value of a map): the assertion must hold for all of
 * them. An absent or empty collection behaves as an absent value at that path, so `equals` fails
 * and `notEquals` / `absent` pass — the same answer as if the attribute were not set at all.
 */
import type { JsonValue } from "../plan/types.js";

export const WILDCARD: unique symbol = Symbol("[*]");
export type PathSegment = string | number | typeof WILDCARD;
export type PathPattern = readonly PathSegment[];

export type ParsedPath =
  | { readonly ok: true; readonly path: PathPattern }
  | { readonly ok: false; readonly error: string };

const NAME = /[A-Za-z0-9_-]/;

export function parsePath(text: string): ParsedPath {
  const out: PathSegment[] = [];
  let i = 0;
  const fail = (why: string): ParsedPath => ({
    ok: false,
    error: `invalid path "${text}": ${why} at offset ${i}`,
  });
  const readName = (): string => {
    const start = i;
    while (i < text.length && NAME.test(text[i] ?? "")) i++;
    return text.slice(start, i);
  };
  if (text.length === 0) return fail("empty path");
  if (text[0] !== "[") {
    const name = readName();
    if (name === "") return fail("expected an attribute name");
    out.push(name);
  }
  while (i < text.length) {
    const c = text[i];
    if (c === ".") {
      i++;
      const name = readName();
      if (name === "") return fail("expected an attribute name after '.'");
      out.push(name);
    } else if (c === "[") {
      i++;
      if (text[i] === "*") {
        if (text[i + 1] !== "]") return fail("expected ']' after '*'");
        i += 2;
        out.push(WILDCARD);
      } else if (text[i] === '"') {
        const end = closingQuote(text, i);
        if (end < 0 || text[end + 1] !== "]") return fail("unterminated quoted key");
        try {
          out.push(JSON.parse(text.slice(i, end + 1)) as string);
        } catch {
          return fail("invalid quoted key");
        }
        i = end + 2;
      } else {
        const start = i;
        while (i < text.length && /[0-9]/.test(text[i] ?? "")) i++;
        if (i === start || text[i] !== "]") return fail('expected an index, "*" or a quoted key');
        out.push(Number(text.slice(start, i)));
        i++;
      }
    } else {
      return fail(`unexpected "${c}"`);
    }
  }
  return { ok: true, path: out };
}

function closingQuote(text: string, open: number): number {
  for (let j = open + 1; j < text.length; j++) {
    if (text[j] === "\\") j++;
    else if (text[j] === '"') return j;
  }
  return -1;
}

/** The path as a pack author writes it. */
export function formatPattern(path: PathPattern): string {
  let out = "";
  for (const seg of path) {
    if (seg === WILDCARD) out += "[*]";
    else if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export function hasWildcard(path: PathPattern): boolean {
  return path.includes(WILDCARD);
}

export type Substituted =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly error: string };

/**
 * Replace `${param.NAME}` in a path (or a string operand) with the parameter's value (strings and
 * numbers only); `quote` turns the value into the text it stands for (a regex literal).
 */
export function substituteParams(
  text: string,
  params: ReadonlyMap<string, JsonValue>,
  quote: (value: string) => string = (v) => v,
): Substituted {
  let error: string | undefined;
  const out = text.replace(/\$\{param\.([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
    const value = params.get(name);
    if (value === undefined) error ??= `unknown parameter "${name}"`;
    else if (typeof value !== "string" && typeof value !== "number") {
      error ??= `parameter "${name}" is not a string or number and cannot be interpolated`;
    }
    return quote(String(value));
  });
  return error === undefined ? { ok: true, text: out } : { ok: false, error };
}
