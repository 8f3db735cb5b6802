/**
 * Input paths that never end: a plan, pack, config or test file that is a symlink to /dev/zero
 * (a pull request can commit one) or a FIFO. Reading stops at the size limit with one error line;
 * nothing hangs or runs out of memory. Each case runs the built CLI in a child process with a
 * small heap and a timeout, so a regression fails the test instead of the test runner.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/plan/types.js";
import { readFileCapped } from "../../src/safety/read.js";

const BIN = fileURLToPath(new URL("../../bin/plangate.js", import.meta.url));
const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "plangate-devices-")));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const hasDevZero = fs.existsSync("/dev/zero");

function cli(args: readonly string[]): { code: number | null; stderr: string; ms: number } {
  const t = performance.now();
  const r = spawnSync(process.execPath, ["--max-old-space-size=256", BIN, ...args], {
    cwd: dir,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: r.status, stderr: r.stderr, ms: performance.now() - t };
}

describe.skipIf(!hasDevZero)("endless inputs", () => {
  it("readFileCapped stops at the cap on /dev/zero", () => {
    const err = (() => {
      try {
        readFileCapped("/dev/zero", 1024 * 1024, "zero.yaml");
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).oneLine()).toMatch(
      /^zero\.yaml: the file is 1\.1 MiB, over the limit of 1 MiB \(read so far\)$/,
    );
  });

  it("a config, a pack and a plan that are symlinks to /dev/zero: exit 2, one line", () => {
    fs.symlinkSync("/dev/zero", path.join(dir, ".plangate.yaml"));
    fs.symlinkSync("/dev/zero", path.join(dir, "pack.yaml"));
    fs.symlinkSync("/dev/zero", path.join(dir, "plan.json"));
    fs.writeFileSync(
      path.join(dir, "ok.json"),
      JSON.stringify({ format_version: "1.2", resource_changes: [] }),
    );
    // Found upward, a config that is not a regular file is not a config: the run goes on.
    const found = cli(["check", "ok.json", "--allow-empty"]);
    expect(found.code, found.stderr).toBe(0);
    const config = cli(["check", "ok.json", "--config", ".plangate.yaml"]);
    fs.unlinkSync(path.join(dir, ".plangate.yaml"));
    const pack = cli(["check", "ok.json", "--pack", "pack.yaml"]);
    for (const r of [config, pack]) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^plangate: error: [^\n]*over the limit[^\n]*\n$/);
    }
    // A plan is allowed up to ~512 MiB, more than this child's heap: it must still end cleanly.
    const plan = cli(["check", "plan.json"]);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toMatch(/^plangate: error: /);
  });

  it("a .tf.json in a configuration directory and a pack test file, as symlinks to /dev/zero", () => {
    const cfg = path.join(dir, "cfg");
    fs.mkdirSync(cfg);
    fs.symlinkSync("/dev/zero", path.join(cfg, "main.tf.json"));
    const tfjson = cli(["check", "cfg", "--allow-empty"]);
    fs.symlinkSync("/dev/zero", path.join(dir, "zero.test.yaml"));
    const test = cli(["test", "zero.test.yaml"]);
    for (const r of [tfjson, test]) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^plangate: error: [^\n]*over the limit[^\n]*\n$/);
      expect(r.ms).toBeLessThan(20_000);
    }
  });

  it("a FIFO as a plan is read as a stream (process substitution works)", () => {
    const fifo = path.join(dir, "fifo.json");
    execFileSync("mkfifo", [fifo]);
    const writer = spawnSync(
      "sh",
      [
        "-c",
        `(printf '%s' '{"format_version":"1.2","resource_changes":[]}' > '${fifo}') & ${process.execPath} ${BIN} inspect '${fifo}'`,
      ],
      {
        encoding: "utf8",
        timeout: 30_000,
      },
    );
    expect(writer.status, writer.stderr).toBe(0);
    expect(writer.stdout).toMatch(/format 1\.2/);
  });
});
