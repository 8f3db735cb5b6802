/**
 * The I/O edge of the config: find `.plangate.yaml` upward from the working directory (or take
 * `--config FILE`), read it, and hand the text to the pure parser.
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../plan/types.js";
import { MAX_SOURCE_BYTES, readFileCapped } from "../safety/read.js";
import { type LoadedConfig, parseConfig } from "./parse.js";

export const CONFIG_NAMES = [".plangate.yaml", ".plangate.yml"] as const;

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/** The nearest config file at or above `cwd`, or undefined. */
export async function findConfig(cwd: string): Promise<string | undefined> {
  let dir = path.resolve(cwd);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const p = path.join(dir, name);
      if (await isFile(p)) return p;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Load the config: `explicit` (must exist) or the one found upward from `cwd` (may be absent).
 * Display paths are relative to `cwd` when inside it.
 */
export async function loadConfig(
  explicit: string | undefined,
  cwd: string,
): Promise<LoadedConfig | undefined> {
  const file = explicit ? path.resolve(cwd, explicit) : await findConfig(cwd);
  if (!file) return undefined;
  let text: string;
  try {
    // Capped: a config committed as a symlink to /dev/zero would otherwise be read forever.
    text = readFileCapped(file, MAX_SOURCE_BYTES, explicit ?? file).toString("utf8");
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      code === "ENOENT" ? "config file not found" : `cannot read config file (${code ?? "error"})`,
      explicit ?? file,
    );
  }
  const rel = path.relative(cwd, file);
  const display = rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
  return parseConfig(text, display, path.dirname(file));
}
