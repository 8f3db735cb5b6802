/**
 * Terraform addresses: resource instance addresses as plans print them
 * (`module.s3["logs"].aws_s3_bucket.this[0]`) and references as `configuration` lists them
 * (`aws_s3_bucket.b.id`, `module.m.out`, `var.x`).
 */

/** An instance key: count index or for_each key. */
export type InstanceKey = string | number;

export interface ModuleStep {
  readonly name: string;
  readonly key?: InstanceKey;
}

export interface ParsedAddress {
  readonly modules: readonly ModuleStep[];
  readonly mode: "managed" | "data" | "ephemeral";
  readonly type: string;
  readonly name: string;
  readonly key?: InstanceKey;
}

/** One step of a traversal: an attribute name or an index. */
type Token =
  | { readonly kind: "name"; readonly name: string }
  | { readonly kind: "key"; readonly key: InstanceKey };

/**
 * Split `a.b["x.y"][0].c` into name and key tokens. Returns undefined on syntax it does not know
 * (splat `[*]`, unquoted expressions in brackets): callers then ignore the text.
 */
export function tokenize(text: string): Token[] | undefined {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ".") {
      i++;
      continue;
    }
    if (c === "[") {
      const close = findClose(text, i);
      if (close < 0) return undefined;
      const inner = text.slice(i + 1, close);
      const key = parseKey(inner);
      if (key === undefined) return undefined;
      out.push({ kind: "key", key });
      i = close + 1;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== "." && text[j] !== "[") j++;
    out.push({ kind: "name", name: text.slice(i, j) });
    i = j;
  }
  return out;
}

function findClose(text: string, open: number): number {
  let inString = false;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "]") return i;
  }
  return -1;
}

function parseKey(inner: string): InstanceKey | undefined {
  if (/^\d+$/.test(inner)) return Number(inner);
  if (inner.startsWith('"')) {
    try {
      const v: unknown = JSON.parse(inner);
      return typeof v === "string" ? v : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** `0` -> `[0]`, `"k"` -> `["k"]`. */
export function formatKey(key: InstanceKey | undefined): string {
  if (key === undefined) return "";
  return typeof key === "number" ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

export function formatModuleAddress(modules: readonly ModuleStep[]): string {
  return modules.map((m) => `module.${m.name}${formatKey(m.key)}`).join(".");
}

/**
 * The module steps at the start of `tokens` (`module.a["k"].module.b`) into `out`; the position
 * after them, or -1 when a `module` token is not followed by a name.
 */
function moduleSteps(tokens: readonly Token[], out: ModuleStep[]): number {
  let i = 0;
  while (tokens[i]?.kind === "name" && nameOf(tokens[i]) === "module") {
    const name = nameOf(tokens[i + 1]);
    if (name === undefined) return -1;
    const k = tokens[i + 2];
    if (k?.kind === "key") {
      out.push({ name, key: k.key });
      i += 3;
    } else {
      out.push({ name });
      i += 2;
    }
  }
  return i;
}

/** Parse a resource instance address; undefined when it is not one. */
export function parseAddress(address: string): ParsedAddress | undefined {
  const tokens = tokenize(address);
  if (!tokens) return undefined;
  const modules: ModuleStep[] = [];
  let i = moduleSteps(tokens, modules);
  if (i < 0) return undefined;
  let mode: ParsedAddress["mode"] = "managed";
  const first = nameOf(tokens[i]);
  if (first === "data" || first === "ephemeral") {
    mode = first;
    i++;
  }
  const type = nameOf(tokens[i]);
  const name = nameOf(tokens[i + 1]);
  if (type === undefined || name === undefined) return undefined;
  const rest = tokens.slice(i + 2);
  if (rest.length > 1) return undefined;
  const k = rest[0];
  if (k !== undefined && k.kind !== "key") return undefined;
  return k ? { modules, mode, type, name, key: k.key } : { modules, mode, type, name };
}

/**
 * The steps of a module instance address (`module.a["k"].module.b`, as plans print
 * `module_address`); undefined when the text is anything else. For any `rest` that parses
 * without modules, `parseAddress(text + "." + rest)` is these steps followed by that parse:
 * tokens never span the `.` between them, so the module part can be parsed once per module
 * instance instead of once per resource.
 */
export function parseModuleAddress(text: string): readonly ModuleStep[] | undefined {
  const tokens = tokenize(text);
  if (!tokens) return undefined;
  const steps: ModuleStep[] = [];
  return moduleSteps(tokens, steps) === tokens.length ? steps : undefined;
}

/** A name `tokenize` reads back as one name token. */
function isName(s: string): boolean {
  return s !== "" && !s.includes(".") && !s.includes("[");
}

/**
 * Whether `text`, from `start` on, is the address of resource `mode` `type` `name` `key` as
 * formatted (`data.t.n["k"]`) in a way `parseAddress` reads back as exactly these parts, without
 * module steps. Plans print each address with its parts: checking costs comparisons, where a
 * parse made tokens and strings for every resource.
 */
export function isResourceAddress(
  text: string,
  start: number,
  mode: string,
  type: string,
  name: string,
  key: InstanceKey | undefined,
): boolean {
  // A type `module` starts module steps; a managed type `data` or `ephemeral` reads as a mode.
  if (!isName(type) || !isName(name) || type === "module") return false;
  let i = start;
  if (mode === "data" || mode === "ephemeral") {
    if (!text.startsWith(mode, i) || text.charCodeAt(i + mode.length) !== 0x2e) return false;
    i += mode.length + 1;
  } else if (mode !== "managed" || type === "data" || type === "ephemeral") return false;
  if (!text.startsWith(type, i) || text.charCodeAt(i + type.length) !== 0x2e) return false;
  i += type.length + 1;
  if (!text.startsWith(name, i)) return false;
  i += name.length;
  if (key === undefined) return i === text.length;
  // parseKey reads digits as a number, a JSON string as a string.
  if (typeof key === "number" && !(Number.isSafeInteger(key) && key >= 0 && !Object.is(key, -0)))
    return false;
  const k = typeof key === "number" ? String(key) : JSON.stringify(key);
  return (
    text.length === i + k.length + 2 &&
    text.charCodeAt(i) === 0x5b &&
    text.startsWith(k, i + 1) &&
    text.charCodeAt(i + 1 + k.length) === 0x5d
  );
}

function nameOf(t: Token | undefined): string | undefined {
  return t?.kind === "name" ? t.name : undefined;
}

/** Config address of a resource inside its module: `aws_s3_bucket.b`, `data.x.y`. */
export function resourceConfigKey(mode: string, type: string, name: string): string {
  return mode === "managed" ? `${type}.${name}` : `${mode}.${type}.${name}`;
}

/** A reference from `configuration` expressions, classified. */
export type Reference =
  | {
      readonly kind: "resource";
      /** Config key in the module: `aws_s3_bucket.b` or `data.t.n`. */
      readonly target: string;
      /** Explicit instance key (`[0]`, `["k"]`); `"count.index"`/`"each.key"` when a placeholder was used. */
      readonly key?: InstanceKey;
      readonly keyExpr?: "count.index" | "each.key" | "each.value";
      /** The attribute named after the resource (`id`), when there is one. */
      readonly attribute?: string;
    }
  | { readonly kind: "var"; readonly name: string }
  | { readonly kind: "module"; readonly name: string; readonly key?: InstanceKey; readonly output?: string };

const PLACEHOLDER_KEY = /^(.*)\[(count\.index|each\.key|each\.value)\](.*)$/;
const NON_RESOURCE_ROOTS = new Set(["local", "path", "terraform", "count", "each", "self", "ephemeral"]);

/** Classify one `references` string; undefined for locals, path.*, count.*, each.* and the unparseable. */
export function parseReference(ref: string): Reference | undefined {
  let text = ref;
  let keyExpr: "count.index" | "each.key" | "each.value" | undefined;
  // Terraform prints `aws_s3_bucket.b[count.index]` for placeholder indexes; tokenize cannot read them.
  const m = PLACEHOLDER_KEY.exec(ref);
  if (m) {
    text = `${m[1] ?? ""}${m[3] ?? ""}`;
    keyExpr = m[2] as "count.index" | "each.key" | "each.value";
  }
  const tokens = tokenize(text);
  if (!tokens || tokens.length === 0) return undefined;
  const root = nameOf(tokens[0]);
  if (root === undefined || NON_RESOURCE_ROOTS.has(root)) return undefined;
  if (root === "var") {
    const name = nameOf(tokens[1]);
    return name === undefined ? undefined : { kind: "var", name };
  }
  if (root === "module") {
    const name = nameOf(tokens[1]);
    if (name === undefined) return undefined;
    let i = 2;
    let key: InstanceKey | undefined;
    const k = tokens[2];
    if (k?.kind === "key") {
      key = k.key;
      i = 3;
    }
    const output = nameOf(tokens[i]);
    return { kind: "module", name, ...(key !== undefined ? { key } : {}), ...(output ? { output } : {}) };
  }
  let mode = "managed";
  let i = 0;
  if (root === "data") {
    mode = "data";
    i = 1;
  }
  const type = nameOf(tokens[i]);
  const name = nameOf(tokens[i + 1]);
  if (type === undefined || name === undefined) return undefined;
  let j = i + 2;
  let key: InstanceKey | undefined;
  const k = tokens[j];
  if (k?.kind === "key") {
    key = k.key;
    j++;
  }
  // With a placeholder stripped, the key position is where the placeholder stood.
  const attribute = nameOf(tokens[j]);
  return {
    kind: "resource",
    target: resourceConfigKey(mode, type, name),
    ...(key !== undefined ? { key } : {}),
    ...(keyExpr ? { keyExpr } : {}),
    ...(attribute ? { attribute } : {}),
  };
}
