/**
 * The provider schemas plangate ships: AWS and google from the provider schema subsets in
 * `../shared/provider-schemas`, plus Terraform's built-in provider. One definition for the generator
 * script (which writes them) and the staleness test (which compares them with what is checked in).
 */
import { BUILTIN_TERRAFORM_SCHEMA } from "./builtin.js";
import { providerFiles } from "./files.js";
import { importProviderSchema } from "./import.js";
import type { ImportedProviders } from "./types.js";
import { providerTypeFiles } from "./typescript.js";

/** Input files, relative to the shared provider-schemas directory. */
export const SHIPPED_SOURCES = ["aws-6.19.0-subset.json", "google-7.9.0-storage-subset.json"] as const;

/** Providers whose planned-value interfaces are checked in under `src/generated/providers`. */
export const TYPED_PROVIDERS: ReadonlySet<string> = new Set(["aws"]);

export interface ShippedFiles {
  /** Relative to `schemas/providers`. */
  readonly schemas: Map<string, string>;
  /** Relative to `src/generated/providers`. */
  readonly types: Map<string, string>;
  /** Provider directories the output owns entirely (files not in the maps are stale). */
  readonly providers: readonly string[];
}

/** `docs`: the parsed contents of `SHIPPED_SOURCES`, in that order. */
export async function shippedProviderFiles(docs: readonly unknown[]): Promise<ShippedFiles> {
  const imports = [...docs, BUILTIN_TERRAFORM_SCHEMA].map(importProviderSchema);
  const schemas = new Map<string, string>();
  const types = new Map<string, string>();
  for (const imported of imports) {
    for (const [path, text] of providerFiles(imported)) schemas.set(path, text);
    const typed: ImportedProviders = {
      ...imported,
      providers: imported.providers.filter((p) => TYPED_PROVIDERS.has(p.name)),
    };
    for (const [path, text] of await providerTypeFiles(typed)) types.set(path, text);
  }
  const providers = imports.flatMap((i) => i.providers.map((p) => p.name)).sort();
  return { schemas, types, providers };
}
