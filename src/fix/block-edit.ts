/**
 * Edits inside a resource's block: set or remove an attribute or nested block by plan path, add a
 * statement to a JSON policy document (a `jsonencode(...)` rewrite, or a `statement` block in the
 * `aws_iam_policy_document` the policy comes from). Throws `Unsupported` where the source cannot be
 * edited safely; the snippet covers those.
 */
import type { FixEdit } from "../engine/types.js";
import type { AttrPath, JsonValue, ResourceInstance } from "../plan/types.js";
import { formatPath, lookup } from "../plan/values.js";
import type { BlockSchema } from "../policy/provider-schema/types.js";
import { bodyFromValue, isBlockList, printBlock, printValue } from "./hcl.js";
import type { HclAttribute, HclBlock } from "./hcl-scanner.js";
import { removeAt, setIn } from "./paths.js";
import { findBlockIn, type SourceFile } from "./source.js";
import { parsePolicy, statementBlockBody, statementJson } from "./statement.js";
import {
  indentAt,
  insertAttribute,
  insertBlock,
  removeItem,
  type TextEdit,
  Unsupported,
} from "./text-edit.js";

export type AttrEdit = Extract<FixEdit, { op: "set" | "remove" | "add-statement" | "replace-statement" }>;

const canon = (v: unknown): string => JSON.stringify(v);

type ValueEdit = Extract<FixEdit, { op: "set" | "remove" }>;
export const isValueEdit = (e: AttrEdit): e is ValueEdit => e.op === "set" || e.op === "remove";

export interface Ctx {
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

function printAttr(indent: string, name: string, value: JsonValue): string {
  const depth = indent.length / 2;
  if (isBlockList(value)) {
    return value.map((v) => printBlock(name, [], bodyFromValue(v), depth).join("\n")).join("\n\n");
  }
  return `${indent}${name} = ${printValue(value, depth)}`;
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
export function editInBlock(
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
  const next = edit.op === "remove" ? removeAt(current, p.slice(1)) : setIn(current, p.slice(1), edit.value);
  return { start: attr.valueStart, end: attr.end, text: printValue(next, indent.length / 2) };
}

const DOC_REF = /^data\.aws_iam_policy_document\.([A-Za-z_][A-Za-z0-9_-]*)\.(json|minified_json)$/;

/**
 * When a policy attribute is `data.aws_iam_policy_document.NAME.json`, the statement belongs in
 * that data source's block (as a `statement` block). Undefined when the attribute is anything else.
 * `edit` is undefined when an identical statement block is already there (idempotent).
 */
export function policyDocumentSource(
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
    edit: already ? undefined : insertBlock({ text: file.text }, block, lines),
  };
}
