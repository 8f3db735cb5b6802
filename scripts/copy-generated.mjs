#!/usr/bin/env node
/**
 * After `tsc`: copy the generated standalone validators (JS + .d.ts, which tsc does not emit) from
 * src/generated/ into dist/generated/.
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
