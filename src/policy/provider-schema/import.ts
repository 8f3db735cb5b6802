/**
 * `terraform providers schema -json` (or `tofu providers schema -json`) -> plangate's compact schemas.
 *
 * The input is untrusted: every field is checked, and the first problem is a one-line `InputError`
 * naming its JSON Pointer. Fields we do not use (functions, ephemeral resources, identities) are ignored
 * so newer Terraform output still imports.
 */
import { InputError } from "../../plan/types.js";
import { isPlainObject, parseCtyType, pointerToken } from "./cty.js";
import type {
  AttributeNesting,
  AttributeSchema,
  BlockNesting,
  BlockSchema,
  BlockType,
  ImportedProvider,
  ImportedProviders,
  NestedAttributeType,
  ResourceSchema,
  SchemaMode,
} from "./types.js";

const BLOCK_NESTINGS: ReadonlySet<string> = new Set<BlockNesting>(["single", "list", "set", "map", "group"]);
const ATTRIBUTE_NESTINGS: ReadonlySet<string> = new Set<AttributeNesting>(["single", "list", "set", "map"]);
// `deprecated` is read by `describe`, which blocks share.
const FLAGS = ["required", "optional", "computed", "sensitive", "write_only"] as const;

/** Short provider name: the last segment of its source address (`registry.terraform.io/hashicorp/aws` -> `aws`). */
export function providerShortName(source: string): string {
  return source.slice(source.lastIndexOf("/") + 1);
}

export function importProviderSchema(doc: unknown): ImportedProviders {
  if (!isPlainObject(doc)) throw new InputError("a provider schema document must be a JSON object", "/");
  const formatVersion = checkFormatVersion(doc.format_version);
  const schemas = optionalObject(doc.provider_schemas, "/provider_schemas");
  const byName = new Map<string, ImportedProvider>();
  for (const source of Object.keys(schemas).sort()) {
    const pointer = `/provider_schemas/${pointerToken(source)}`;
    const provider = importProvider(source, schemas[source], pointer);
    const other = byName.get(provider.name);
    if (other) {
      throw new InputError(
        `providers ${other.source} and ${source} share the short name "${provider.name}"; import them one at a time`,
        pointer,
      );
    }
    byName.set(provider.name, provider);
  }
  const providers = [...byName.values()].sort((a, b) => compare(a.name, b.name));
  return { formatVersion, providers };
}

function checkFormatVersion(raw: unknown): string {
  if (typeof raw !== "string")
    throw new InputError("format_version is missing or not a string", "/format_version");
  const match = /^(\d+)\.\d+$/.exec(raw);
  if (!match || (match[1] !== "0" && match[1] !== "1")) {
    throw new InputError(
      `unsupported provider schema format_version "${raw}" (expected 0.x or 1.x)`,
      "/format_version",
    );
  }
  return raw;
}

function importProvider(source: string, raw: unknown, pointer: string): ImportedProvider {
  if (!isPlainObject(raw)) throw new InputError("a provider schema must be an object", pointer);
  if (source === "") throw new InputError("provider source address is empty", pointer);
  return {
    name: providerShortName(source),
    source,
    resources: importTypes(source, "managed", raw.resource_schemas, `${pointer}/resource_schemas`),
    dataSources: importTypes(source, "data", raw.data_source_schemas, `${pointer}/data_source_schemas`),
  };
}

function importTypes(provider: string, mode: SchemaMode, raw: unknown, pointer: string): ResourceSchema[] {
  const types = optionalObject(raw, pointer);
  return Object.keys(types)
    .sort(compare)
    .map((type) => {
      const at = `${pointer}/${pointerToken(type)}`;
      const schema = types[type];
      if (!isPlainObject(schema)) throw new InputError("a resource schema must be an object", at);
      const version = schema.version ?? 0;
      if (!isCount(version)) throw new InputError("version must be a non-negative integer", `${at}/version`);
      return { provider, type, mode, version, block: importBlock(schema.block, `${at}/block`) };
    });
}

function importBlock(raw: unknown, pointer: string): BlockSchema {
  if (!isPlainObject(raw)) throw new InputError("a block must be an object", pointer);
  const rawAttributes = optionalObject(raw.attributes, `${pointer}/attributes`);
  const rawBlocks = optionalObject(raw.block_types, `${pointer}/block_types`);
  const attributes: Record<string, AttributeSchema> = {};
  for (const name of Object.keys(rawAttributes).sort(compare)) {
    attributes[name] = importAttribute(rawAttributes[name], `${pointer}/attributes/${pointerToken(name)}`);
  }
  const block_types: Record<string, BlockType> = {};
  for (const name of Object.keys(rawBlocks).sort(compare)) {
    const at = `${pointer}/block_types/${pointerToken(name)}`;
    if (Object.hasOwn(attributes, name))
      throw new InputError(`"${name}" is both an attribute and a block`, at);
    block_types[name] = importBlockType(rawBlocks[name], at);
  }
  return { attributes, block_types, ...describe(raw, pointer) };
}

function importBlockType(raw: unknown, pointer: string): BlockType {
  if (!isPlainObject(raw)) throw new InputError("a block type must be an object", pointer);
  const nesting = raw.nesting_mode;
  if (typeof nesting !== "string" || !BLOCK_NESTINGS.has(nesting)) {
    throw new InputError(`unknown nesting_mode ${JSON.stringify(nesting)}`, `${pointer}/nesting_mode`);
  }
  return {
    nesting_mode: nesting as BlockNesting,
    block: importBlock(raw.block, `${pointer}/block`),
    ...itemCounts(raw, pointer),
  };
}

function importAttribute(raw: unknown, pointer: string): AttributeSchema {
  if (!isPlainObject(raw)) throw new InputError("an attribute must be an object", pointer);
  const hasType = raw.type !== undefined;
  const hasNested = raw.nested_type !== undefined;
  if (hasType === hasNested)
    throw new InputError("an attribute needs exactly one of type and nested_type", pointer);
  const attr: {
    -readonly [K in keyof AttributeSchema]: AttributeSchema[K];
  } = hasType
    ? { type: parseCtyType(raw.type, `${pointer}/type`) }
    : { nested_type: importNestedType(raw.nested_type, `${pointer}/nested_type`) };
  Object.assign(attr, describe(raw, pointer));
  for (const flag of FLAGS) {
    const value = raw[flag];
    if (value === undefined || value === false) continue;
    if (value !== true) throw new InputError(`${flag} must be a boolean`, `${pointer}/${flag}`);
    attr[flag] = true;
  }
  return attr;
}

function importNestedType(raw: unknown, pointer: string): NestedAttributeType {
  if (!isPlainObject(raw)) throw new InputError("nested_type must be an object", pointer);
  const nesting = raw.nesting_mode;
  if (typeof nesting !== "string" || !ATTRIBUTE_NESTINGS.has(nesting)) {
    throw new InputError(`unknown nesting_mode ${JSON.stringify(nesting)}`, `${pointer}/nesting_mode`);
  }
  const rawAttributes = optionalObject(raw.attributes, `${pointer}/attributes`);
  const attributes: Record<string, AttributeSchema> = {};
  for (const name of Object.keys(rawAttributes).sort(compare)) {
    attributes[name] = importAttribute(rawAttributes[name], `${pointer}/attributes/${pointerToken(name)}`);
  }
  return { nesting_mode: nesting as AttributeNesting, attributes, ...itemCounts(raw, pointer) };
}

/** `description` and `deprecated`, kept only when they say something. */
function describe(
  raw: Record<string, unknown>,
  pointer: string,
): { description?: string; deprecated?: true } {
  const out: { description?: string; deprecated?: true } = {};
  if (raw.description !== undefined) {
    if (typeof raw.description !== "string")
      throw new InputError("description must be a string", `${pointer}/description`);
    if (raw.description !== "") out.description = raw.description;
  }
  if (raw.deprecated !== undefined && raw.deprecated !== false) {
    if (raw.deprecated !== true)
      throw new InputError("deprecated must be a boolean", `${pointer}/deprecated`);
    out.deprecated = true;
  }
  return out;
}

/** `min_items` / `max_items`, dropped when they do not constrain (0). */
function itemCounts(
  raw: Record<string, unknown>,
  pointer: string,
): { min_items?: number; max_items?: number } {
  const out: { min_items?: number; max_items?: number } = {};
  for (const key of ["min_items", "max_items"] as const) {
    const value = raw[key];
    if (value === undefined) continue;
    if (!isCount(value)) throw new InputError(`${key} must be a non-negative integer`, `${pointer}/${key}`);
    if (value > 0) out[key] = value;
  }
  return out;
}

function optionalObject(raw: unknown, pointer: string): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (!isPlainObject(raw)) throw new InputError("expected an object", pointer);
  return raw;
}

function isCount(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0;
}

/** Code-point order, so output does not depend on the locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
