/**
 * Fix edits applied to a Terraform JSON configuration file (`*.tf.json`): set or remove attributes,
 * add companion resources, add or replace statements of a literal policy document. Pure: text in,
 * text out; the CLI writes files.
 *
 * The document is re-serialized with the indentation it was written with (JSON has no comments to
 * lose; `//` keys are kept as data). Every edit lands whole or not at all, and the ones that cannot
 * land (a resource not in this file, a policy built by an expression) are returned with the reason.
 */
import type { FixEdit, PolicyStatement } from "../engine/types.js";
import { parseAddress } from "../plan/address.js";
import { isObject } from "../plan/config.js";
import { parseTemplate } from "../plan/tfjson-expr.js";
import { InputError, type JsonObject, type JsonValue, type PathStep } from "../plan/types.js";
import { statementJson } from "./statement.js";

export interface TerraformJsonPatch {
  readonly text: string;
  readonly applied: readonly FixEdit[];
  readonly notApplied: readonly { readonly edit: FixEdit; readonly reason: string }[];
}

export interface PatchOptions {
  /** Config path of the module this file belongs to (`["store"]`); default the root module. */
  readonly modulePath?: readonly string[];
  /** For errors. */
  readonly file?: string;
}

/** Literal text in Terraform JSON is a template: `${` and `%{` must be doubled to stay literal. */
export function escapeTemplate(s: string): string {
  return s.replace(/([$%])\{/g, (_m, c: string) => `${c}${c}{`);
}

function escapeValue(v: JsonValue): JsonValue {
  if (typeof v === "string") return escapeTemplate(v);
  if (Array.isArray(v)) return v.map(escapeValue);
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const k of Object.keys(v)) define(out, escapeTemplate(k), escapeValue(v[k] as JsonValue));
    return out;
  }
  return v;
}

function define(o: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The indentation unit of a JSON text: tab, N spaces, or none (minified). */
function indentOf(text: string): string | number {
  const m = /\n([ \t]+)"/.exec(text);
  if (!m?.[1]) return text.includes("\n") ? 2 : 0;
  return m[1].startsWith("\t") ? "\t" : m[1].length;
}

interface Located {
  readonly body: JsonObject;
}

/** The body of resource `address` in this document (either JSON form of labeled blocks). */
export function findResource(doc: JsonObject, mode: string, type: string, name: string): Located | undefined {
  const key = mode === "data" ? "data" : "resource";
  const tops = Array.isArray(doc[key]) ? (doc[key] as JsonValue[]) : [doc[key]];
  for (const top of tops) {
    if (!isObject(top)) continue;
    const byType = top[type];
    const byNames = Array.isArray(byType) ? byType : [byType];
    for (const byName of byNames) {
      if (!isObject(byName) || !Object.hasOwn(byName, name)) continue;
      const body = byName[name];
      const first = Array.isArray(body) ? body[0] : body;
      if (isObject(first)) return { body: first };
    }
  }
  return undefined;
}

type Target =
  | { readonly mode: string; readonly type: string; readonly name: string }
  | { readonly error: string };

function target(address: string, modulePath: readonly string[]): Target {
  const parsed = parseAddress(address);
  if (!parsed) return { error: `cannot parse address "${address}"` };
  const path = parsed.modules.map((m) => m.name);
  if (path.join(".") !== modulePath.join(".")) return { error: "the resource is in another module's file" };
  return { mode: parsed.mode, type: parsed.type, name: parsed.name };
}

/** Set `value` at `path` under `body`. A block written as one object answers to index 0. */
function setAt(body: JsonObject, path: readonly PathStep[], value: JsonValue): string | undefined {
  let node: JsonValue = body;
  for (let i = 0; i < path.length; i++) {
    const step = path[i] as PathStep;
    const last = i === path.length - 1;
    const next = path[i + 1];
    if (typeof step === "number") {
      if (isObject(node) && step === 0) {
        // `"versioning_configuration": {...}` is the same block as `[{...}]`.
        if (last) return "cannot replace a whole block given as an object";
        continue;
      }
      if (!Array.isArray(node)) return `expected a list at step ${i}`;
      if (step > node.length) return `index ${step} is past the end of the list`;
      if (last) {
        node[step] = value;
        return undefined;
      }
      if (node[step] === undefined || node[step] === null) node[step] = typeof next === "number" ? [] : {};
      node = node[step] as JsonValue;
      continue;
    }
    if (!isObject(node)) return `expected an object at "${step}"`;
    if (last) {
      define(node, step, value);
      return undefined;
    }
    // Own keys only: `node["__proto__"]` is Object.prototype, and a pack path may say `__proto__`.
    const cur: JsonValue | undefined = Object.hasOwn(node, step) ? node[step] : undefined;
    if (typeof cur === "string" && parseTemplate(cur).kind === "interpolated") {
      return `"${step}" is an expression; change it by hand`;
    }
    if (cur === undefined || cur === null) define(node, step, typeof next === "number" ? [] : {});
    node = node[step] as JsonValue;
  }
  return "empty path";
}

function removeAt(body: JsonObject, path: readonly PathStep[]): string | undefined {
  let node: JsonValue = body;
  for (let i = 0; i < path.length; i++) {
    const step = path[i] as PathStep;
    const last = i === path.length - 1;
    if (typeof step === "number") {
      if (isObject(node) && step === 0 && !last) continue;
      if (!Array.isArray(node)) return undefined; // Nothing there: already removed.
      if (last) {
        if (step < node.length) node.splice(step, 1);
        return undefined;
      }
      node = node[step] as JsonValue;
      if (node === undefined) return undefined;
      continue;
    }
    if (!isObject(node)) return undefined;
    if (last) {
      delete node[step];
      return undefined;
    }
    node = node[step] as JsonValue;
    if (node === undefined) return undefined;
  }
  return undefined;
}

function valueAt(body: JsonObject, path: readonly PathStep[]): JsonValue | undefined {
  let node: JsonValue | undefined = body;
  for (const step of path) {
    if (typeof step === "number" && isObject(node) && step === 0) continue;
    if (typeof step === "number") node = Array.isArray(node) ? node[step] : undefined;
    else node = isObject(node) ? node[step] : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** Add or replace a statement in a policy document held as a literal JSON string. */
function patchStatement(
  body: JsonObject,
  path: readonly PathStep[],
  statement: PolicyStatement,
  index: number | undefined,
): string | undefined {
  const raw = valueAt(body, path);
  if (typeof raw !== "string") return "the policy is not a JSON string in this file";
  const t = parseTemplate(raw);
  if (t.kind === "interpolated") return "the policy is built by an expression; change it where it is built";
  let doc: unknown;
  try {
    doc = JSON.parse(t.value);
  } catch {
    return "the policy string is not valid JSON";
  }
  if (!isObject(doc)) return "the policy is not a JSON object";
  const list = Array.isArray(doc.Statement)
    ? [...doc.Statement]
    : isObject(doc.Statement)
      ? [doc.Statement]
      : [];
  const json = statementJson(statement);
  if (index === undefined) list.push(json);
  else if (index >= 0 && index < list.length) list[index] = json;
  else return `statement ${index} does not exist`;
  define(doc, "Statement", list);
  const text = JSON.stringify(doc, null, t.value.includes("\n") ? 2 : undefined);
  return setAt(body, path, escapeTemplate(text));
}

function addResource(doc: JsonObject, edit: Extract<FixEdit, { op: "add-resource" }>): string | undefined {
  const parsed = parseAddress(edit.address);
  const mode = parsed?.mode ?? "managed";
  if (findResource(doc, mode, edit.type, edit.name)) return "a resource with that name already exists";
  const attrs = isObject(edit.attributes) ? (escapeValue(edit.attributes) as JsonObject) : {};
  const body: JsonObject = {};
  for (const k of Object.keys(attrs)) define(body, k, attrs[k] as JsonValue);
  for (const [attr, ref] of Object.entries(edit.references)) define(body, attr, `\${${ref}}`);
  const key = mode === "data" ? "data" : "resource";
  let top = doc[key];
  if (Array.isArray(top)) {
    // The list form of labeled blocks: append one more `{type: {name: body}}` object.
    top.push({ [edit.type]: { [edit.name]: body } });
    return undefined;
  }
  if (top === undefined) {
    top = {};
    define(doc, key, top);
  }
  if (!isObject(top)) return `"${key}" is not an object`;
  const byType = top[edit.type];
  if (byType === undefined) define(top, edit.type, { [edit.name]: body });
  else if (isObject(byType)) define(byType, edit.name, body);
  else if (Array.isArray(byType)) byType.push({ [edit.name]: body });
  else return `"${key}.${edit.type}" is not an object`;
  return undefined;
}

function apply(doc: JsonObject, edit: FixEdit, modulePath: readonly string[]): string | undefined {
  const t = target(edit.address, modulePath);
  if ("error" in t) return t.error;
  if (edit.op === "add-resource") return addResource(doc, edit);
  const found = findResource(doc, t.mode, t.type, t.name);
  if (!found) return "the resource is not in this file";
  switch (edit.op) {
    case "set":
      return setAt(found.body, edit.path, escapeValue(edit.value));
    case "remove":
      return removeAt(found.body, edit.path);
    case "add-statement":
      return patchStatement(found.body, edit.path, edit.statement, undefined);
    case "replace-statement":
      return patchStatement(found.body, edit.path, edit.statement, edit.index ?? -1);
    case "remove-resource":
      // Not silently "applied": deleting a resource from a JSON document is left to the snippet.
      return "deleting a resource is not done in .tf.json files";
  }
}

/**
 * Apply `edits` to the text of one `.tf.json` file. An edit that cannot land leaves the document
 * as it was (each edit works on a copy) and is reported in `notApplied`.
 */
export function applyTerraformJsonEdits(
  text: string,
  edits: readonly FixEdit[],
  opts: PatchOptions = {},
): TerraformJsonPatch {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    throw new InputError(`invalid JSON: ${(err as Error).message}`, opts.file);
  }
  if (!isObject(doc)) throw new InputError("a Terraform JSON configuration must be a JSON object", opts.file);
  const modulePath = opts.modulePath ?? [];
  let current: JsonObject = doc;
  const applied: FixEdit[] = [];
  const notApplied: { edit: FixEdit; reason: string }[] = [];
  for (const edit of edits) {
    const copy = structuredClone(current);
    const reason = apply(copy, edit, modulePath);
    if (reason === undefined) {
      current = copy;
      applied.push(edit);
    } else notApplied.push({ edit, reason });
  }
  if (applied.length === 0) return { text, applied, notApplied };
  const trailing = text.endsWith("\n") ? "\n" : "";
  return { text: JSON.stringify(current, null, indentOf(text)) + trailing, applied, notApplied };
}

/** `applyTerraformJsonEdits(...).text`: the patched file. */
export function patchTerraformJson(text: string, edits: readonly FixEdit[], opts: PatchOptions = {}): string {
  return applyTerraformJsonEdits(text, edits, opts).text;
}
