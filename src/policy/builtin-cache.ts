/**
 * The built-in packs, parsed at build time. Parsing their YAML is most of a small `check`'s
 * start-up (70 KB of YAML: 100-350 ms, against ~1 ms for the same data as JSON), so the build
 * writes each parsed pack as JSON next to the compiled code, stamped with the hash of the YAML text
 * it came from. At run time the YAML is still read and hashed: a stale or missing cache entry (a
 * pack edited after the build, running from `src/`) falls back to parsing, so the cache can change
 * speed and nothing else. Positions are the YAML's own: the text is parsed on the first `locate`.
 */
import { hash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { type PackSource, parsePackText } from "./source.js";

export const BUILTIN_CACHE_FORMAT = "plangate-builtin-pack/1";

interface CacheEntry {
  readonly format: typeof BUILTIN_CACHE_FORMAT;
  /** sha256 (hex) of the YAML text the data was parsed from. */
  readonly sha256: string;
  readonly data: unknown;
}

/** `builtin-packs/` beside the compiled code (`dist/builtin-packs/`); absent under `src/`. */
export function builtinCacheDir(): string {
  return fileURLToPath(new URL("../builtin-packs/", import.meta.url));
}

function textHash(text: string): string {
  return hash("sha256", text, "hex");
}

/** The cached parse of built-in pack `name` when it was made from exactly `text`; else undefined. */
export function cachedBuiltin(
  name: string,
  text: string,
  file: string,
  dir: string = builtinCacheDir(),
): PackSource | undefined {
  let entry: CacheEntry;
  try {
    entry = JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8")) as CacheEntry;
  } catch {
    return undefined;
  }
  if (entry.format !== BUILTIN_CACHE_FORMAT || entry.sha256 !== textHash(text)) return undefined;
  let parsed: PackSource | undefined;
  return {
    file,
    origin: "yaml",
    data: entry.data,
    diagnostics: [],
    // Only diagnostics ask for positions: parse then, and only then.
    locate(pointer, key) {
      parsed ??= parsePackText(text, file, "yaml");
      return parsed.locate(pointer, key);
    },
  };
}

/**
 * Build step: parse every built-in pack in `packDir` and write the cache entries to `outDir`.
 * A pack with diagnostics, or whose data does not survive JSON unchanged, gets no entry (it is
 * parsed at run time, as before). Returns the names written.
 */
export function writeBuiltinCache(packDir: string, outDir: string = builtinCacheDir()): string[] {
  if (!existsSync(packDir)) return [];
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const f of readdirSync(packDir).sort()) {
    if (!f.endsWith(".yaml") || /\.tests?\.yaml$/.test(f)) continue;
    const name = f.slice(0, -".yaml".length);
    const text = readFileSync(join(packDir, f), "utf8").replace(/^\uFEFF/, "");
    const source = parsePackText(text, f, "yaml");
    if (source.diagnostics.length > 0) continue;
    const json = JSON.stringify(source.data);
    if (json === undefined || !isDeepStrictEqual(JSON.parse(json), source.data)) continue;
    const entry: CacheEntry = { format: BUILTIN_CACHE_FORMAT, sha256: textHash(text), data: source.data };
    writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(entry)}\n`);
    written.push(name);
  }
  return written;
}
