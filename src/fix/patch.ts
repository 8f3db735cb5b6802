/**
 * Merged fixes -> edited `.tf` files. Finds each resource's block with the scanner, turns edits into
 * text edits (replace a value, insert an attribute or a block, remove an item, add a companion
 * resource right after its subject), applies the ones that do not overlap, and re-aligns `=` in the
 * touched blocks the way `terraform fmt` does. What cannot be edited safely — `dynamic` blocks,
 * count/for_each blocks whose fix differs per instance, remote modules, expressions that are not
 * constants — is left to the snippet, with a note saying why.
 */
import path from "node:path";
import type { FixEdit } from "../engine/types.js";
import { formatKey } from "../plan/address.js";
import type { AttrPath, JsonValue, PlanModel, ResourceInstance } from "../plan/types.js";
import { InputError } from "../plan/types.js";
import { formatPath, lookup } from "../plan/values.js";
import type { BlockSchema } from "../policy/provider-schema/types.js";
import { setIn } from "./derive.js";
import { unifiedDiff } from "./diff.js";
import { type BodyItem, bodyFromValue, isBlockList, printBlock, printValue } from "./hcl.js";
import { findResourceBlock, type HclAttribute, type HclBlock, type HclItem, scanHcl } from "./hcl-scanner.js";
import type { MergedFixes } from "./merge.js";
import { missingRequired, type SchemaLookup } from "./required.js";
import { findBlockIn, moduleDir, moduleFiles, type SourceFile, type SourceFs } from "./source.js";
import { parsePolicy, statementBlockBody, statementJson } from "./statement.js";

export interface FilePatch {
  /** Real absolute path. */
  readonly path: string;
  /** Path relative to the source root, with `/`. */
  readonly relPath: string;
  readonly before: string;
  readonly after: string;
}

export interface PatchPlan {
  readonly files: readonly FilePatch[];
  /** Why some edits are shown as snippets only. */
  readonly notes: readonly string[];
  /** Path-safety refusals (module sources or symlinks leaving --source-dir). */
  readonly refused: readonly string[];
  /** Merged edits that are in no file (the snippet shows them). */
  readonly unapplied: readonly FixEdit[];
}

export interface PatchOptions {
  /** Provider schemas: a new companion missing a required argument is left to the snippet. */
  readonly schemas?: SchemaLookup;
}

interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

type AttrEdit = Extract<FixEdit, { op: "set" | "remove" | "add-statement" | "replace-statement" }>;
type AddResource = Extract<FixEdit, { op: "add-resource" }>;

const canon = (v: unknown): string => JSON.stringify(v);

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}
/** Offset of the end of the line holding `offset` (before `\r\n` or `\n`). */
function lineEnd(text: string, offset: number): number {
  const i = text.indexOf("\n", offset);
  if (i < 0) return text.length;
  return text[i - 1] === "\r" ? i - 1 : i;
}
function indentAt(text: string, offset: number): string {
  const ls = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(ls, offset))?.[0] ?? "";
}

type ValueEdit = Extract<FixEdit, { op: "set" | "remove" }>;
const isValueEdit = (e: AttrEdit): e is ValueEdit => e.op === "set" || e.op === "remove";

/** Why an edit cannot be made in the source; the snippet covers it. */
class Unsupported extends Error {}

interface Ctx {
  readonly text: string;
  readonly resource: ResourceInstance;
  /** Provider schema of the resource, when known: tells list blocks (ordered) from set blocks. */
  readonly schema?: BlockSchema | undefined;
}

function attrOf(block: HclBlock, name: string): HclAttribute | undefined {
  return block.items.find((i): i is HclAttribute => i.kind === "attribute" && i.name === name);
}
function blocksOf(block: HclBlock, name: string): HclBlock[] {
  return block.items.filter((i): i is HclBlock => i.kind === "block" && i.type === name);
}

/** Insert `lines` (already indented) as new attribute line(s) in `block`'s body. */
function insertAttribute(ctx: Ctx, block: HclBlock, lines: string): TextEdit {
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

function insertIntoEmpty(ctx: Ctx, block: HclBlock, lines: string): TextEdit {
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
function insertBlock(ctx: Ctx, block: HclBlock, lines: string): TextEdit {
  const { text } = ctx;
  if (block.items.length === 0) return insertIntoEmpty(ctx, block, lines);
  const last = block.items[block.items.length - 1] as HclItem;
  const at = lineEnd(text, last.end);
  return { start: at, end: at, text: `\n\n${lines}` };
}

function removeItem(ctx: Ctx, item: HclItem): TextEdit {
  const { text } = ctx;
  const ls = lineStart(text, item.start);
  const le = lineEnd(text, item.end);
  if (text.slice(ls, item.start).trim() !== "" || !/^[ \t]*(#.*|\/\/.*)?$/.test(text.slice(item.end, le))) {
    throw new Unsupported("shares its line with other code");
  }
  const eol = text[le] === "\r" ? 2 : 1;
  return { start: ls, end: Math.min(text.length, le + eol), text: "" };
}

function printAttr(indent: string, name: string, value: JsonValue): string {
  const depth = indent.length / 2;
  if (isBlockList(value)) {
    return value.map((v) => printBlock(name, [], bodyFromValue(v), depth).join("\n")).join("\n\n");
  }
  return `${indent}${name} = ${printValue(value, depth)}`;
}

function removeIn(root: JsonValue, p: AttrPath): JsonValue {
  if (p.length === 0 || root === null || typeof root !== "object") return root;
  const [step, ...rest] = p as [string | number, ...(string | number)[]];
  if (Array.isArray(root)) {
    if (typeof step !== "number") return root;
    if (rest.length === 0) return root.filter((_, i) => i !== step);
    return root.map((v, i) => (i === step ? removeIn(v, rest) : v));
  }
  if (typeof step !== "string" || !Object.hasOwn(root, step)) return root;
  const out: { [k: string]: JsonValue } = {};
  for (const k of Object.keys(root)) {
    if (k === step && rest.length === 0) continue;
    const v = root[k] as JsonValue;
    Object.defineProperty(out, k, {
      value: k === step ? removeIn(v, rest) : v,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** The known, non-sensitive value of a top-level attribute whose config expression is a constant. */
function constantAttribute(ctx: Ctx, name: string): JsonValue {
  const expr = ctx.resource.config?.expressions[name];
  const isConst =
    typeof expr === "object" &&
    expr !== null &&
    !Array.isArray(expr) &&
    !(Array.isArray(expr.references) && expr.references.length > 0);
  if (!isConst) throw new Unsupported(`${name} is not a constant in the configuration`);
  const l = lookup(ctx.resource.after, [name]);
  if (l.state !== "known") throw new Unsupported(`${name} is not known in the plan`);
  if (l.sensitive) throw new Unsupported(`${name} is sensitive`);
  return l.value;
}

/** Text edit(s) for one attribute edit inside `block` (`top`: the resource block itself). */
function editInBlock(
  ctx: Ctx,
  block: HclBlock,
  edit: AttrEdit,
  p: AttrPath,
  top: boolean,
  schema: BlockSchema | undefined = ctx.schema,
): TextEdit | undefined {
  const name = p[0];
  if (typeof name !== "string") throw new Unsupported("path does not start with a name");
  // Attribute and block names are written as bare words: anything else could inject HCL.
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name))
    throw new Unsupported(`${JSON.stringify(name)} is not an identifier`);
  if (block.items.some((i) => i.kind === "block" && i.type === "dynamic" && i.labels[0] === name)) {
    throw new Unsupported(`${name} is written as a dynamic block`);
  }
  if (block.line === block.endLine && block.items.length > 0)
    throw new Unsupported("the block is written on one line");
  const indent = `${indentAt(ctx.text, block.start)}  `;
  const attr = attrOf(block, name);
  const blocks = blocksOf(block, name);
  if (!isValueEdit(edit)) {
    if (!top || p.length !== 1 || !attr)
      throw new Unsupported("the policy document is not an attribute of this block");
    const current = constantAttribute(ctx, name);
    const parsed = typeof current === "string" ? parsePolicy(current) : undefined;
    if (!parsed) throw new Unsupported(`${name} is not a JSON policy document`);
    const statements = [...parsed.statements];
    const st = statementJson(edit.statement);
    if (edit.op === "replace-statement" && edit.index !== undefined) statements[edit.index] = st;
    else if (!statements.some((s) => canon(s) === canon(st))) statements.push(st);
    const doc = { ...parsed.doc, Statement: statements };
    return {
      start: attr.valueStart,
      end: attr.end,
      text: `jsonencode(${printValue(doc, indent.length / 2)})`,
    };
  }
  return editValue(ctx, block, edit, p, top, { indent, attr, blocks, name, schema });
}

function editValue(
  ctx: Ctx,
  block: HclBlock,
  edit: ValueEdit,
  p: AttrPath,
  top: boolean,
  at: {
    indent: string;
    attr: HclAttribute | undefined;
    blocks: HclBlock[];
    name: string;
    schema: BlockSchema | undefined;
  },
): TextEdit | undefined {
  const { indent, attr, blocks, name } = at;
  const nested = at.schema?.block_types[name];
  if (p.length === 1) {
    if (edit.op === "remove") {
      if (attr) return removeItem(ctx, attr);
      if (blocks.length === 1) return removeItem(ctx, blocks[0] as HclBlock);
      if (blocks.length > 1) throw new Unsupported(`${name} has several blocks`);
      return undefined;
    }
    if (attr) {
      if (isBlockList(edit.value))
        throw new Unsupported(`${name} is written as an attribute, the fix is a block`);
      return { start: attr.valueStart, end: attr.end, text: printValue(edit.value, indent.length / 2) };
    }
    if (blocks.length > 0) throw new Unsupported(`${name} blocks must be replaced by hand`);
    if (isBlockList(edit.value)) return insertBlock(ctx, block, printAttr(indent, name, edit.value));
    return insertAttribute(ctx, block, printAttr(indent, name, edit.value));
  }
  const idx = p[1];
  const rest = p.slice(2);
  if (typeof idx === "number" && !attr) {
    const target = blocks[idx];
    if (target) {
      // Plans print set blocks in value order, not file order: element N is block N only for lists.
      if (blocks.length > 1 && nested?.nesting_mode !== "list") {
        throw new Unsupported(`several ${name} blocks, and the plan's order need not be the file's`);
      }
      if (rest.length === 0) {
        if (edit.op === "remove") return removeItem(ctx, target);
        throw new Unsupported(`${name} block must be replaced by hand`);
      }
      return editInBlock(ctx, target, edit, rest, false, nested?.block);
    }
    if (idx !== blocks.length) throw new Unsupported(`${formatPath(p)}: no such block`);
    if (edit.op === "remove") return undefined;
    const body = rest.length === 0 ? edit.value : setIn({}, rest, edit.value);
    return insertBlock(ctx, block, printAttr(indent, name, [body]));
  }
  // Inside an attribute's value (a map or an object list): rewrite the whole value.
  if (!top) throw new Unsupported(`${formatPath(p)} is inside an expression`);
  if (!attr) {
    if (edit.op === "remove") return undefined;
    return insertAttribute(ctx, block, printAttr(indent, name, setIn(null, p.slice(1), edit.value)));
  }
  const current = constantAttribute(ctx, name);
  const next = edit.op === "remove" ? removeIn(current, p.slice(1)) : setIn(current, p.slice(1), edit.value);
  return { start: attr.valueStart, end: attr.end, text: printValue(next, indent.length / 2) };
}

const DOC_REF = /^data\.aws_iam_policy_document\.([A-Za-z_][A-Za-z0-9_-]*)\.(json|minified_json)$/;

/**
 * When a policy attribute is `data.aws_iam_policy_document.NAME.json`, the statement belongs in
 * that data source's block (as a `statement` block). Undefined when the attribute is anything else.
 * `edit` is undefined when an identical statement block is already there (idempotent).
 */
function policyDocumentSource(
  ctx: Ctx,
  e: Extract<FixEdit, { op: "add-statement" | "replace-statement" }>,
  files: readonly SourceFile[],
): { file: SourceFile; block: HclBlock; edit: TextEdit | undefined } | undefined {
  if (e.op !== "add-statement" || e.path.length !== 1 || typeof e.path[0] !== "string") return undefined;
  const expr = ctx.resource.config?.expressions[e.path[0]];
  const refs =
    expr && typeof expr === "object" && !Array.isArray(expr) && Array.isArray(expr.references)
      ? expr.references
      : [];
  const names = new Set(
    refs.flatMap((ref) => {
      const m = typeof ref === "string" ? DOC_REF.exec(ref) : null;
      return m?.[1] ? [m[1]] : [];
    }),
  );
  if (names.size !== 1) return undefined;
  const [name] = [...names] as [string];
  const found = findBlockIn(files, "aws_iam_policy_document", name, "data");
  if (!found) throw new Unsupported(`data.aws_iam_policy_document.${name} not found in this module`);
  const { file, block } = found;
  if (block.line === block.endLine && block.items.length > 0)
    throw new Unsupported("the data source is written on one line");
  const depth = indentAt(file.text, block.start).length / 2 + 1;
  const lines = printBlock("statement", [], statementBlockBody(e.statement), depth).join("\n");
  const already = block.items.some(
    (i) =>
      i.kind === "block" &&
      i.type === "statement" &&
      `${indentAt(file.text, i.start)}${file.text.slice(i.start, i.end)}` === lines,
  );
  return {
    file,
    block,
    edit: already ? undefined : insertBlock({ text: file.text, resource: ctx.resource }, block, lines),
  };
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
function alignEdits(text: string, items: readonly HclItem[]): TextEdit[] {
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

function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
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
function nonOverlapping(edits: readonly (TextEdit & { what: string })[], notes: string[]): TextEdit[] {
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

function describeEdit(address: string, e: AttrEdit): string {
  return `${address}: ${e.op} ${formatPath(e.path)}`;
}

/** The instances that share a block (same config address across module instances). */
function instancesOf(model: PlanModel, r: ResourceInstance): ResourceInstance[] {
  return (byConfigAddress(model).get(r.configAddress) ?? []).filter((x) => x.mode === r.mode);
}

/** Live instances per config address, and taken `type.name` per module, built once per model. */
const indexes = new WeakMap<
  readonly ResourceInstance[],
  { byConfig: Map<string, ResourceInstance[]>; taken: Map<string, Set<string>> }
>();
function modelIndex(model: PlanModel) {
  let ix = indexes.get(model.resources);
  if (!ix) {
    ix = { byConfig: new Map(), taken: new Map() };
    for (const x of model.resources) {
      const mod = x.modulePath.join(".");
      ix.taken.set(mod, (ix.taken.get(mod) ?? new Set()).add(`${x.type}.${x.name}`));
      if (x.deposed !== undefined || (x.actions.length === 1 && x.actions[0] === "delete")) continue;
      const list = ix.byConfig.get(x.configAddress);
      if (list) list.push(x);
      else ix.byConfig.set(x.configAddress, [x]);
    }
    indexes.set(model.resources, ix);
  }
  return ix;
}
const byConfigAddress = (model: PlanModel) => modelIndex(model).byConfig;

/** The part of a companion reference after the subject (`aws_s3_bucket.b["k"].id` -> `id`). */
function refTail(ref: string, subject: ResourceInstance): string | undefined {
  const head = `${subject.type}.${subject.name}${formatKey(subject.index)}.`;
  return ref.startsWith(head) ? ref.slice(head.length) : undefined;
}

function companionText(type: string, name: string, body: readonly BodyItem[]): string {
  return printBlock("resource", [type, name], body, 0).join("\n");
}

function refItems(refs: Readonly<Record<string, string>>): BodyItem[] {
  return Object.keys(refs)
    .sort()
    .map((k) => ({ kind: "expression", name: k, text: refs[k] as string }));
}

interface Group {
  readonly subject: ResourceInstance;
  readonly instances: readonly ResourceInstance[];
  readonly attrEdits: Map<string, AttrEdit[]>;
  readonly companions: Map<string, AddResource[]>;
}

/**
 * Plan the file edits for merged fixes. Reads sources through `fs`; writes nothing. Throws
 * `InputError` when --source-dir does not exist.
 */
export function planPatches(
  merged: MergedFixes,
  model: PlanModel,
  sourceDir: string,
  fs: SourceFs,
  opts: PatchOptions = {},
): PatchPlan {
  const root = fs.realpath(sourceDir);
  if (root === undefined) throw new InputError(`--source-dir ${sourceDir} does not exist`);
  const notes: string[] = [];
  const refused: string[] = [];
  const applied = new Set<FixEdit>();
  const groups = new Map<string, Group>();
  for (const [address, edits] of merged.edits) {
    const r = model.byAddress.get(address);
    if (!r) {
      notes.push(`${address}: not in the plan; snippet only`);
      continue;
    }
    let g = groups.get(r.configAddress);
    if (!g) {
      g = { subject: r, instances: instancesOf(model, r), attrEdits: new Map(), companions: new Map() };
      groups.set(r.configAddress, g);
    }
    g.attrEdits.set(
      address,
      edits.filter((e): e is AttrEdit => e.op !== "add-resource"),
    );
    g.companions.set(
      address,
      edits.filter((e): e is AddResource => e.op === "add-resource"),
    );
  }
  // Edits to other resources' blocks come from violations on related resources: they are keyed by
  // their own address already. Now resolve each group to its file.
  const dirFiles = new Map<string, SourceFile[]>();
  const perFile = new Map<
    string,
    { file: SourceFile; edits: (TextEdit & { what: string })[]; blocks: Set<string> }
  >();
  for (const key of [...groups.keys()].sort()) {
    const g = groups.get(key) as Group;
    const r = g.subject;
    const dir = moduleDir(model, r.modulePath, root, fs);
    if (dir.kind === "remote") {
      notes.push(`${r.configAddress}: in a remote module (${dir.source}); snippet only`);
      continue;
    }
    if (dir.kind === "refused") {
      refused.push(dir.reason);
      continue;
    }
    let files = dirFiles.get(dir.dir);
    if (!files) {
      files = moduleFiles(dir.dir, root, fs, refused);
      dirFiles.set(dir.dir, files);
    }
    const found = findBlockIn(files, r.type, r.name, r.mode === "data" ? "data" : "resource");
    if (!found) {
      const broken = files
        .filter((f) => f.hcl.error)
        .map((f) => `${path.relative(root, f.path)}: ${f.hcl.error}`);
      notes.push(
        `${r.configAddress}: block not found in ${path.relative(root, dir.dir) || "."}${broken.length ? ` (${broken.join("; ")})` : ""}; snippet only`,
      );
      continue;
    }
    const slot = perFile.get(found.file.path) ?? { file: found.file, edits: [], blocks: new Set<string>() };
    perFile.set(found.file.path, slot);
    slot.blocks.add(`${r.type}.${r.name}`);
    const ctx: Ctx = {
      text: found.file.text,
      resource: r,
      schema: opts.schemas?.resourceSchema(r.type, "managed"),
    };
    const repeated =
      g.instances.length > 1 ||
      r.index !== undefined ||
      r.moduleAddress !== r.modulePath.map((m) => `module.${m}`).join(".");

    // Attribute edits: one block serves every instance, so they must agree across instances.
    const attrSets = g.instances.map((i) =>
      canon((g.attrEdits.get(i.address) ?? []).map(({ address: _a, ...e }) => e)),
    );
    const own = g.attrEdits.get(r.address) ?? [];
    if (own.length > 0) {
      if (repeated && new Set(attrSets).size > 1) {
        notes.push(`${r.configAddress}: count/for_each block whose fix differs per instance; snippet only`);
      } else {
        for (const e of own) {
          try {
            const doc = isValueEdit(e) ? undefined : policyDocumentSource(ctx, e, files);
            if (doc) {
              // The document comes from an aws_iam_policy_document data source: the statement goes there.
              const docSlot = perFile.get(doc.file.path) ?? {
                file: doc.file,
                edits: [],
                blocks: new Set<string>(),
              };
              perFile.set(doc.file.path, docSlot);
              docSlot.blocks.add(`aws_iam_policy_document.${doc.block.labels[1] ?? ""}`);
              if (doc.edit) docSlot.edits.push({ ...doc.edit, what: describeEdit(r.configAddress, e) });
            } else {
              const te = editInBlock(ctx, found.block, e, e.path, true);
              if (te) slot.edits.push({ ...te, what: describeEdit(r.configAddress, e) });
            }
            // The block is shared: the same edit of every instance is now made.
            const key = canon({ ...e, address: "" });
            for (const i of g.instances) {
              for (const x of g.attrEdits.get(i.address) ?? [])
                if (canon({ ...x, address: "" }) === key) applied.add(x);
            }
          } catch (err) {
            if (!(err instanceof Unsupported)) throw err;
            notes.push(`${describeEdit(r.configAddress, e)}: ${err.message}; snippet only`);
          }
        }
      }
    }

    // Companions, inserted right after the subject's block.
    const texts = companionTexts(
      g,
      files,
      model,
      (type, attributes, refs) => {
        const missing = missingRequired(type, attributes, refs, opts.schemas);
        if (missing.length === 0) return true;
        notes.push(
          `${r.configAddress}: a new ${type} needs ${missing.map((m) => `\`${m}\``).join(", ")}, which cannot be derived; snippet only`,
        );
        return false;
      },
      applied,
    );
    if (texts.length > 0) {
      slot.edits.push({
        start: found.block.end,
        end: found.block.end,
        text: texts.map((t) => `\n\n${t}`).join(""),
        what: `${r.configAddress}: companions`,
      });
    }
  }
  const out: FilePatch[] = [];
  for (const p of [...perFile.keys()].sort()) {
    const slot = perFile.get(p) as {
      file: SourceFile;
      edits: (TextEdit & { what: string })[];
      blocks: Set<string>;
    };
    let text = applyTextEdits(slot.file.text, nonOverlapping(slot.edits, notes));
    const rescanned = scanHcl(text);
    if (rescanned.error) {
      notes.push(`${path.relative(root, p)}: edited text does not scan (${rescanned.error}); not changed`);
      continue;
    }
    const align: TextEdit[] = [];
    // Only the blocks we edited or added: the rest of the file stays exactly as the user wrote it.
    for (const item of rescanned.items) {
      const [type, name] = item.kind === "block" ? item.labels : [];
      if (
        item.kind === "block" &&
        (item.type === "resource" || item.type === "data") &&
        slot.blocks.has(`${type}.${name}`)
      ) {
        align.push(...alignEdits(text, item.items));
      }
    }
    text = applyTextEdits(text, align);
    if (text !== slot.file.text) {
      out.push({
        path: p,
        relPath: path.relative(root, p).split(path.sep).join("/"),
        before: slot.file.text,
        after: text,
      });
    }
  }
  const unapplied = [...merged.edits.values()].flat().filter((e) => !applied.has(e));
  return { files: out, notes: [...new Set(notes)], refused: [...new Set(refused)], unapplied };
}

type CompanionCheck = (
  type: string,
  attributes: JsonValue,
  refs: Readonly<Record<string, string>>,
) => boolean;

/** New companion blocks for a group: one per instance, or one with count/for_each for all. */
function companionTexts(
  g: Group,
  files: readonly SourceFile[],
  model: PlanModel,
  ok: CompanionCheck,
  applied: Set<FixEdit>,
): string[] {
  const r = g.subject;
  const all = g.instances.map((i) => g.companions.get(i.address) ?? []);
  const exists = (type: string, name: string): boolean =>
    files.some((f) => findResourceBlock(f.hcl, type, name));
  const taken = modelIndex(model).taken.get(r.modulePath.join(".")) ?? new Set<string>();
  const texts: string[] = [];
  const indexed = r.index !== undefined;
  for (const type of [...new Set(all.flat().map((e) => e.type))].sort()) {
    const perInstance = all.map((list) => list.find((e) => e.type === type));
    const base = perInstance.find((e) => e !== undefined) as AddResource;
    const same = perInstance.every((e) => e !== undefined && canon(e.attributes) === canon(base.attributes));
    if (indexed && same) {
      let name = r.name;
      for (let n = 2; taken.has(`${type}.${name}`) && !exists(type, name); n++) name = `${r.name}_${n}`;
      if (exists(type, name)) {
        for (const e of perInstance) if (e) applied.add(e);
        continue;
      }
      if (!ok(type, base.attributes, base.references)) continue;
      const subject = `${r.type}.${r.name}`;
      const meta: BodyItem =
        typeof r.index === "number"
          ? { kind: "expression", name: "count", text: `length(${subject})` }
          : { kind: "expression", name: "for_each", text: subject };
      const refs: Record<string, string> = {};
      for (const [k, ref] of Object.entries(base.references)) {
        const tail = refTail(ref, g.instances.find((i) => g.companions.get(i.address)?.includes(base)) ?? r);
        if (tail === undefined) continue;
        refs[k] = typeof r.index === "number" ? `${subject}[count.index].${tail}` : `each.value.${tail}`;
      }
      texts.push(companionText(type, name, [meta, ...refItems(refs), ...bodyFromValue(base.attributes)]));
      for (const e of perInstance) if (e) applied.add(e);
      continue;
    }
    for (const e of perInstance) {
      if (!e) continue;
      if (exists(e.type, e.name)) {
        applied.add(e);
        continue;
      }
      if (!ok(e.type, e.attributes, e.references)) continue;
      texts.push(companionText(e.type, e.name, [...refItems(e.references), ...bodyFromValue(e.attributes)]));
      applied.add(e);
    }
  }
  return texts;
}

/** The unified diff of a patch plan; `prefix` is prepended to paths (source dir relative to cwd). */
export function renderPatch(plan: PatchPlan, prefix = ""): string {
  const pre =
    prefix === "" || prefix === "." ? "" : `${prefix.split(path.sep).join("/").replace(/\/$/, "")}/`;
  return plan.files.map((f) => unifiedDiff(`${pre}${f.relPath}`, f.before, f.after)).join("");
}
