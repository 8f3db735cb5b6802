/**
 * Resolving a pack's attribute path against a resource schema, as plan JSON lays the values out:
 * list/set blocks (and list/set values) are entered only through an index or `*`, single/group blocks
 * and objects by name, maps by any string key.
 */
import { attributeType, scalarKind } from "./cty.js";
import { suggestNames } from "./suggest.js";
import type { AttributeSchema, BlockNesting, BlockSchema, BlockType, CtyType, ScalarKind } from "./types.js";

/** A path step: an attribute/block name or map key, a list index, or `"*"` for every element. */
export type SchemaPathStep = string | number;

export type PathResolution =
  | {
      readonly ok: true;
      readonly kind: "attribute";
      /** Type of the value the path selects (an element type after an index). */
      readonly type: CtyType;
      /** True when the attribute or one of its parents is sensitive. */
      readonly sensitive: boolean;
      /** True when the provider may compute the value (it can be unknown at plan time). */
      readonly computed: boolean;
    }
  | {
      readonly ok: true;
      readonly kind: "block";
      readonly nesting: BlockNesting;
      /** True when the path selected one element of a list/set/map block (an object), not the collection. */
      readonly element: boolean;
      readonly block: BlockSchema;
      readonly minItems?: number;
      readonly maxItems?: number;
    }
  /** Inside a dynamic value, or a tuple under `*`: the schema says nothing more. */
  | { readonly ok: true; readonly kind: "any" }
  | {
      readonly ok: false;
      readonly error: "unknown-attribute";
      /** Index of the unknown step. */
      readonly at: number;
      readonly name: string;
      readonly suggestions: readonly string[];
    }
  | {
      /** A list/set block (or list/set value) was followed by a name instead of `[0]` / `[*]`. */
      readonly ok: false;
      readonly error: "block-needs-index";
      /** Index of the step naming the block or attribute that needs the index. */
      readonly at: number;
      readonly name: string;
    }
  | { readonly ok: false; readonly error: "not-indexable"; readonly at: number };

export type PathError = Extract<PathResolution, { ok: false }>;

const WILDCARD = "*";

/** Where a value sits: the named step it came from and the flags inherited from its attributes. */
interface Context {
  readonly name: string;
  readonly at: number;
  readonly sensitive: boolean;
  readonly computed: boolean;
}

export function resolvePath(schema: BlockSchema, steps: readonly SchemaPathStep[]): PathResolution {
  if (steps.length === 0) return { ok: true, kind: "block", nesting: "single", element: true, block: schema };
  return resolveInBlock(schema, steps, 0, { sensitive: false, computed: false });
}

/** The first-level kind of what a successful resolution selects; `undefined` for errors. */
export function resolvedKind(resolution: PathResolution): ScalarKind | undefined {
  if (!resolution.ok) return undefined;
  switch (resolution.kind) {
    case "attribute":
      return scalarKind(resolution.type);
    case "any":
      return "dynamic";
    case "block":
      if (resolution.element || resolution.nesting === "single" || resolution.nesting === "group")
        return "object";
      return resolution.nesting;
  }
}

function resolveInBlock(
  block: BlockSchema,
  steps: readonly SchemaPathStep[],
  i: number,
  flags: Pick<Context, "sensitive" | "computed">,
): PathResolution {
  const step = steps[i]!;
  if (typeof step === "number" || step === WILDCARD) return { ok: false, error: "not-indexable", at: i };
  const attr = Object.hasOwn(block.attributes, step) ? block.attributes[step] : undefined;
  if (attr) return resolveAttribute(attr, steps, i + 1, { ...flags, name: step, at: i });
  const type = Object.hasOwn(block.block_types, step) ? block.block_types[step] : undefined;
  if (type) return resolveBlockType(type, steps, i + 1, { ...flags, name: step, at: i });
  const names = [...Object.keys(block.attributes), ...Object.keys(block.block_types)];
  return { ok: false, error: "unknown-attribute", at: i, name: step, suggestions: suggestNames(step, names) };
}

function resolveBlockType(
  type: BlockType,
  steps: readonly SchemaPathStep[],
  i: number,
  ctx: Context,
): PathResolution {
  const counts = {
    ...(type.min_items === undefined ? {} : { minItems: type.min_items }),
    ...(type.max_items === undefined ? {} : { maxItems: type.max_items }),
  };
  const nesting = type.nesting_mode;
  if (i === steps.length)
    return { ok: true, kind: "block", nesting, element: false, block: type.block, ...counts };
  if (nesting === "single" || nesting === "group") return resolveInBlock(type.block, steps, i, ctx);
  const step = steps[i]!;
  const entered =
    nesting === "map" ? typeof step === "string" : typeof step === "number" || step === WILDCARD;
  if (!entered) {
    return nesting === "map"
      ? { ok: false, error: "not-indexable", at: i }
      : { ok: false, error: "block-needs-index", at: ctx.at, name: ctx.name };
  }
  if (i + 1 === steps.length)
    return { ok: true, kind: "block", nesting, element: true, block: type.block, ...counts };
  return resolveInBlock(type.block, steps, i + 1, ctx);
}

function resolveAttribute(
  attr: AttributeSchema,
  steps: readonly SchemaPathStep[],
  i: number,
  ctx: Context,
): PathResolution {
  const inner = {
    ...ctx,
    sensitive: ctx.sensitive || attr.sensitive === true,
    computed: ctx.computed || attr.computed === true,
  };
  return resolveValue(attributeType(attr), attr.nested_type?.attributes, steps, i, inner);
}

/**
 * Walk into a cty value. `fields` are the attribute schemas of a protocol 6 nested type: they carry
 * the flags of the object's attributes, which the bare cty type does not.
 */
function resolveValue(
  type: CtyType,
  fields: { readonly [name: string]: AttributeSchema } | undefined,
  steps: readonly SchemaPathStep[],
  i: number,
  ctx: Context,
): PathResolution {
  if (i === steps.length)
    return { ok: true, kind: "attribute", type, sensitive: ctx.sensitive, computed: ctx.computed };
  if (type === "dynamic") return { ok: true, kind: "any" };
  const step = steps[i]!;
  const notIndexable: PathResolution = { ok: false, error: "not-indexable", at: i };
  if (typeof type === "string") return notIndexable;
  switch (type[0]) {
    case "list":
    case "set":
      if (typeof step === "number" || step === WILDCARD)
        return resolveValue(type[1], fields, steps, i + 1, ctx);
      return { ok: false, error: "block-needs-index", at: ctx.at, name: ctx.name };
    case "map":
      return typeof step === "string" ? resolveValue(type[1], fields, steps, i + 1, ctx) : notIndexable;
    case "object": {
      if (typeof step === "number" || step === WILDCARD) return notIndexable;
      const field = fields && Object.hasOwn(fields, step) ? fields[step] : undefined;
      const next = { ...ctx, name: step, at: i };
      if (field) return resolveAttribute(field, steps, i + 1, next);
      if (!Object.hasOwn(type[1], step)) {
        const suggestions = suggestNames(step, Object.keys(type[1]));
        return { ok: false, error: "unknown-attribute", at: i, name: step, suggestions };
      }
      return resolveValue(type[1][step]!, undefined, steps, i + 1, next);
    }
    case "tuple": {
      if (step === WILDCARD) return { ok: true, kind: "any" };
      const element = typeof step === "number" ? type[1][step] : undefined;
      return element === undefined ? notIndexable : resolveValue(element, undefined, steps, i + 1, ctx);
    }
  }
}
