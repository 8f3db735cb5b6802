/**
 * The HCL snippet of a fix: per resource, its block with `-` lines (what the plan has now) and
 * `+` lines (what makes the rules pass), in the style of `terraform plan` output.
 * Sensitive values are printed as `(sensitive value)`, never read.
 */

import type { Fix, FixEdit, Violation } from "../engine/types.js";
import type { AttrPath, JsonValue, PlanModel, ResourceInstance } from "../plan/types.js";
import { formatPath, lookup } from "../plan/values.js";
import {
  type BodyItem,
  bodyFromValue,
  escapeHclString,
  hclKey,
  isBlockList,
  printBlock,
  printBody,
  printValue,
  ValueTooDeep,
} from "./hcl.js";
import { statementBlockBody, statementJson } from "./statement.js";

type Marker = " " | "-" | "+";
/**
 * A snippet line as printed: its marker, a space, its text, without trailing blanks (or several
 * such lines already joined). Built as text at once: tens of thousands of snippets made a line
 * object per line a good part of the fix stage.
 */
type Line = string;

const pad = (depth: number): string => "  ".repeat(depth);

const line = (marker: Marker, text: string): Line => `${marker} ${text}`.trimEnd();

function marked(marker: Marker, text: string): Line[] {
  return text.split("\n").map((t) => line(marker, t));
}

/** A text with a line that `line` would trim: blanks before a line break or at the end, an empty line. */
const TRIMMED = /(^|\s)\n|\s$|^$/;

/**
 * `marked(marker, text).join("\n")`, in one replace when no line needs trimming (a companion's
 * policy document: splitting it and copying each line was a fifth of a companion's snippet).
 */
function markedText(marker: Marker, text: string): string {
  return TRIMMED.test(text)
    ? marked(marker, text).join("\n")
    : `${marker} ${text.replaceAll("\n", `\n${marker} `)}`;
}

/** `marked(marker, texts.join("\n"))` without building the joined text: most texts are one line. */
function markedAll(marker: Marker, texts: readonly string[]): Line[] {
  const out: Line[] = [];
  for (const t of texts) {
    if (t.includes("\n")) out.push(...marked(marker, t));
    else out.push(line(marker, t));
  }
  return out;
}

/** A context node of the snippet tree: a nested block (`name {`) or a map (`name = {`). */
interface Node {
  readonly children: Map<string, { header: string; node: Node }>;
  readonly lines: Line[][];
}
const newNode = (): Node => ({ children: new Map(), lines: [] });

/**
 * The `-` lines of what the plan has now at `path`: none when absent. One lookup for both a
 * printable value and a placeholder (unknown or sensitive).
 */
function currentLines(r: ResourceInstance | undefined, name: string, path: AttrPath, depth: number): Line[] {
  if (!r) return [];
  const l = lookup(r.after, path);
  if (l.state === "absent") return [];
  if (l.state === "known" && !l.sensitive) return attributeLines("-", name, l.value, depth);
  const text = l.sensitive ? "(sensitive value)" : "(known after apply)";
  return marked("-", `${pad(depth)}${hclKey(name)} = ${text}`);
}

/** The value as HCL, or a placeholder when a hostile plan nests it too deeply to print. */
function safePrint(value: JsonValue, depth: number): string {
  try {
    return printValue(value, depth);
  } catch (err) {
    if (err instanceof ValueTooDeep) return "(nested too deeply to show)";
    throw err;
  }
}

/** Lines of `name = value` or, for block lists, of the blocks, at `depth`. */
function attributeLines(marker: Marker, name: string, value: JsonValue, depth: number): Line[] {
  if (isBlockList(value)) {
    try {
      return value.flatMap((item) => markedAll(marker, printBlock(name, [], bodyFromValue(item), depth)));
    } catch (err) {
      if (!(err instanceof ValueTooDeep)) throw err;
      return marked(marker, `${pad(depth)}${hclKey(name)} = (nested too deeply to show)`);
    }
  }
  return marked(marker, `${pad(depth)}${hclKey(name)} = ${safePrint(value, depth)}`);
}

/** Place one set/remove edit in the tree of nested contexts. */
function placeEdit(
  root: Node,
  edit: Extract<FixEdit, { op: "set" | "remove" }>,
  r: ResourceInstance | undefined,
): void {
  const path = edit.path;
  let node = root;
  let depth = 1;
  let i = 0;
  // Descend while the path goes through a block (`name[0]`) or a map (`name.key`).
  while (i < path.length - 1) {
    const step = path[i];
    const next = path[i + 1];
    if (typeof step !== "string") break;
    let key: string;
    let header: string;
    if (typeof next === "number" && i + 2 < path.length) {
      key = `${step}[${next}]`;
      header = `${step} {`;
      i += 2;
    } else if (typeof next === "string") {
      key = step;
      header = `${hclKey(step)} = {`;
      i += 1;
    } else break;
    let child = node.children.get(key);
    if (!child) {
      child = { header: `${pad(depth)}${header}`, node: newNode() };
      node.children.set(key, child);
    }
    node = child.node;
    depth++;
  }
  const rest = path.slice(i);
  const name = typeof rest[0] === "string" ? rest[0] : formatPath(rest);
  // `name[0]` as the last steps: the whole block.
  const wholePath = rest.length === 2 && typeof rest[1] === "number" ? path.slice(0, -1) : path;
  const lines = currentLines(r, name, wholePath, depth);
  if (edit.op === "set") {
    const value = wholePath === path ? edit.value : [edit.value];
    lines.push(...attributeLines("+", name, value, depth));
  }
  node.lines.push(lines);
}

function flatten(node: Node, depth: number): Line[] {
  const out: Line[] = [];
  for (const l of node.lines) out.push(...l);
  for (const { header, node: child } of node.children.values()) {
    out.push(line(" ", header));
    out.push(...flatten(child, depth + 1));
    out.push(line(" ", `${pad(depth)}}`));
  }
  return out;
}

type AddResource = Extract<FixEdit, { op: "add-resource" }>;

/**
 * A companion's block apart from its reference texts: the same for every companion a rule derives
 * (they share one attributes object and differ only in what they reference).
 */
interface CompanionTemplate {
  /** Per reference, in name order: its body line up to the text (`  bucket = `). */
  readonly refs: readonly string[];
  /** The `+` lines after the references (attributes, required arguments, the closing brace), joined. */
  readonly tail: string;
}

/**
 * Templates by attributes object, then by reference names, which of their texts span lines and
 * required arguments. Printing each companion whole was most of the snippet time on plans with
 * tens of thousands of failures.
 */
const templates = new WeakMap<object, Map<string, CompanionTemplate>>();

function printTemplate(
  a: AddResource,
  names: readonly string[],
  multi: readonly boolean[],
): CompanionTemplate {
  // A placeholder text of the same kind lays the body out as the real one: a single-line text goes
  // at the end of its `=`-aligned line, a multi-line one ends the run of aligned `=`. Each reference
  // is one item of the body, and references come first: line i and prefix i are reference i's.
  const refs: BodyItem[] = names.map((name, i) => ({ kind: "expression", name, text: multi[i] ? "\n" : "" }));
  const prefixes: string[] = [];
  const lines = printBody([...refs, ...bodyFromValue(a.attributes)], 1, prefixes);
  // Required arguments no rule gives a value for: named, never invented.
  const todo = (a.required ?? []).map(
    (k) => `  # ${k} = <required by the provider: no value follows from the rule>`,
  );
  return {
    refs: prefixes.slice(0, names.length),
    tail: markedAll("+", [...lines.slice(names.length), ...todo, "}"]).join("\n"),
  };
}

function companionTemplate(
  a: AddResource,
  names: readonly string[],
  multi: readonly boolean[],
): CompanionTemplate {
  const attributes = a.attributes;
  if (typeof attributes !== "object" || attributes === null) return printTemplate(a, names, multi);
  let byShape = templates.get(attributes);
  if (!byShape) {
    byShape = new Map();
    templates.set(attributes, byShape);
  }
  const key = JSON.stringify([names, multi, a.required ?? []]);
  let template = byShape.get(key);
  if (!template) {
    template = printTemplate(a, names, multi);
    byShape.set(key, template);
  }
  return template;
}

/**
 * `names.sort()` for the one or two reference names of a companion, without the work array
 * `Array#sort` allocates (two-thirds of a kilobyte per call). Insertion by `<`: the same order.
 */
function sortedNames(names: string[]): string[] {
  for (let i = 1; i < names.length; i++) {
    const name = names[i] as string;
    let j = i;
    for (; j > 0 && name < (names[j - 1] as string); j--) names[j] = names[j - 1] as string;
    names[j] = name;
  }
  return names;
}

/**
 * The snippet part of a new resource: its comment and the `+` lines of its block. The comment ends
 * in `)` and the block's first line in `{`: neither needs a trimmed copy. Joined, not concatenated:
 * a snippet lives until the report is written, and a flat string is smaller than its pieces
 * (4.5 MB of the 50k check's live heap).
 */
function companionPart(a: AddResource): string {
  const names = sortedNames(Object.keys(a.references));
  const texts = names.map((name) => a.references[name] as string);
  const multi = texts.map((t) => t.includes("\n"));
  const template = companionTemplate(a, names, multi);
  // Sized up front: a list grown by push takes room for 19.
  const lines = new Array<string>(names.length + 3);
  lines[0] = `  # ${a.address} (new, linked to ${a.linkTo})`;
  lines[1] = `+ resource ${escapeHclString(a.type)} ${escapeHclString(a.name)} {`;
  for (let i = 0; i < names.length; i++) {
    const full = `${template.refs[i]}${texts[i]}`;
    lines[i + 2] = multi[i] ? markedText("+", full) : line("+", full);
  }
  lines[names.length + 2] = template.tail;
  return lines.join("\n");
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** The HCL text of a reference expression: the longest reference when the others are its prefixes. */
function referenceText(refs: readonly string[]): string {
  const longest = [...refs].sort((a, b) => b.length - a.length)[0] ?? "";
  return refs.every((r) => longest === r || longest.startsWith(`${r}.`) || longest.startsWith(`${r}[`))
    ? longest
    : `(an expression of ${refs.join(", ")})`;
}

/**
 * A resource block as its configuration writes it (constants and references), for the `-` lines of
 * a deleted resource; sensitive arguments are never printed.
 */
function configBody(expressions: JsonValue, sensitive: ReadonlySet<string>): BodyItem[] {
  if (!expressions || typeof expressions !== "object" || Array.isArray(expressions)) return [];
  const attrs: BodyItem[] = [];
  const blocks: BodyItem[] = [];
  for (const [name, expr] of Object.entries(expressions)) {
    if (sensitive.has(name)) {
      attrs.push({ kind: "expression", name, text: "(sensitive value)" });
      continue;
    }
    const nested = Array.isArray(expr) ? expr : undefined;
    if (nested && IDENT.test(name)) {
      for (const b of nested)
        blocks.push({ kind: "block", type: name, labels: [], body: configBody(b, new Set()) });
      continue;
    }
    if (!expr || typeof expr !== "object" || Array.isArray(expr)) continue;
    if (Object.hasOwn(expr, "constant_value"))
      attrs.push({ kind: "attribute", name, value: (expr.constant_value as JsonValue) ?? null });
    else if (Array.isArray(expr.references) && expr.references.length > 0)
      attrs.push({ kind: "expression", name, text: referenceText(expr.references.map(String)) });
    else if (IDENT.test(name))
      blocks.push({ kind: "block", type: name, labels: [], body: configBody(expr, new Set()) });
  }
  return [...attrs, ...blocks];
}

/** `-` lines of a resource the fix deletes: its configuration block, or its known planned values. */
function removedLines(model: PlanModel, address: string, reason: string | undefined): Line[] {
  const r = model.byAddress.get(address);
  const { type, name } = headerOf(r, address);
  const lines: Line[] = [line(" ", `# ${address}: delete this resource${reason ? ` (${reason})` : ""}`)];
  const sensitive = new Set((r?.sensitivePaths ?? []).map((p) => p.split(/[.[]/)[0] ?? p));
  let body: BodyItem[] = [];
  try {
    body = r?.config
      ? configBody(r.config.expressions, sensitive)
      : bodyFromValue(r?.after.sensitive === false ? r.after.value : {});
    lines.push(...markedAll("-", printBlock("resource", [type, name], body, 0)));
  } catch (err) {
    if (!(err instanceof ValueTooDeep)) throw err;
    lines.push(
      ...marked(
        "-",
        `resource ${JSON.stringify(type)} ${JSON.stringify(name)} { (nested too deeply to show) }`,
      ),
    );
  }
  return lines;
}

/** The type and name of a resource block: the resource's, else read off its address. */
function headerOf(r: ResourceInstance | undefined, address: string): { type: string; name: string } {
  if (r) return { type: r.type, name: r.name };
  const m = /([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)(\[[^\]]*\])?$/.exec(address);
  return { type: m?.[1] ?? "resource", name: m?.[2] ?? "this" };
}

/** JSON printed with two-space indents never ends a line in blanks: each line is indented as it is. */
function indentedJson(value: JsonValue, indent: string): string {
  return `${indent}${JSON.stringify(value, null, 2).replaceAll("\n", `\n${indent}`)}`;
}

type Attribute = Extract<FixEdit, { op: "set" | "remove" }>;
type Statement = Extract<FixEdit, { op: "add-statement" | "replace-statement" }>;

/** The block of a resource the fix edits in place: its attribute and statement edits. */
function editedLines(
  model: PlanModel,
  address: string,
  attrs: readonly Attribute[],
  statements: readonly Statement[],
): Line[] {
  // Looked up once for the header and every edit's current value.
  const r = model.byAddress.get(address);
  const { type, name } = headerOf(r, address);
  const lines: Line[] = [
    line(" ", `# ${address}`),
    line(" ", `resource ${JSON.stringify(type)} ${JSON.stringify(name)} {`),
  ];
  const root = newNode();
  for (const e of attrs) placeEdit(root, e, r);
  lines.push(...flatten(root, 1));
  for (const s of statements) {
    const what = s.op === "add-statement" ? "add" : `replace statement ${(s.index ?? 0) + 1} with`;
    lines.push(line(" ", `  # ${formatPath(s.path)}: ${what} this statement (aws_iam_policy_document):`));
    lines.push(...markedAll("+", printBlock("statement", [], statementBlockBody(s.statement), 1)));
    lines.push(line(" ", "  # or, in the JSON policy document:"));
    lines.push(indentedJson(statementJson(s.statement), "+   "));
  }
  lines.push(line(" ", "}"));
  return lines;
}

/** The snippet part of one resource's edits (none deletes it). */
function resourcePart(model: PlanModel, address: string, edits: readonly FixEdit[]): string {
  const only = edits.length === 1 ? edits[0] : undefined;
  if (only?.op === "add-resource") return companionPart(only);
  const parts: string[] = [];
  const attrs: Attribute[] = [];
  const statements: Statement[] = [];
  for (const e of edits) {
    if (e.op === "add-resource") parts.push(companionPart(e));
    else if (e.op === "set" || e.op === "remove") attrs.push(e);
    else if (e.op !== "remove-resource") statements.push(e);
  }
  if (attrs.length > 0 || statements.length > 0)
    parts.push(...editedLines(model, address, attrs, statements));
  return parts.join("\n");
}

/** Edits by address, in first-seen order (a merged fix of a whole plan edits thousands of resources). */
function byAddress(edits: readonly FixEdit[]): Map<string, FixEdit[]> {
  const m = new Map<string, FixEdit[]>();
  for (const e of edits) {
    const list = m.get(e.address);
    if (list) list.push(e);
    else m.set(e.address, [e]);
  }
  return m;
}

/** The snippet part of one resource's edits: what it deletes, or what it adds and changes. */
function editsPart(
  model: PlanModel,
  address: string,
  edits: readonly FixEdit[],
  reasons: ReadonlyMap<string, string> | undefined,
): string {
  return edits.some((e) => e.op === "remove-resource")
    ? removedLines(model, address, reasons?.get(address)).join("\n")
    : resourcePart(model, address, edits);
}

/** Why each resource is to be deleted, by address (the first reason given). */
function deletionReasons(violations: readonly Violation[]): Map<string, string> {
  const reasons = new Map<string, string>();
  for (const v of violations)
    if (v.kind === "forbidden-resource" && !reasons.has(v.address)) reasons.set(v.address, v.reason);
  return reasons;
}

/** The snippet part of a statement to narrow (no edit says how: a reader must). */
function narrowPart(v: Extract<Violation, { kind: "policy-forbidden-statement" }>): string {
  // 1-based in text, as a reader counts; the violation keeps the 0-based index. The line ends in
  // `:`: nothing to trim.
  const lines = [`  # ${v.address}: ${formatPath(v.path)} statement ${v.index + 1} to narrow:`];
  for (const [field, why] of Object.entries(v.narrow)) lines.push(line(" ", `#   ${field}: ${why}`));
  lines.push(indentedJson(statementJson(v.statement), "  "));
  return lines.join("\n");
}

/**
 * Render the snippet of a fix: one block per resource. Violations add context that has no edit
 * (statements to narrow). Returns undefined when there is nothing to show.
 */
export function renderHcl(
  fix: Pick<Fix, "edits">,
  model: PlanModel,
  violations: readonly Violation[] = [],
): string | undefined {
  // Why deleted resources go: only a fix that deletes one needs it.
  const reasons = fix.edits.some((e) => e.op === "remove-resource") ? deletionReasons(violations) : undefined;
  // Most fixes make one edit: no grouping.
  const only = fix.edits.length === 1 ? fix.edits[0] : undefined;
  const parts = only
    ? [editsPart(model, only.address, fix.edits, reasons)]
    : [...byAddress(fix.edits)].map(([address, edits]) => editsPart(model, address, edits, reasons));
  for (const v of violations) if (v.kind === "policy-forbidden-statement") parts.push(narrowPart(v));
  // One part is the snippet as it is: joining would copy it.
  return parts.length > 1 ? parts.join("\n\n") : parts[0];
}
