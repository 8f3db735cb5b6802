/**
 * Nothing half-written. `fix --write` goes through `applyPatches`: every file system call it makes
 * can fail (disk full, I/O error, permissions), one or several in a row, and afterwards either every
 * file holds its new text or every original is byte-identical — never a mix. fast-check picks which
 * calls fail; the file system is real (a temp dir), the failures are injected.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { FilePatch } from "../../src/fix/patch.js";
import { applyPatches, nodeWriteFs, type WriteFs } from "../../src/fix/write.js";
import { InputError } from "../../src/plan/types.js";

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "plangate-write-")));
  roots.push(d);
  return d;
}

/** `n` files in `dir` (some in subdirectories), each with a patch that changes it. */
function setup(n: number): { dir: string; patches: FilePatch[] } {
  const dir = tempDir();
  const patches: FilePatch[] = [];
  for (let i = 0; i < n; i++) {
    const rel = i % 2 === 0 ? `f${i}.tf` : `m${i}/main.tf`;
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    const before = `resource "x" "r${i}" {\n  a = false\n}\n`;
    fs.writeFileSync(abs, before);
    patches.push({ path: abs, relPath: rel, before, after: before.replace("false", "true") });
  }
  return { dir, patches };
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile())
      out[path.relative(dir, path.join(e.parentPath, e.name))] = fs.readFileSync(
        path.join(e.parentPath, e.name),
        "utf8",
      );
  }
  return out;
}

type Op = "writeNew" | "rename" | "unlink" | "readFile" | "realpath" | "mode" | "link";

/** The real file system, with the `nth` call of each listed operation throwing (`"rename 1"`). */
function faulty(failing: ReadonlySet<string>, log: string[]): WriteFs {
  const counts = new Map<Op, number>();
  const gate = (op: Op): void => {
    const k = counts.get(op) ?? 0;
    counts.set(op, k + 1);
    log.push(`${op} ${k}`);
    if (failing.has(`${op} ${k}`))
      throw Object.assign(new Error(`EIO: simulated failure of ${op} ${k}`), { code: "EIO" });
  };
  const g =
    <A extends unknown[], R>(op: Op, f: (...a: A) => R) =>
    (...a: A): R => {
      gate(op);
      return f(...a);
    };
  const real = nodeWriteFs;
  return {
    readFile: g("readFile", real.readFile),
    writeNew: g("writeNew", real.writeNew),
    rename: g("rename", real.rename),
    unlink: g("unlink", real.unlink),
    realpath: g("realpath", real.realpath),
    isSymlink: real.isSymlink,
    mode: g("mode", real.mode),
    link: g("link", (a: string, b: string) => real.link?.(a, b)),
  };
}

describe("applyPatches under injected failures", () => {
  it("all files or none, whichever calls fail (fast-check, seed 909)", () => {
    let failures = 0;
    let successes = 0;
    let partial = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.uniqueArray(
          fc
            .tuple(
              fc.constantFrom<Op>(
                "writeNew",
                "writeNew",
                "rename",
                "rename",
                "link",
                "unlink",
                "readFile",
                "realpath",
                "mode",
              ),
              fc.nat(5),
            )
            .map(([op, k]) => `${op} ${k}`),
          { maxLength: 4 },
        ),
        (n, failing) => {
          const { dir, patches } = setup(n);
          const before = snapshot(dir);
          const after = Object.fromEntries(patches.map((p) => [p.relPath, p.after]));
          const log: string[] = [];
          let threw: unknown;
          try {
            applyPatches(patches, dir, faulty(new Set(failing), log));
          } catch (err) {
            threw = err;
          }
          const now = snapshot(dir);
          // Leftover temp files are allowed only when cleanup itself failed; never a mixed state.
          const tracked = Object.fromEntries(Object.keys(before).map((k) => [k, now[k]]));
          if (threw === undefined) {
            successes++;
            expect(tracked).toEqual(after);
          } else {
            failures++;
            expect(threw).toBeInstanceOf(InputError);
            expect((threw as InputError).oneLine()).not.toMatch(/\n/);
            const msg = (threw as InputError).oneLine();
            for (const [rel, text] of Object.entries(before)) {
              if (tracked[rel] === text) continue;
              // Only when the rollback itself failed too: the message names where the original is,
              // byte-identical (a hard link to the original file).
              const kept = new RegExp(
                `${path.join(dir, rel).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(original kept as ([^)]+)\\)`,
              ).exec(msg);
              expect(kept, `calls ${log.join(",")}; failing ${failing}; ${msg}`).not.toBeNull();
              expect(fs.readFileSync(kept?.[1] as string, "utf8")).toBe(text);
              partial++;
            }
          }
          fs.rmSync(dir, { recursive: true, force: true });
        },
      ),
      { numRuns: 200, seed: 909 },
    );
    expect(failures).toBeGreaterThan(50);
    expect(successes).toBeGreaterThan(10);
    console.log(
      `write faults: ${failures} failed runs (${partial} files kept as backups after a failed rollback), ${successes} written`,
    );
  });

  it("a read-only file is refused before anything is written", () => {
    const { dir, patches } = setup(3);
    const ro = patches[1] as FilePatch;
    fs.chmodSync(ro.path, 0o444);
    const before = snapshot(dir);
    expect(() => applyPatches(patches, dir)).toThrow(/read-only/);
    expect(snapshot(dir)).toEqual(before);
    expect(fs.statSync(ro.path).mode & 0o777).toBe(0o444);
  });
});
