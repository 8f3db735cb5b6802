#!/usr/bin/env node
/**
 * `npm run generate:providers`: the provider schemas plangate ships.
 *
 * Reads ../shared/provider-schemas/*.json and writes schemas/providers/<provider>/** (per-type schemas,
 * planned-values JSON Schemas, manifests) and src/generated/providers/aws/** (TypeScript interfaces).
 * The conversion lives in src/policy/provider-schema/shipped.ts, so this script builds first and runs
 * the compiled module; a test regenerates in memory and fails when the checked-in files are stale.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SHARED = join(ROOT, "..", "shared", "provider-schemas");
const SCHEMAS = join(ROOT, "schemas", "providers");
const TYPES = join(ROOT, "src", "generated", "providers");

// The TypeScript sources are the single definition of the output: compile them, then run them.
const tsc = spawnSync(
  process.execPath,
  [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
  {
    cwd: ROOT,
    stdio: "inherit",
  },
);
if (tsc.status !== 0)
  process.stderr.write("generate-providers: tsc reported errors; using what it emitted\n");

const dist = (path) => pathToFileURL(join(ROOT, "dist", "policy", "provider-schema", path)).href;
const { SHIPPED_SOURCES, shippedProviderFiles } = await import(dist("shipped.js"));
const { listFiles, writeFilesAtomically } = await import(dist("write.js"));

const docs = SHIPPED_SOURCES.map((name) => JSON.parse(readFileSync(join(SHARED, name), "utf8")));
const { schemas, types, providers } = await shippedProviderFiles(docs);

/** Remove files a provider directory no longer has (a type dropped from a subset). */
async function removeStale(dir, files, owned) {
  for (const path of await listFiles(dir)) {
    if (owned.includes(path.split("/")[0]) && !files.has(path)) rmSync(join(dir, path));
  }
}

await writeFilesAtomically(SCHEMAS, schemas);
await removeStale(SCHEMAS, schemas, providers);
await writeFilesAtomically(TYPES, types);
await removeStale(TYPES, types, [...new Set([...types.keys()].map((p) => p.split("/")[0]))]);
process.stdout.write(`generate-providers: ${schemas.size} schema files, ${types.size} interface files\n`);
