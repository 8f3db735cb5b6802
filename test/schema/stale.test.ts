import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { SHIPPED_SOURCES, shippedProviderFiles } from "../../src/policy/provider-schema/shipped.js";
import { listFiles } from "../../src/policy/provider-schema/write.js";
import { readJson, SHARED_SCHEMAS } from "./helpers.js";

const SCHEMAS = fileURLToPath(new URL("../../schemas/providers/", import.meta.url));
const TYPES = fileURLToPath(new URL("../../src/generated/providers/", import.meta.url));
const HINT = "stale: run `npm run generate:providers` (scripts/generate-providers.mjs) and commit the result";

/** Files that differ between what generation gives and what is on disk under `dir` (in the owned providers). */
async function drift(
  dir: string,
  expected: Map<string, string>,
  owned: readonly string[],
): Promise<string[]> {
  const onDisk = (await listFiles(dir)).filter((path) => owned.includes(path.split("/")[0]!));
  const differences = onDisk.filter((path) => !expected.has(path)).map((path) => `extra: ${path}`);
  for (const [path, text] of expected) {
    let actual: string | undefined;
    try {
      actual = readFileSync(join(dir, path), "utf8");
    } catch {
      actual = undefined;
    }
    if (actual === undefined) differences.push(`missing: ${path}`);
    else if (actual !== text) differences.push(`differs: ${path}`);
  }
  return differences;
}

test("checked-in provider schemas and interfaces match a fresh generation", async () => {
  const docs = SHIPPED_SOURCES.map((name) => readJson(join(SHARED_SCHEMAS, name)));
  const { schemas, types, providers } = await shippedProviderFiles(docs);
  expect(providers).toEqual(["aws", "google", "terraform"]);
  expect(await drift(SCHEMAS, schemas, providers), HINT).toEqual([]);
  expect(await drift(TYPES, types, ["aws"]), HINT).toEqual([]);
  expect(types.size).toBe(106);
}, 20_000);
