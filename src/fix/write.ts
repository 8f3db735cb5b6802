/**
 * Writing patched files: all or nothing, through `writeAllOrNothing` (src/safety/atomic.ts: temps
 * in each file's directory, hard-link backups, renames, restore on failure).
 *
 * Only files whose real path is inside the real source root are written, never through a symlink,
 * only if they still hold the text the patch was planned against, and never a read-only file.
 */

import { InputError } from "../plan/types.js";
import { type AtomicFs, AtomicWriteError, nodeAtomicFs, writeAllOrNothing } from "../safety/atomic.js";
import type { FilePatch } from "./patch.js";
import { isInside } from "./source.js";

/** The file operations the writer uses; tests inject failures through it. */
export type WriteFs = AtomicFs;
export const nodeWriteFs: WriteFs = nodeAtomicFs;

/** Write every patch or none. Returns the paths written. Throws `InputError` when refused or failed. */
export function applyPatches(
  patches: readonly FilePatch[],
  sourceDir: string,
  wfs: WriteFs = nodeWriteFs,
): string[] {
  let root: string;
  try {
    root = wfs.realpath(sourceDir);
  } catch {
    throw new InputError(`--source-dir ${sourceDir} does not exist`);
  }
  const plans: { file: string; before: string; after: string; mode: number }[] = [];
  for (const p of patches) {
    let real: string;
    try {
      real = wfs.realpath(p.path);
    } catch {
      throw new InputError(`${p.relPath}: no longer exists; nothing written`);
    }
    if (real !== p.path || wfs.isSymlink(p.path) || !isInside(root, real)) {
      throw new InputError(
        `${p.relPath}: resolves outside --source-dir or through a symlink; nothing written`,
      );
    }
    let text: string;
    let mode: number;
    try {
      text = wfs.readFile(real);
      mode = wfs.mode(real);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
      throw new InputError(`${p.relPath}: cannot read (${code}); nothing written`);
    }
    if (text !== p.before)
      throw new InputError(`${p.relPath}: changed since the patch was made; nothing written`);
    // A rename replaces a read-only file as easily as any other (and root ignores modes): respect
    // the user's "do not touch" explicitly.
    if ((mode & 0o222) === 0) throw new InputError(`${p.relPath}: is read-only; nothing written`);
    plans.push({ file: real, before: p.before, after: p.after, mode });
  }
  try {
    writeAllOrNothing(plans, wfs);
  } catch (err) {
    if (!(err instanceof AtomicWriteError)) throw err;
    throw new InputError(`writing fixes failed (${err.message})`);
  }
  return plans.map((p) => p.file);
}
