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
import type { JsonValue, PlanModel, ResourceInstance } from "../plan/types.js";
import { InputError } from "../plan/types.js";
import { formatPath } from "../plan/values.js";
import { type AttrEdit, type Ctx, editInBlock, isValueEdit, policyDocumentSource } from "./block-edit.js";
import { type LineReplacement, lineReplacements, unifiedDiff } from "./diff.js";
import { type BodyItem, bodyFromValue, printBlock, ValueTooDeep } from "./hcl.js";
import { findResourceBlock, type HclBlock, scanHcl } from "./hcl-scanner.js";
import type { MergedFixes } from "./merge.js";
import { missingRequired, type SchemaLookup } from "./required.js";
import { findBlockIn, moduleDir, moduleFiles, type SourceFile, type SourceFs } from "./source.js";
import {
  alignEdits,
  applyTextEdits,
  nonOverlapping,
  removeItem,
  type TextEdit,
  Unsupported,
} from "./text-edit.js";

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

type AddResource = Extract<FixEdit, { op: "add-resource" }>;

const canon = (v: unknown): string => JSON.stringify(v);

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
  /** Instances whose resource must not exist (`remove-resource`). */
  readonly removals: Map<string, FixEdit>;
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
      g = {
        subject: r,
        instances: instancesOf(model, r),
        attrEdits: new Map(),
        companions: new Map(),
        removals: new Map(),
      };
      groups.set(r.configAddress, g);
    }
    g.attrEdits.set(
      address,
      edits.filter((e): e is AttrEdit => e.op !== "add-resource" && e.op !== "remove-resource"),
    );
    const removal = edits.find((e) => e.op === "remove-resource");
    if (removal) g.removals.set(address, removal);
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

    // A resource that must not exist: its block goes, with every other edit of it. One block serves
    // every instance (count/for_each, module instances), so all of them must be removed.
    if (g.removals.size > 0) {
      if (g.instances.some((i) => !g.removals.has(i.address))) {
        notes.push(`${r.configAddress}: only some instances of the block must be removed; snippet only`);
      } else {
        try {
          slot.edits.push({
            ...removeBlock(found.file.text, found.block),
            what: `${r.configAddress}: remove`,
          });
          for (const e of g.removals.values()) applied.add(e);
          for (const list of g.attrEdits.values()) for (const e of list) applied.add(e);
        } catch (err) {
          if (!(err instanceof Unsupported)) throw err;
          notes.push(`${r.configAddress}: remove: ${err.message}; snippet only`);
        }
      }
      continue;
    }

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
            if (!(err instanceof Unsupported || err instanceof ValueTooDeep)) throw err;
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

/**
 * The text edit deleting a top-level block: its lines, plus one blank line around it so that the
 * blocks before and after stay one blank line apart (as `terraform fmt` leaves them).
 */
function removeBlock(text: string, block: HclBlock): TextEdit {
  const edit = removeItem({ text }, block);
  let { start, end } = edit;
  const blankAfter = /^[ \t]*\r?\n/.exec(text.slice(end));
  if (blankAfter) end += blankAfter[0].length;
  else {
    // Last block of the file: drop the blank line before it instead.
    const before = /\r?\n[ \t]*\r?\n$/.exec(text.slice(0, start));
    if (before) start -= before[0].length - (before[0].startsWith("\r") ? 2 : 1);
  }
  return { start, end, text: "" };
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
      const from = g.instances.find((i) => g.companions.get(i.address)?.includes(base)) ?? r;
      const head = `${from.type}.${from.name}${formatKey(from.index)}.`;
      const each = typeof r.index === "number" ? `${subject}[count.index].` : "each.value.";
      for (const [k, ref] of Object.entries(base.references)) {
        const tail = refTail(ref, from);
        if (tail !== undefined) refs[k] = `${each}${tail}`;
        // An expression naming the subject (a policy's jsonencode): every mention follows the instance.
        else if (ref.includes(head)) refs[k] = ref.split(head).join(each);
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

/** A patch plan as GitHub suggestion blocks: per file (relative to the source root), line replacements. */
export function patchSuggestions(
  plan: PatchPlan,
): { readonly file: string; readonly replacement: LineReplacement }[] {
  return plan.files.flatMap((f) =>
    lineReplacements(f.before, f.after).map((replacement) => ({ file: f.relPath, replacement })),
  );
}
