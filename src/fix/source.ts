/**
 * Where a resource's block lives on disk: the module directory (root: --source-dir; child module:
 * its local `source` resolved against the parent's directory) and the `.tf` files in it.
 *
 * Path safety: every directory and file used must resolve (through symlinks) inside the real
 * --source-dir. Absolute sources, `..` escapes and symlinks leading out are refused, never followed.
 */
import path from "node:path";
import type { PlanModel } from "../plan/types.js";
import { findResourceBlock, type HclBlock, type HclFile, scanHcl } from "./hcl-scanner.js";

/** The file-system reads the fix stage needs; `nodeSourceFs` in `node-fs.ts` is the real one. */
export interface SourceFs {
  /** Real path (symlinks resolved), or undefined when it does not exist. */
  realpath(p: string): string | undefined;
  /** Names of the entries of a directory (empty when it cannot be read). */
  readDir(p: string): string[];
  isSymlink(p: string): boolean;
  isFile(p: string): boolean;
  readFile(p: string): string;
}

export type ModuleDir =
  | { readonly kind: "local"; readonly dir: string }
  | { readonly kind: "remote"; readonly source: string }
  | { readonly kind: "refused"; readonly reason: string };

/** True when `p` is `root` or below it (both real, absolute paths). */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** Terraform's rule: only `./` and `../` prefixes make a source a local path. */
function isLocalSource(source: string): boolean {
  return /^\.\.?[\\/]/.test(source) || source === "." || source === "..";
}

/** Resolve the directory of module `modulePath` below the real source root. */
export function moduleDir(
  model: PlanModel,
  modulePath: readonly string[],
  root: string,
  fs: SourceFs,
): ModuleDir {
  let dir = root;
  for (let i = 0; i < modulePath.length; i++) {
    const callPath = modulePath.slice(0, i + 1).join(".");
    const call = model.moduleCalls.find((c) => c.path.join(".") === callPath);
    const label = `module.${modulePath.slice(0, i + 1).join(".module.")}`;
    const source = call?.source;
    if (source === undefined)
      return { kind: "refused", reason: `${label}: the plan does not give its source` };
    if (path.isAbsolute(source) || /^[A-Za-z]:[\\/]/.test(source)) {
      return {
        kind: "refused",
        reason: `${label}: absolute module source ${JSON.stringify(source)} is not written to`,
      };
    }
    if (!isLocalSource(source)) return { kind: "remote", source };
    const real = fs.realpath(path.resolve(dir, source));
    if (real === undefined)
      return { kind: "refused", reason: `${label}: source ${JSON.stringify(source)} not found` };
    if (!isInside(root, real)) {
      return { kind: "refused", reason: `${label}: source ${JSON.stringify(source)} leaves --source-dir` };
    }
    dir = real;
  }
  return { kind: "local", dir };
}

export interface SourceFile {
  /** Real absolute path. */
  readonly path: string;
  readonly text: string;
  readonly hcl: HclFile;
}

/** The `.tf` files of a module directory, sorted by name; symlinks leaving the root are skipped. */
export function moduleFiles(
  dir: string,
  root: string,
  fs: SourceFs,
  notes?: string[],
  scan: (file: string, text: string) => HclFile = (_file, text) => scanHcl(text),
): SourceFile[] {
  const out: SourceFile[] = [];
  for (const name of fs.readDir(dir).sort()) {
    if (!name.endsWith(".tf")) continue;
    const p = path.join(dir, name);
    let real = p;
    if (fs.isSymlink(p)) {
      const r = fs.realpath(p);
      if (r === undefined || !isInside(root, r)) {
        notes?.push(`${p}: symlink leaves --source-dir; not read`);
        continue;
      }
      real = r;
    }
    if (!fs.isFile(real)) continue;
    const text = fs.readFile(real);
    out.push({ path: real, text, hcl: scan(real, text) });
  }
  return out;
}

export interface LocatedBlock {
  readonly file: string;
  readonly line: number;
  readonly endLine: number;
}

/** Find a resource's block in the files of its module. */
export function findBlockIn(
  files: readonly SourceFile[],
  type: string,
  name: string,
  mode: "resource" | "data" = "resource",
): { file: SourceFile; block: HclBlock } | undefined {
  for (const file of files) {
    const block = findResourceBlock(file.hcl, type, name, mode);
    if (block) return { file, block };
  }
  return undefined;
}

/**
 * Where the block of resource `address` is written: file (relative to `sourceDir` when inside it),
 * first and last line. Undefined when the module is remote, refused or the block is not found.
 * For SARIF / GitHub annotations.
 */
/**
 * Scans of the files `locateResourceBlock` read, per fs, reused while a file's text is the same:
 * locating every failing resource of a module re-scanned all its files each time, which made
 * `check --source-dir` quadratic (1,000 blocks x 4 instances: 8 s of 10 s).
 */
const locateScans = new WeakMap<SourceFs, Map<string, { readonly text: string; readonly hcl: HclFile }>>();

function scanForLocate(fs: SourceFs): (file: string, text: string) => HclFile {
  const byFile = locateScans.get(fs) ?? new Map<string, { readonly text: string; readonly hcl: HclFile }>();
  locateScans.set(fs, byFile);
  return (file, text) => {
    const hit = byFile.get(file);
    if (hit && hit.text === text) return hit.hcl;
    const hcl = scanHcl(text);
    byFile.set(file, { text, hcl });
    return hcl;
  };
}

export function locateResourceBlock(
  model: PlanModel,
  address: string,
  sourceDir: string,
  fs: SourceFs,
): LocatedBlock | undefined {
  const r = model.byAddress.get(address);
  if (!r || r.mode === "ephemeral") return undefined;
  const root = fs.realpath(sourceDir);
  if (root === undefined) return undefined;
  const dir = moduleDir(model, r.modulePath, root, fs);
  if (dir.kind !== "local") return undefined;
  const found = findBlockIn(
    moduleFiles(dir.dir, root, fs, undefined, scanForLocate(fs)),
    r.type,
    r.name,
    r.mode === "data" ? "data" : "resource",
  );
  if (!found) return undefined;
  return { file: path.relative(root, found.file.path), line: found.block.line, endLine: found.block.endLine };
}
