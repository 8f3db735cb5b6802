/**
 * Schema validation of a pack with the standalone (ahead-of-time) ajv validator, and the mapping of
 * ajv's errors to diagnostics a pack author can act on.
 *
 * ajv with `allErrors` reports every failing branch of an `anyOf`, and standalone code gives
 * schema paths relative to each referenced definition, so the raw list cannot tell which branch
 * the author meant. We decide it from the data instead: an assertion object with an `attribute`
 * key is an attribute assertion, `all` an all-assertion, and so on. For each object that failed,
 * unknown and missing properties are recomputed against the chosen branch of the schema (with a
 * did-you-mean); other `anyOf`s (a number or `{ $param }`) collapse to one message.
 */
import type { ErrorObject } from "ajv";
import { schema as packSchema, validate } from "../generated/policy-pack.validate.js";
import type { Diagnostic } from "./diagnostic.js";
import { pointerSegment, readablePointer, splitPointer } from "./diagnostic.js";
import { OPERATOR_NAMES } from "./operators/index.js";
import { suggestNames } from "./provider-schema/suggest.js";
import type { PackSource } from "./source.js";

type SchemaNode = { readonly [key: string]: unknown };

/** The key that says which kind an assertion object is, with its definition. */
const ASSERTION_KINDS: readonly (readonly [string, string])[] = [
  ["attribute", "AttributeAssertion"],
  ["all", "AllAssertion"],
  ["any", "AnyAssertion"],
  ["not", "NotAssertion"],
  ["each", "EachAssertion"],
  ["some", "SomeAssertion"],
  ["none", "NoneAssertion"],
  ["related", "RelatedAssertion"],
  ["policyDocument", "PolicyDocumentAssertion"],
];

const definitions = (packSchema.definitions ?? {}) as Record<string, SchemaNode>;
const ASSERTION = definitions.Assertion;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function deref(node: SchemaNode | undefined): SchemaNode | undefined {
  let n = node;
  for (let guard = 0; n && typeof n.$ref === "string" && guard < 20; guard++) {
    n = definitions[n.$ref.replace("#/definitions/", "")];
  }
  return n;
}

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function typeFits(node: SchemaNode, value: unknown): boolean {
  const t = node.type;
  if (t === undefined) return true;
  const vt = jsonType(value);
  const types = Array.isArray(t) ? t : [t];
  return types.includes(vt) || (vt === "integer" && types.includes("number"));
}

type Choice =
  | { readonly node: SchemaNode; readonly assertion: boolean }
  | { readonly node: undefined; readonly assertion: boolean };

/** Pick the `anyOf` branch the data means: by key for assertions, by JSON type otherwise. */
function choose(node: SchemaNode | undefined, value: unknown): Choice {
  const n = deref(node);
  if (!n) return { node: undefined, assertion: false };
  if (n === ASSERTION) {
    const kind = isObject(value)
      ? ASSERTION_KINDS.find(([key]) => Object.hasOwn(value, key))?.[1]
      : undefined;
    return { node: kind ? definitions[kind] : undefined, assertion: true };
  }
  if (Array.isArray(n.anyOf)) {
    const branches = (n.anyOf as SchemaNode[])
      .map((b) => deref(b))
      .filter((b): b is SchemaNode => b !== undefined);
    const fit = branches.find(
      (b) => typeFits(b, value) && (!isObject(value) || isObject(b.properties) || b.type === "object"),
    );
    return { node: fit, assertion: false };
  }
  return { node: n, assertion: false };
}

/** The schema node that describes the value at `pointer` (branches chosen from the data). */
function schemaAt(data: unknown, pointer: string): Choice {
  let choice = choose(packSchema, data);
  let value = data;
  for (const seg of splitPointer(pointer)) {
    const n = choice.node;
    if (!n) return choice;
    let next: SchemaNode | undefined;
    if (Array.isArray(value)) {
      next = n.items as SchemaNode | undefined;
      value = value[Number(seg)];
    } else if (isObject(value)) {
      const props = (n.properties ?? {}) as Record<string, SchemaNode>;
      next = Object.hasOwn(props, seg)
        ? props[seg]
        : isObject(n.additionalProperties)
          ? (n.additionalProperties as SchemaNode)
          : undefined;
      value = value[seg];
    }
    choice = choose(next, value);
  }
  return choice;
}

function dataAt(data: unknown, pointer: string): unknown {
  let node = data;
  for (const seg of splitPointer(pointer)) {
    if (Array.isArray(node)) node = node[Number(seg)];
    else if (isObject(node)) node = node[seg];
    else return undefined;
  }
  return node;
}

interface Located {
  readonly pointer: string;
  readonly key: boolean;
  readonly message: string;
}

/** Unknown and missing properties of an object against its schema node, recomputed. */
function objectProblems(pointer: string, value: Record<string, unknown>, node: SchemaNode): Located[] {
  const out: Located[] = [];
  const where = readablePointer(pointer);
  const props = Object.keys((node.properties ?? {}) as object);
  if (node.additionalProperties === false) {
    for (const key of Object.keys(value)) {
      if (props.includes(key)) continue;
      const hint = suggestNames(key, props);
      const dym = hint.length > 0 ? ` (did you mean "${hint[0]}"?)` : "";
      out.push({
        pointer: `${pointer}/${pointerSegment(key)}`,
        key: true,
        message: `${where}: unknown property "${key}"${dym}`,
      });
    }
  }
  for (const req of (node.required ?? []) as string[]) {
    if (!Object.hasOwn(value, req))
      out.push({ pointer, key: false, message: `${where}: missing required property "${req}"` });
  }
  return out;
}

function describe(e: ErrorObject): Located {
  const where = readablePointer(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "const":
      return {
        pointer: e.instancePath,
        key: false,
        message: `${where}: must be ${JSON.stringify(p.allowedValue)}`,
      };
    case "enum": {
      const allowed = (p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ");
      return { pointer: e.instancePath, key: false, message: `${where}: must be one of ${allowed}` };
    }
    default:
      return { pointer: e.instancePath, key: false, message: `${where}: ${e.message ?? e.keyword}` };
  }
}

/** Problems at one instance path, given ajv's errors there. */
function problemsAt(data: unknown, pointer: string, errors: readonly ErrorObject[]): Located[] {
  const value = dataAt(data, pointer);
  const choice = schemaAt(data, pointer);
  const where = readablePointer(pointer);
  if (choice.assertion) {
    if (!choice.node) {
      const keys = ASSERTION_KINDS.map(([k]) => k).join(", ");
      return [{ pointer, key: false, message: `${where}: an assertion needs one of: ${keys}` }];
    }
    if (!isObject(value)) return [{ pointer, key: false, message: `${where}: must be an object` }];
    const out = objectProblems(pointer, value, choice.node);
    if (
      choice.node === definitions.AttributeAssertion &&
      !OPERATOR_NAMES.some((op) => Object.hasOwn(value, op))
    ) {
      out.push({
        pointer,
        key: false,
        message: `${where}: an attribute assertion needs an operator (${OPERATOR_NAMES.join(", ")})`,
      });
    }
    return out;
  }
  const hasAnyOf = errors.some((e) => e.keyword === "anyOf");
  if (hasAnyOf && !choice.node) {
    const reasons = [
      ...new Set(errors.filter((e) => e.keyword !== "anyOf").map((e) => e.message ?? e.keyword)),
    ];
    return [{ pointer, key: false, message: `${where}: matches no allowed form (${reasons.join("; ")})` }];
  }
  const out: Located[] = [];
  const node = choice.node;
  if (
    node &&
    isObject(value) &&
    errors.some((e) => e.keyword === "additionalProperties" || e.keyword === "required")
  ) {
    out.push(...objectProblems(pointer, value, node));
  }
  for (const e of errors) {
    if (e.keyword === "anyOf" || e.keyword === "additionalProperties" || e.keyword === "required") continue;
    // With a branch chosen, keep only what that branch says (a type error of another branch is noise).
    if (hasAnyOf && node && e.keyword === "type") continue;
    out.push(describe(e));
  }
  return out;
}

/** Validate `source.data` against the pack schema. Empty when valid. */
export function checkSchema(source: PackSource): Diagnostic[] {
  if (validate(source.data)) return [];
  const data = source.data;
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of validate.errors ?? []) {
    const list = byPath.get(e.instancePath) ?? [];
    list.push(e);
    byPath.set(e.instancePath, list);
  }
  // Below an assertion whose kind cannot be told, every error is a guess: keep only the one above.
  const undecided = [...byPath.keys()].filter((p) => {
    const c = schemaAt(data, p);
    return c.assertion && !c.node;
  });
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const [pointer, errors] of byPath) {
    if (undecided.some((u) => pointer.startsWith(`${u}/`))) continue;
    for (const l of problemsAt(data, pointer, errors)) {
      const id = `${l.pointer}\u0000${l.message}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const pos = source.locate(l.pointer, l.key);
      out.push({
        severity: "error",
        code: "schema",
        message: l.message,
        file: source.file,
        line: pos.line,
        column: pos.column,
        instancePath: l.pointer,
      });
    }
  }
  return out;
}
