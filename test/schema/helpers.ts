import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { importProviderSchema } from "../../src/policy/provider-schema/import.js";
import type { BlockSchema, ImportedProviders } from "../../src/policy/provider-schema/types.js";

export const SHARED_SCHEMAS = fileURLToPath(new URL("../../../shared/provider-schemas/", import.meta.url));
export const CORPUS_PLANS = fileURLToPath(new URL("../../../shared/corpus/plans/", import.meta.url));
export const AWS_SUBSET = `${SHARED_SCHEMAS}aws-6.19.0-subset.json`;
export const GOOGLE_SUBSET = `${SHARED_SCHEMAS}google-7.9.0-storage-subset.json`;

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8").replace(/^\uFEFF/, ""));
}

const imports = new Map<string, ImportedProviders>();

/** Import a shared subset once per test file. */
export function imported(path: string): ImportedProviders {
  let result = imports.get(path);
  if (!result) {
    result = importProviderSchema(readJson(path));
    imports.set(path, result);
  }
  return result;
}

/** The block of one imported type; fails the test when it is missing. */
export function blockOf(path: string, type: string, mode: "managed" | "data" = "managed"): BlockSchema {
  for (const provider of imported(path).providers) {
    const schema = (mode === "data" ? provider.dataSources : provider.resources).find((s) => s.type === type);
    if (schema) return schema.block;
  }
  throw new Error(`no ${mode} type ${type} in ${path}`);
}
