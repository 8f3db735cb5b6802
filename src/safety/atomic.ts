/**
 * Writing several files all or nothing. Each new text goes to a temp file in the target's own
 * directory (same file system: the rename is atomic) and is fsynced; each original gets a hard
 * link as its backup (no bytes copied, so restoring needs no free space and is byte-exact, whatever
 * the encoding); only then are the temps renamed over the targets. A failure before the first
 * rename removes the temps and changes nothing; a failure after it renames the backups back.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** The file operations used; tests inject failures through them. */
export interface AtomicFs {
  readFile(p: string): string;
  /** Create a new file (fails if it exists) with `mode`, fsynced. */
  writeNew(p: string, data: string, mode: number): void;
  rename(from: string, to: string): void;
  unlink(p: string): void;
  realpath(p: string): string;
  isSymlink(p: string): boolean;
  mode(p: string): number;
  /** Hard link `to` to `from`; optional: without it (or when it fails) backups are copies. */
  link?(from: string, to: string): void;
}

export const nodeAtomicFs: AtomicFs = {
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
  link: (a, b) => fs.linkSync(a, b),
};

export interface FileWrite {
  /** Real path of an existing file. */
  readonly file: string;
  /** Its current text (used for a copy backup when hard links are not available). */
  readonly before: string;
  readonly after: string;
  readonly mode: number;
}

/** Why an all-or-nothing write failed, and whether the originals are intact. */
export class AtomicWriteError extends Error {
  override readonly name = "AtomicWriteError";
  constructor(
    message: string,
    /** `unchanged`: nothing was replaced; `restored`: replaced then put back; `partial`: see `kept`. */
    readonly outcome: "unchanged" | "restored" | "partial",
    /** For `partial`: files that could not be put back, and where their original bytes are. */
    readonly kept: readonly { readonly file: string; readonly backup: string }[] = [],
  ) {
    super(message);
  }
}

export function siblingName(file: string, tag: string): string {
  return path.join(
    path.dirname(file),
    `.${path.basename(file)}.plangate-${process.pid}-${randomBytes(4).toString("hex")}.${tag}`,
  );
}

function quietly(f: () => void): void {
  try {
    f();
  } catch {
    // best effort: a leftover temp or backup file is harmless, the originals are what matter
  }
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Replace every file's text, or none. Throws `AtomicWriteError`. */
export function writeAllOrNothing(writes: readonly FileWrite[], afs: AtomicFs = nodeAtomicFs): void {
  const temps: string[] = [];
  const backups: string[] = [];
  const undoPrepared = (): void => {
    for (const t of [...temps, ...backups]) quietly(() => afs.unlink(t));
  };
  try {
    for (const w of writes) {
      const temp = siblingName(w.file, "tmp");
      afs.writeNew(temp, w.after, w.mode);
      temps.push(temp);
    }
    for (const w of writes) {
      const backup = siblingName(w.file, "bak");
      let linked = false;
      if (afs.link) {
        try {
          afs.link(w.file, backup);
          linked = true;
        } catch {
          // no hard links here (FAT, some network file systems): fall back to a copy
        }
      }
      if (!linked) afs.writeNew(backup, w.before, w.mode);
      backups.push(backup);
    }
  } catch (err) {
    undoPrepared();
    throw new AtomicWriteError(`${reason(err)}; no file was changed`, "unchanged");
  }
  let done = 0;
  try {
    for (; done < writes.length; done++) afs.rename(temps[done] as string, (writes[done] as FileWrite).file);
  } catch (err) {
    const kept: { file: string; backup: string }[] = [];
    for (let i = 0; i < done; i++) {
      const file = (writes[i] as FileWrite).file;
      const backup = backups[i] as string;
      try {
        afs.rename(backup, file);
      } catch {
        kept.push({ file, backup });
      }
    }
    for (let i = done; i < writes.length; i++) {
      quietly(() => afs.unlink(temps[i] as string));
      quietly(() => afs.unlink(backups[i] as string));
    }
    if (kept.length > 0) {
      const where = kept.map((k) => `${k.file} (original kept as ${k.backup})`).join(", ");
      throw new AtomicWriteError(`${reason(err)}; could not restore ${where}`, "partial", kept);
    }
    throw new AtomicWriteError(`${reason(err)}; changes rolled back`, "restored");
  }
  for (const b of backups) quietly(() => afs.unlink(b));
}
