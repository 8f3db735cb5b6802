/**
 * What a new companion resource must hold to be valid Terraform: its required arguments and
 * blocks, from the provider schema. A companion missing one is a partial fix (snippet and hint),
 * never written to a file.
 */
import type { JsonValue } from "../plan/types.js";
import type { SchemaIndex } from "../policy/provider-schema/index.js";

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
