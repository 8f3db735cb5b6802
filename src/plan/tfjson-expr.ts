/**
 * Strings of a Terraform JSON configuration are HCL templates: `${...}` interpolations and
 * `%{...}` directives inside literal text. Before a plan exists an interpolated string has no
 * value, but its references (`aws_s3_bucket.b.id`, `var.x`, `module.m.out`) feed the resource graph.
 *
 * There is no HCL parser here on purpose: references are traversals, and a small scanner that skips
 * string literals, function names and for-expression variables finds them conservatively (it may
 * keep a reference an evaluator would prune, e.g. the untaken branch of a conditional — exactly
 * what Terraform's own `references` list does too).
 */

export type Template =
  | { readonly kind: "literal"; readonly value: string }
  | { readonly kind: "interpolated"; readonly references: readonly string[] };

/** Parse one JSON string value of a configuration. */
export function parseTemplate(s: string): Template {
  if (!s.includes("${") && !s.includes("%{")) return { kind: "literal", value: s };
  let literal = "";
  const exprs: string[] = [];
  let i = 0;
  while (i < s.length) {
    if (s.startsWith("$${", i) || s.startsWith("%%{", i)) {
      // Escapes: `$${` is a literal `${`, `%%{` a literal `%{`.
      literal += s.slice(i + 1, i + 3);
      i += 3;
      continue;
    }
    if (s.startsWith("${", i) || s.startsWith("%{", i)) {
      const end = matchBrace(s, i + 2);
      exprs.push(s.slice(i + 2, end));
      i = end + 1;
      continue;
    }
    literal += s[i];
    i++;
  }
  if (exprs.length === 0) return { kind: "literal", value: literal };
  const refs: string[] = [];
  for (const e of exprs) refs.push(...extractReferences(e));
  return { kind: "interpolated", references: dedupe(refs) };
}

/** Index of the `}` closing a brace opened just before `from`, skipping nested braces and strings. */
function matchBrace(s: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < s.length) {
    const c = s[i];
    if (c === '"') {
      i = skipString(s, i);
      continue;
    }
    if (c === "{") depth++;
    else if (c === "}") {
      if (depth === 0) return i;
      depth--;
    }
    i++;
  }
  // Unterminated: Terraform would reject it; treat the rest as the expression.
  return s.length;
}

/** Index just past the string literal that starts at `start` (a `"`), nested templates included. */
function skipString(s: string, start: number): number {
  let i = start + 1;
  while (i < s.length) {
    const c = s[i];
    if (c === "\\") {
      i += 2;
      continue;
    }
    if (c === '"') return i + 1;
    if ((c === "$" || c === "%") && s[i + 1] === "{") {
      i = matchBrace(s, i + 2) + 1;
      continue;
    }
    i++;
  }
  return s.length;
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_-]/;
/** Roots that are Terraform's own namespaces rather than resource types. */
const NAMESPACES: ReadonlySet<string> = new Set([
  "var",
  "local",
  "module",
  "data",
  "count",
  "each",
  "path",
  "terraform",
  "self",
]);
const KEYWORDS: ReadonlySet<string> = new Set([
  "true",
  "false",
  "null",
  "for",
  "in",
  "if",
  "else",
  "endif",
  "endfor",
]);

interface Traversal {
  /** `["aws_s3_bucket", "b", "[0]", "id"]`: names, and literal index steps already formatted. */
  readonly parts: readonly string[];
}

function readIdent(s: string, i: number): number {
  let j = i;
  while (j < s.length && IDENT_PART.test(s[j] as string)) j++;
  return j;
}

function skipSpace(s: string, i: number): number {
  let j = i;
  while (j < s.length && /\s/.test(s[j] as string)) j++;
  return j;
}

/** For-expression and template `for` variables: not references to anything outside. */
function forVariables(expr: string): Set<string> {
  const out = new Set<string>();
  const re = /\bfor\s+([A-Za-z_][\w-]*)(?:\s*,\s*([A-Za-z_][\w-]*))?\s+in\b/g;
  for (let m = re.exec(expr); m !== null; m = re.exec(expr)) {
    if (m[1]) out.add(m[1]);
    if (m[2]) out.add(m[2]);
  }
  return out;
}

/** Read a traversal whose root identifier ends at `i`: `.name`, `[0]`, `["key"]`; stops at splats. */
function readSteps(s: string, start: number, parts: string[]): number {
  let i = start;
  for (;;) {
    if (s[i] === "." && IDENT_START.test(s[i + 1] ?? "")) {
      const end = readIdent(s, i + 1);
      parts.push(s.slice(i + 1, end));
      i = end;
      continue;
    }
    if (s[i] === "." && /[0-9]/.test(s[i + 1] ?? "")) {
      // Legacy index syntax `a.0`.
      let end = i + 1;
      while (/[0-9]/.test(s[end] ?? "")) end++;
      parts.push(`[${s.slice(i + 1, end)}]`);
      i = end;
      continue;
    }
    if (s[i] === "[") {
      const m = /^\[\s*([0-9]+|"(?:[^"\\$%]|\\.)*")\s*\]/.exec(s.slice(i));
      if (m?.[1] !== undefined) {
        parts.push(`[${m[1]}]`);
        i += m[0].length;
        continue;
      }
    }
    return i;
  }
}

/** Every traversal in an HCL expression, as Terraform prints `references`. */
export function extractReferences(expr: string): string[] {
  const locals = forVariables(expr);
  const found: Traversal[] = [];
  let i = 0;
  let prev = "";
  while (i < expr.length) {
    const c = expr[i] as string;
    if (c === '"') {
      // A string inside an expression may itself interpolate: scan its templates.
      const end = skipString(expr, i);
      const inner = parseTemplate(expr.slice(i + 1, end - 1));
      if (inner.kind === "interpolated") for (const r of inner.references) found.push({ parts: [r] });
      i = end;
      prev = '"';
      continue;
    }
    if (c === "<" && expr.startsWith("<<", i)) {
      // Heredocs are rare in JSON; their body is a template scanned like any other text.
      i += 2;
      continue;
    }
    if (IDENT_START.test(c)) {
      const end = readIdent(expr, i);
      const root = expr.slice(i, end);
      const after = skipSpace(expr, end);
      // `x.name` after a `.` belongs to an expression we do not follow (`f(x).name`).
      const isAttr = prev === ".";
      const isCall = expr[after] === "(" || expr.startsWith("::", end);
      if (isCall) {
        // Provider functions: `provider::aws::arn_parse(...)`.
        let j = end;
        while (expr.startsWith("::", j)) j = readIdent(expr, j + 2);
        i = j;
        prev = "f";
        continue;
      }
      const parts = [root];
      const stop = readSteps(expr, end, parts);
      if (!isAttr && !KEYWORDS.has(root) && !locals.has(root) && parts.length >= 2) found.push({ parts });
      i = stop;
      prev = "i";
      continue;
    }
    if (/[0-9]/.test(c)) {
      // Numbers (including `1.5e3`) are not traversals.
      let j = i;
      while (j < expr.length && /[0-9.eE]/.test(expr[j] as string)) j++;
      i = j;
      prev = "0";
      continue;
    }
    if (!/\s/.test(c)) prev = c;
    i++;
  }
  const refs: string[] = [];
  for (const t of found) refs.push(...referencesOf(t.parts));
  return dedupe(refs);
}

function join(parts: readonly string[]): string {
  let out = "";
  for (const p of parts) out += p.startsWith("[") ? p : out === "" ? p : `.${p}`;
  return out;
}

/**
 * The `references` Terraform prints for one traversal: the traversal itself, then its object
 * (`aws_s3_bucket.b[0]`, `aws_s3_bucket.b`; `module.m`; `data.t.n`).
 */
function referencesOf(parts: readonly string[]): string[] {
  if (parts.length === 1) return [parts[0] as string];
  const root = parts[0] as string;
  // How many leading parts name the object: `data.T.N`, `module.M`, `T.N`, `var.X`.
  let base: number;
  if (root === "data") base = 3;
  else if (NAMESPACES.has(root)) base = 2;
  else if (root.includes("_")) base = 2;
  else return []; // `x.y` with a root that is neither a namespace nor a resource type.
  if (parts.length < base || parts.slice(1, base).some((p) => p.startsWith("["))) return [];
  const out = [join(parts)];
  const keyed = parts[base]?.startsWith("[") ? base + 1 : base;
  if (keyed < parts.length) out.push(join(parts.slice(0, keyed)));
  if (keyed !== base) out.push(join(parts.slice(0, base)));
  return out;
}

function dedupe(list: readonly string[]): string[] {
  return [...new Set(list)];
}
