/**
 * The files an import produces, as a map from path (relative to the providers directory) to text.
 * Pure, so the CLI, the generator script and the staleness test share one definition of the output.
 */
import { formatJson } from "./json-format.js";
import type { ImportedProvider, ImportedProviders, ProviderManifest, ResourceSchema } from "./types.js";
import { plannedValuesSchema, valuesSchemaPath } from "./values-schema.js";

export const MANIFEST_FILE = "provider.json";

/** `aws/aws_s3_bucket.json`, `aws/data/aws_iam_policy_document.json`. */
export function schemaFilePath(provider: string, type: string, mode: ResourceSchema["mode"]): string {
  return `${provider}/${mode === "data" ? "data/" : ""}${type}.json`;
}

export function manifest(formatVersion: string, provider: ImportedProvider): ProviderManifest {
  return {
    name: provider.name,
    source: provider.source,
    format_version: formatVersion,
    resource_types: provider.resources.map((r) => r.type),
    data_source_types: provider.dataSources.map((d) => d.type),
  };
}

export function providerFiles(imported: ImportedProviders): Map<string, string> {
  const files = new Map<string, string>();
  for (const provider of imported.providers) {
    files.set(`${provider.name}/${MANIFEST_FILE}`, formatJson(manifest(imported.formatVersion, provider)));
    for (const schema of [...provider.resources, ...provider.dataSources]) {
      files.set(schemaFilePath(provider.name, schema.type, schema.mode), formatJson(schema));
      files.set(
        valuesSchemaPath(provider.name, schema),
        formatJson(plannedValuesSchema(provider.name, schema)),
      );
    }
  }
  return files;
}
