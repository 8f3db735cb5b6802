/**
 * Loading packs (the I/O edge of src/policy). A spec is one of:
 * - a path to a pack file (`.yaml`, `.yml`, `.json`) or to a compiled pack module (`.js`, `.mjs`);
 * - a directory: its pack files, sorted by name, skipping tests (`*.test.yaml`, ...);
 * - a built-in pack name (`aws-s3`, `aws-iam`, `aws-backup`): `policies/<name>.yaml` of this package;
 * - an npm package, resolved from the working directory: its package.json `plangate` field (a path
 *   or a list of paths, pack files or compiled modules) names its packs; without one, the pack files
 *   (`.yaml`, `.yml`, `.json`) its `exports` point at.
 *
 * Parse problems are not thrown: they are the source's diagnostics, so `plangate validate` can list
 * every error of every pack. Only "cannot read it at all" is an `InputError`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { InputError } from "../plan/types.js";
import { MAX_SOURCE_BYTES, readFileCapped } from "../safety/read.js";
import { cachedBuiltin } from "./builtin-cache.js";
import { sourceFromCompiledModule } from "./compiled-module.js";
import { type PackSource, parsePackText } from "./source.js";

export interface LoadOptions {
  /** Base for relative paths and npm resolution (default: process.cwd()). */
  readonly cwd?: string;
}

const PACK_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);
const MODULE_EXTENSIONS = new Set([".js", ".mjs"]);
const TEST_FILE = /\.tests?\.(ya?ml|json)$/;

/** `policies/` of this package, from `src/policy/` and `dist/policy/` alike. */
export function builtinPackDir(): string {
  return fileURLToPath(new URL("../../policies/", import.meta.url));
}

export function builtinPackNames(): string[] {
  const dir = builtinPackDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml") && !TEST_FILE.test(f))
    .map((f) => f.slice(0, -".yaml".length))
    .sort();
}

function display(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : abs;
}

const SCOPED_PACKAGE = /^@[a-z0-9-~][a-z0-9-._~]*\/[a-z0-9-~][a-z0-9-._~]*$/;

function looksLikePath(spec: string): boolean {
  if (SCOPED_PACKAGE.test(spec)) return false;
  return (
    spec.startsWith(".") ||
    spec.includes("/") ||
    spec.includes(sep) ||
    isAbsolute(spec) ||
    extname(spec) !== ""
  );
}

async function loadFile(abs: string, cwd: string): Promise<PackSource> {
  const ext = extname(abs).toLowerCase();
  const file = display(abs, cwd);
  if (MODULE_EXTENSIONS.has(ext)) {
    let mod: { default?: unknown };
    try {
      mod = (await import(pathToFileURL(abs).href)) as { default?: unknown };
    } catch (err) {
      throw new InputError(
        `cannot load compiled pack: ${err instanceof Error ? err.message : String(err)}`,
        file,
      );
    }
    const source = sourceFromCompiledModule(mod.default, file);
    if (typeof source === "string") throw new InputError(source, file);
    return source;
  }
  if (!PACK_EXTENSIONS.has(ext))
    throw new InputError("not a pack file (expected .yaml, .yml, .json, or a compiled .js)", file);
  let text: string;
  try {
    // Capped: a pack committed as a symlink to /dev/zero would otherwise be read forever.
    text = readFileCapped(abs, MAX_SOURCE_BYTES, file).toString("utf8");
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read pack: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, file);
  }
  return parsePackText(text.replace(/^\uFEFF/, ""), file, ext === ".json" ? "json" : "yaml");
}

/** A built-in pack: from the build's parsed copy when it matches the YAML text, else parsed now. */
function loadBuiltin(name: string, abs: string, cwd: string): PackSource {
  const file = display(abs, cwd);
  let text: string;
  try {
    text = readFileSync(abs, "utf8").replace(/^\uFEFF/, "");
  } catch (err) {
    throw new InputError(`cannot read pack: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, file);
  }
  return cachedBuiltin(name, text, file) ?? parsePackText(text, file, "yaml");
}

function packFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter(
      (f) => PACK_EXTENSIONS.has(extname(f).toLowerCase()) && !TEST_FILE.test(f) && f !== "package.json",
    )
    .sort()
    .map((f) => join(dir, f));
}

async function loadPath(abs: string, cwd: string): Promise<PackSource[]> {
  if (statSync(abs).isDirectory()) {
    const files = packFilesIn(abs);
    if (files.length === 0) throw new InputError("directory holds no pack files", display(abs, cwd));
    return Promise.all(files.map((f) => loadFile(f, cwd)));
  }
  return [await loadFile(abs, cwd)];
}

/** `node_modules/<name>` found walking up from `cwd`, as Node resolves packages. */
function findPackage(name: string, cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function exportTargets(exports: unknown): string[] {
  if (typeof exports === "string") return [exports];
  if (Array.isArray(exports)) return exports.flatMap(exportTargets);
  if (exports !== null && typeof exports === "object") return Object.values(exports).flatMap(exportTargets);
  return [];
}

async function loadPackage(name: string, cwd: string): Promise<PackSource[]> {
  const dir = findPackage(name, cwd);
  if (!dir) {
    const builtins = builtinPackNames().join(", ");
    throw new InputError(
      `no pack file, directory, built-in pack (${builtins}) or npm package named "${name}"`,
    );
  }
  let manifest: { plangate?: unknown; exports?: unknown };
  try {
    manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as typeof manifest;
  } catch (err) {
    throw new InputError(
      `cannot read package.json: ${err instanceof Error ? err.message : String(err)}`,
      join(dir, "package.json"),
    );
  }
  const field = manifest.plangate;
  const listed =
    typeof field === "string"
      ? [field]
      : Array.isArray(field)
        ? field.filter((x): x is string => typeof x === "string")
        : field !== null && typeof field === "object" && Array.isArray((field as { packs?: unknown }).packs)
          ? ((field as { packs: unknown[] }).packs.filter((x) => typeof x === "string") as string[])
          : exportTargets(manifest.exports).filter(
              (t) => PACK_EXTENSIONS.has(extname(t).toLowerCase()) && !t.endsWith("package.json"),
            );
  if (listed.length === 0) {
    throw new InputError(
      `package "${name}" names no packs (add a "plangate" field listing them to its package.json)`,
    );
  }
  const out: PackSource[] = [];
  for (const rel of listed) {
    const abs = resolve(dir, rel);
    if (relative(dir, abs).startsWith(".."))
      throw new InputError(`pack path "${rel}" leaves the package`, join(dir, "package.json"));
    if (!existsSync(abs))
      throw new InputError(
        `pack "${rel}" listed by package "${name}" does not exist`,
        join(dir, "package.json"),
      );
    out.push(...(await loadPath(abs, cwd)));
  }
  return out;
}

async function loadSpec(spec: string, cwd: string): Promise<PackSource[]> {
  if (looksLikePath(spec)) {
    const abs = resolve(cwd, spec);
    if (!existsSync(abs)) throw new InputError("no such pack file or directory", spec);
    return loadPath(abs, cwd);
  }
  const builtin = join(builtinPackDir(), `${spec}.yaml`);
  if (/^[a-z0-9][a-z0-9-]*$/.test(spec) && existsSync(builtin)) return [loadBuiltin(spec, builtin, cwd)];
  const local = resolve(cwd, spec);
  if (existsSync(local)) return loadPath(local, cwd);
  return loadPackage(spec, cwd);
}

/** Load every spec, in order (a directory contributes its files in name order). */
export async function loadPacks(specs: readonly string[], options: LoadOptions = {}): Promise<PackSource[]> {
  const cwd = options.cwd ?? process.cwd();
  const out: PackSource[] = [];
  for (const spec of specs) out.push(...(await loadSpec(spec, cwd)));
  return out;
}
