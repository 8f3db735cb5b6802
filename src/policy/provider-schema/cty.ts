/**
 * cty types as Terraform prints them: parsing (with JSON pointers for errors), their first-level kind,
 * and the cty type a protocol 6 `nested_type` attribute stands for.
 */
import { InputError } from "../../plan/types.js";
import type { AttributeSchema, CtyType, NestedAttributeType, PrimitiveType, ScalarKind } from "./types.js";

const PRIMITIVES: ReadonlySet<string> = new Set<PrimitiveType>(["string", "number", "bool", "dynamic"]);

/** Escape one JSON Pointer token (RFC 6901). */
export function pointerToken(key: string | number): string {
  return String(key).replace(/~/g, "~0").replace(/\//g, "~1");
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Read a cty type printed at `pointer`; throws a one-line `InputError` naming the pointer. */
export function parseCtyType(raw: unknown, pointer: string): CtyType {
  if (typeof raw === "string") {
    if (PRIMITIVES.has(raw)) return raw as PrimitiveType;
    throw new InputError(`unknown cty type "${raw}"`, pointer);
  }
  if (!Array.isArray(raw) || typeof raw[0] !== "string") {
    throw new InputError("a cty type must be a string or an array starting with its kind", pointer);
  }
  const [kind, arg, optional] = raw as [string, unknown, unknown];
  switch (kind) {
    case "list":
    case "set":
    case "map":
      if (raw.length !== 2) throw new InputError(`cty ${kind} type takes one element type`, pointer);
      return [kind, parseCtyType(arg, `${pointer}/1`)];
    case "object": {
      if (!isPlainObject(arg) || raw.length > 3) {
        throw new InputError("cty object type takes an object of attribute types", pointer);
      }
      const attrs: Record<string, CtyType> = {};
      for (const [name, t] of Object.entries(arg))
        attrs[name] = parseCtyType(t, `${pointer}/1/${pointerToken(name)}`);
      if (raw.length === 2) return ["object", attrs];
      if (
        !Array.isArray(optional) ||
        !optional.every((o) => typeof o === "string" && Object.hasOwn(attrs, o))
      ) {
        throw new InputError(
          "optional attributes of a cty object type must name its attributes",
          `${pointer}/2`,
        );
      }
      return ["object", attrs, optional as string[]];
    }
    case "tuple":
      if (!Array.isArray(arg) || raw.length !== 2)
        throw new InputError("cty tuple type takes a list of types", pointer);
      return ["tuple", arg.map((t, i) => parseCtyType(t, `${pointer}/1/${i}`))];
    default:
      throw new InputError(`unknown cty type kind "${kind}"`, pointer);
  }
}

/** The kind of a value of `type`, at the first level. */
export function scalarKind(type: CtyType): ScalarKind {
  return typeof type === "string" ? type : type[0];
}

/** The cty type of an attribute; a `nested_type` attribute stands for objects in its nesting. */
export function attributeType(attr: AttributeSchema): CtyType {
  if (attr.type !== undefined) return attr.type;
  if (attr.nested_type === undefined) return "dynamic";
  return nestedCtyType(attr.nested_type);
}

function nestedCtyType(nested: NestedAttributeType): CtyType {
  const attrs: Record<string, CtyType> = {};
  const optional: string[] = [];
  for (const [name, a] of Object.entries(nested.attributes)) {
    attrs[name] = attributeType(a);
    if (!a.required) optional.push(name);
  }
  const object: CtyType = optional.length > 0 ? ["object", attrs, optional] : ["object", attrs];
  return nested.nesting_mode === "single" ? object : [nested.nesting_mode, object];
}
