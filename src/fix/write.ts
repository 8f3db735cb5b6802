/**
 * Writing patched files: all or nothing. Every file is first written to a temp file in its own
 * directory (same file system, so the rename is atomic), then the temps are renamed over the
 * originals. A failure while writing temps removes them and leaves every original untouched; a
 * failure while renaming restores the files already replaced from their original text.
 *
 * Only files whose real path is inside the real source root are written, never through a symlink,
 * and only if they still hold the text the patch was planned against.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { InputError } from "../plan/types.js";
import type { FilePatch } from "./patch.js";
import { isInside } from "./source.js";

/** The file operations the writer uses; tests inject failures through it. */
export interface WriteFs {
  readFile(p: string): string;
  /** Create a new file (fails if it exists) with `mode`. */
  writeNew(p: string, data: string, mode: number): void;
  rename(from: string, to: string): void;
  unlink(p: string): void;
  realpath(p: string): string;
  isSymlink(p: string): boolean;
  mode(p: string): number;
}

export const nodeWriteFs: WriteFs = {
  readFile: (p) => fs.readFileSync(p, "utf8"),
  writeNew: (p, data, mode) => {
    const fd = fs.openSync(p, "wx", mode);
    try {
      fs.writeFileSync(fd, data, "utf8");
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  },
  rename: (a, b) => fs.renameSync(a, b),
  unlink: (p) => fs.unlinkSync(p),
  realpath: (p) => fs.realpathSync(p),
  isSymlink: (p) => fs.lstatSync(p).isSymbolicLink(),
  mode: (p) => fs.statSync(p).mode & 0o7777,
};

function tempName(file: string): string {
  return path.join(
    path.dirname(file),
    `.${path.basename(file)}.plangate-${process.pid}-${randomBytes(4).toString("hex")}.tmp`,
  );
}

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
  const plans: { file: string; before: string; after: string; temp: string; mode: number }[] = [];
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
    if (wfs.readFile(real) !== p.before)
      throw new InputError(`${p.relPath}: changed since the patch was made; nothing written`);
    plans.push({ file: real, before: p.before, after: p.after, temp: tempName(real), mode: wfs.mode(real) });
  }
  const written: string[] = [];
  try {
    for (const p of plans) {
      wfs.writeNew(p.temp, p.after, p.mode);
      written.push(p.temp);
    }
  } catch (err) {
    for (const t of written) {
      try {
        wfs.unlink(t);
      } catch {
        // best effort: a leftover temp file is harmless, the originals are intact
      }
    }
    throw new InputError(
      `writing fixes failed (${err instanceof Error ? err.message : String(err)}); no file was changed`,
    );
  }
  const renamed: typeof plans = [];
  try {
    for (const p of plans) {
      wfs.rename(p.temp, p.file);
      renamed.push(p);
    }
  } catch (err) {
    // Put back the files already replaced, each again through a temp + rename.
    for (const p of renamed) {
      const back = tempName(p.file);
      try {
        wfs.writeNew(back, p.before, p.mode);
        wfs.rename(back, p.file);
      } catch {
        // nothing more can be done; the message below names the failure
      }
    }
    for (const p of plans.slice(renamed.length)) {
      try {
        wfs.unlink(p.temp);
      } catch {
        // temp may already be gone
      }
    }
    throw new InputError(
      `writing fixes failed (${err instanceof Error ? err.message : String(err)}); changes rolled back`,
    );
  }
  return plans.map((p) => p.file);
}
