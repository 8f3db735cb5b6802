/**
 * What a new companion resource must hold to be valid Terraform: its required arguments and
 * blocks, from the provider schema. A companion missing one is a partial fix (snippet and hint),
 * never written to a file.
 */
import type { AttrPath, JsonValue } from "../plan/types.js";
import type { AttributeSchema, BlockSchema, SchemaIndex } from "../policy/provider-schema/index.js";

export type SchemaLookup = Pick<SchemaIndex, "resourceSchema">;

/** Required arguments and blocks of a new resource that neither its attributes nor references set. */
export function missingRequired(
  type: string,
  attributes: JsonValue,
  refs: Readonly<Record<string, string>>,
  schemas: SchemaLookup | undefined,
): string[] {
  const schema = schemas?.resourceSchema(type, "managed");
  if (!schema) return [];
  const obj = attributes && typeof attributes === "object" && !Array.isArray(attributes) ? attributes : {};
  const have = (k: string): boolean => Object.hasOwn(obj, k) || Object.hasOwn(refs, k);
  const attrs = Object.keys(schema.attributes).filter((k) => schema.attributes[k]?.required && !have(k));
  const blocks = Object.keys(schema.block_types).filter(
    (k) => (schema.block_types[k]?.min_items ?? 0) > 0 && !have(k),
  );
  return [...attrs, ...blocks].sort();
}

/** The attribute (or block) a path names in a resource schema; indexes into blocks are skipped. */
function schemaAt(
  schema: BlockSchema,
  path: AttrPath,
): { attribute: AttributeSchema } | { block: BlockSchema; minItems: number } | undefined {
  let block = schema;
  let minItems = 0;
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    if (typeof step !== "string") return undefined;
    const attr = Object.hasOwn(block.attributes, step) ? block.attributes[step] : undefined;
    if (attr) return i === path.length - 1 ? { attribute: attr } : undefined;
    const nested = Object.hasOwn(block.block_types, step) ? block.block_types[step] : undefined;
    if (!nested) return undefined;
    block = nested.block;
    minItems = nested.min_items ?? 0;
    // `block[0]` names the block itself.
    if (typeof path[i + 1] === "number") i++;
  }
  return { block, minItems };
}

/**
 * Whether the provider requires the argument (or block) at `path` of a resource of `type`:
 * removing it would be invalid Terraform, so a fix must set another value instead.
 */
export function isRequiredPath(type: string, path: AttrPath, schemas: SchemaLookup | undefined): boolean {
  const schema = schemas?.resourceSchema(type, "managed");
  if (!schema || path.length === 0) return false;
  const at = schemaAt(schema, path);
  if (!at) return false;
  return "attribute" in at ? at.attribute.required === true : at.minItems > 0;
}

/** Whether the attribute at `path` holds a list or set (a single reference must be wrapped in one). */
export function isListPath(type: string, path: AttrPath, schemas: SchemaLookup | undefined): boolean {
  const schema = schemas?.resourceSchema(type, "managed");
  if (!schema) return false;
  const at = schemaAt(schema, path);
  if (!at || !("attribute" in at)) return false;
  const t = at.attribute.type;
  return Array.isArray(t) && (t[0] === "list" || t[0] === "set");
}
