/**
 * Fixes for a Terraform JSON configuration spread over several files and modules: each edit goes to
 * the `.tf.json` file that holds its resource (a new companion to the file of the resource it links
 * to), every touched file is patched once, and the result is a unified diff `git apply` accepts.
 * Pure: the sources come in as text (`readTerraformJsonSources` reads them).
 */
import type { FixEdit } from "../engine/types.js";
import { parseAddress } from "../plan/address.js";
import { isObject } from "../plan/config.js";
import type { TerraformJsonSource } from "../plan/tfjson-read.js";
import { unifiedDiff } from "./diff.js";
import { applyTerraformJsonEdits, findResource } from "./tfjson-patch.js";

export type { TerraformJsonSource };

export interface TerraformJsonFileFix {
  readonly file: string;
  readonly before: string;
  readonly after: string;
}

export interface TerraformJsonFixes {
  readonly files: readonly TerraformJsonFileFix[];
  /** All files' changes as one unified diff (empty when nothing changed). */
  readonly diff: string;
  readonly notApplied: readonly { readonly edit: FixEdit; readonly reason: string }[];
}

const key = (path: readonly string[]): string => path.join(".");

function modulePathOf(address: string): string[] | undefined {
  return parseAddress(address)?.modules.map((m) => m.name);
}

function holds(source: TerraformJsonSource, address: string): boolean {
  const parsed = parseAddress(address);
  if (!parsed) return false;
  let doc: unknown;
  try {
    doc = JSON.parse(source.text);
  } catch {
    return false;
  }
  return isObject(doc) && findResource(doc, parsed.mode, parsed.type, parsed.name) !== undefined;
}

/** The source an edit belongs in, or why there is none. */
function route(edit: FixEdit, sources: readonly TerraformJsonSource[]): TerraformJsonSource | string {
  const path = modulePathOf(edit.address);
  if (!path) return `cannot parse address "${edit.address}"`;
  const candidates = sources.filter((s) => key(s.modulePath) === key(path));
  if (candidates.length === 0)
    return `no .tf.json file of ${path.length ? `module.${path.join(".module.")}` : "the root module"} was read`;
  const anchor = edit.op === "add-resource" ? edit.linkTo : edit.address;
  const found = candidates.find((s) => holds(s, anchor));
  if (found) return found;
  if (edit.op === "add-resource") return candidates[0] as TerraformJsonSource;
  return `no .tf.json file holds ${edit.address}`;
}

/** Apply `edits` across `sources`; edits that cannot land are returned with the reason. */
export function fixTerraformJson(
  sources: readonly TerraformJsonSource[],
  edits: readonly FixEdit[],
): TerraformJsonFixes {
  const notApplied: { edit: FixEdit; reason: string }[] = [];
  const byFile = new Map<TerraformJsonSource, FixEdit[]>();
  for (const edit of edits) {
    const target = route(edit, sources);
    if (typeof target === "string") {
      notApplied.push({ edit, reason: target });
      continue;
    }
    const list = byFile.get(target);
    if (list) list.push(edit);
    else byFile.set(target, [edit]);
  }
  // One pass per file, in the order the sources were given: the diff is stable.
  const texts = new Map<string, string>();
  const originals = new Map<string, string>();
  for (const source of sources) {
    const list = byFile.get(source);
    if (!list) continue;
    const before = texts.get(source.file) ?? source.text;
    if (!originals.has(source.file)) originals.set(source.file, source.text);
    const patched = applyTerraformJsonEdits(before, list, {
      modulePath: source.modulePath,
      file: source.file,
    });
    notApplied.push(...patched.notApplied);
    texts.set(source.file, patched.text);
  }
  const files: TerraformJsonFileFix[] = [];
  for (const [file, after] of texts) {
    const before = originals.get(file) as string;
    if (after !== before) files.push({ file, before, after });
  }
  return { files, diff: files.map((f) => unifiedDiff(f.file, f.before, f.after)).join(""), notApplied };
}

function jsonPointerish(path: readonly (string | number)[]): string {
  return path
    .map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`))
    .join("")
    .replace(/^\./, "");
}

/**
 * Fix edits as Terraform JSON: what a reporter shows for a configuration input instead of HCL.
 * `set`/`remove` as attribute paths with JSON values, a new companion as its `resource` object
 * (references as `${...}`), policy statements as JSON.
 */
export function renderTerraformJsonEdits(edits: readonly FixEdit[]): string {
  const lines: string[] = [];
  for (const e of edits) {
    switch (e.op) {
      case "set":
        lines.push(`~ ${e.address}: "${jsonPointerish(e.path)}": ${JSON.stringify(e.value)}`);
        break;
      case "remove":
        lines.push(`- ${e.address}: "${jsonPointerish(e.path)}"`);
        break;
      case "remove-resource":
        lines.push(`- ${e.address} (delete the resource)`);
        break;
      case "add-resource": {
        const body: { [k: string]: unknown } = isObject(e.attributes) ? { ...e.attributes } : {};
        for (const [attr, ref] of Object.entries(e.references)) body[attr] = `\${${ref}}`;
        const doc = { resource: { [e.type]: { [e.name]: body } } };
        lines.push(`+ ${e.address} (linked to ${e.linkTo}):`);
        for (const l of JSON.stringify(doc, null, 2).split("\n")) lines.push(`  ${l}`);
        break;
      }
      case "add-statement":
      case "replace-statement":
        lines.push(
          `${e.op === "add-statement" ? "+" : "~"} ${e.address}: "${jsonPointerish(e.path)}" statement${
            e.index !== undefined ? ` ${e.index + 1}` : ""
          }: ${JSON.stringify(e.statement)}`,
        );
        break;
    }
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}
