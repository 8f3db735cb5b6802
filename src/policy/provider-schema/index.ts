/**
 * The provider schemas a pack is type-checked against, read lazily: `plangate check` reads a provider's
 * manifest only when a pack names one of its types, and a type's schema only when a rule uses it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../../plan/types.js";
import { isPlainObject } from "./cty.js";
import { MANIFEST_FILE, schemaFilePath } from "./files.js";
import { suggestNames } from "./suggest.js";
import type { BlockSchema, ProviderManifest, ResourceSchema, SchemaMode } from "./types.js";

export { attributeType, scalarKind } from "./cty.js";
export { providerFiles } from "./files.js";
export { importProviderSchema, providerShortName } from "./import.js";
export type { PathError, PathResolution, SchemaPathStep } from "./resolve.js";
export { resolvedKind, resolvePath } from "./resolve.js";
export type * from "./types.js";
export { plannedValuesSchema } from "./values-schema.js";

export interface SchemaIndex {
  /** The providers directory read from. */
  readonly dir: string;
  /** True when a schema of the type's provider (the prefix before the first `_`) is installed. */
  knowsProvider(resourceType: string): boolean;
  /** The type's schema; `undefined` when the provider or the type is unknown. */
  resourceSchema(type: string, mode: SchemaMode): BlockSchema | undefined;
  /** Known types of the same provider close to `type`, for "did you mean". */
  suggestTypes(type: string, mode: SchemaMode): string[];
}

/** `schemas/providers` of this package, from `src/policy/provider-schema/` and `dist/policy/provider-schema/` alike. */
export function defaultSchemaDir(): string {
  return fileURLToPath(new URL("../../../schemas/providers/", import.meta.url));
}

/** Provider name of a resource type: `aws_s3_bucket` -> `aws`, `terraform_data` -> `terraform`. */
export function providerOfType(type: string): string {
  const cut = type.indexOf("_");
  return cut < 0 ? type : type.slice(0, cut);
}

// A provider name becomes a directory name: anything else (`../`, empty) is simply not a known provider.
const SAFE_NAME = /^[a-z0-9][a-z0-9-]*$/i;

export function loadSchemaIndex(dir: string = defaultSchemaDir()): SchemaIndex {
  const manifests = new Map<string, ProviderManifest | undefined>();
  const schemas = new Map<string, BlockSchema>();

  const manifestOf = (type: string): ProviderManifest | undefined => {
    const provider = providerOfType(type);
    if (!manifests.has(provider))
      manifests.set(provider, SAFE_NAME.test(provider) ? readManifest(dir, provider) : undefined);
    return manifests.get(provider);
  };
  const typesOf = (m: ProviderManifest, mode: SchemaMode) =>
    mode === "data" ? m.data_source_types : m.resource_types;

  return {
    dir,
    knowsProvider: (type) => manifestOf(type) !== undefined,
    resourceSchema(type, mode) {
      const m = manifestOf(type);
      if (!m || !typesOf(m, mode).includes(type)) return undefined;
      const file = schemaFilePath(m.name, type, mode);
      let block = schemas.get(file);
      if (!block) {
        block = readSchema(join(dir, file)).block;
        schemas.set(file, block);
      }
      return block;
    },
    suggestTypes(type, mode) {
      const m = manifestOf(type);
      return m ? suggestNames(type, typesOf(m, mode)) : [];
    },
  };
}

function readManifest(dir: string, provider: string): ProviderManifest | undefined {
  const file = join(dir, provider, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  const doc = parseJson(text, file);
  const ok =
    isPlainObject(doc) &&
    doc.name === provider &&
    isStringList(doc.resource_types) &&
    isStringList(doc.data_source_types);
  if (!ok) throw new InputError(`not a plangate provider manifest for "${provider}"`, file);
  return doc as unknown as ProviderManifest;
}

function readSchema(file: string): ResourceSchema {
  const doc = parseJson(readFileSync(file, "utf8"), file);
  if (!isPlainObject(doc) || !isPlainObject(doc.block))
    throw new InputError("not a plangate resource schema", file);
  return doc as unknown as ResourceSchema;
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`invalid JSON: ${(err as Error).message}`, file);
  }
}

function isStringList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === "string");
}
