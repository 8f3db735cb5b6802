#!/usr/bin/env node
/**
 * After `tsc`: copy the generated standalone validators (JS + .d.ts, which tsc does not emit) from
 * src/generated/ into dist/generated/, and write the built-in packs parsed (dist/builtin-packs/),
 * so `plangate check` does not parse their YAML on every start.
 */
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const from = join(ROOT, "src", "generated");
const to = join(ROOT, "dist", "generated");
mkdirSync(to, { recursive: true });
for (const name of readdirSync(from)) {
  if (name.endsWith(".validate.js") || name.endsWith(".validate.d.ts"))
    copyFileSync(join(from, name), join(to, name));
}
const { writeBuiltinCache } = await import(new URL("../dist/policy/builtin-cache.js", import.meta.url).href);
writeBuiltinCache(join(ROOT, "policies"), join(ROOT, "dist", "builtin-packs"));
