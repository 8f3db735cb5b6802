/**
 * The terraform binary runs without a shell, with an argument array and a timeout. A fake
 * `terraform` (a script put first on PATH, or named by --terraform-bin) records its argv, sleeps,
 * or fails; plan paths carry shell metacharacters that would run commands under a shell.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPlanInput } from "../../src/plan/read.js";
import { InputError } from "../../src/plan/types.js";

let dir: string;
let bin: string;
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]);
const PLAN = JSON.stringify({ format_version: "1.2", terraform_version: "1.9.5", resource_changes: [] });

beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "plangate-tf-")));
  bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  // argv goes to a file, one argument per line; FAKE_TF_MODE picks the behaviour.
  const script = `#!/bin/sh
for a in "$@"; do printf '%s\\n' "$a"; done > "${dir}/argv.txt"
case "$FAKE_TF_MODE" in
  sleep) exec sleep 30 ;;
  big) head -c 3000000 /dev/zero ;;
  fail) echo "Error: plan file is corrupt" >&2; exit 1 ;;
  *) printf '%s' '${PLAN}' ;;
esac
`;
  fs.writeFileSync(path.join(bin, "terraform"), script, { mode: 0o755 });
});
afterAll(() => {
  delete process.env.FAKE_TF_MODE;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A binary plan (zip magic) at a path with shell metacharacters; a shell would run `touch`. */
function hostilePlanFile(): string {
  // No `/` in a file name: the commands would run in the working directory.
  const name = "plan $(touch pwned-1) `touch pwned-2`; touch pwned-3 | & > x.tfplan";
  const p = path.join(dir, name);
  fs.writeFileSync(p, ZIP);
  return p;
}

function pwned(): string[] {
  return [dir, process.cwd()].flatMap((d) => fs.readdirSync(d).filter((f) => f.startsWith("pwned")));
}

describe("terraform show -json", () => {
  it("gets the path as one argument, no shell (metacharacters stay text)", async () => {
    process.env.FAKE_TF_MODE = "ok";
    const file = hostilePlanFile();
    const model = await readPlanInput(file, { terraformBin: path.join(bin, "terraform") });
    expect(model.formatVersion).toBe("1.2");
    expect(fs.readFileSync(path.join(dir, "argv.txt"), "utf8").split("\n").slice(0, -1)).toEqual([
      "show",
      "-json",
      "-no-color",
      file,
    ]);
    expect(pwned()).toEqual([]);
  });

  it("a binary path with metacharacters is run as that file, not through a shell", async () => {
    process.env.FAKE_TF_MODE = "ok";
    const odd = path.join(bin, "terraform; touch pwned-4 $(touch pwned-5)");
    fs.copyFileSync(path.join(bin, "terraform"), odd);
    fs.chmodSync(odd, 0o755);
    await readPlanInput(hostilePlanFile(), { terraformBin: odd });
    expect(pwned()).toEqual([]);
  });

  it("a terraform that hangs is killed at the timeout, with a one-line InputError", async () => {
    process.env.FAKE_TF_MODE = "sleep";
    const t = performance.now();
    const err = await readPlanInput(hostilePlanFile(), {
      terraformBin: path.join(bin, "terraform"),
      timeoutMs: 500,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(performance.now() - t).toBeLessThan(5_000);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).oneLine()).toMatch(/timed out after/);
  });

  it("output over maxBytes is cut off with a one-line InputError (not reported as a timeout)", async () => {
    process.env.FAKE_TF_MODE = "big";
    const err = await readPlanInput(hostilePlanFile(), {
      terraformBin: path.join(bin, "terraform"),
      maxBytes: 1_000_000,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).oneLine()).toMatch(/printed more than 1000000 bytes \(the plan size limit\)$/);
  });

  it("found on PATH when not named; its stderr becomes the one-line error", async () => {
    process.env.FAKE_TF_MODE = "fail";
    const saved = process.env.PATH;
    process.env.PATH = `${bin}${path.delimiter}${saved ?? ""}`;
    try {
      const err = await readPlanInput(hostilePlanFile()).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).oneLine()).toMatch(
        /`terraform show -json` failed: Error: plan file is corrupt$/,
      );
    } finally {
      process.env.PATH = saved;
    }
    expect(pwned()).toEqual([]);
  });

  it("a missing binary is an InputError naming --terraform-bin", async () => {
    const err = await readPlanInput(hostilePlanFile(), {
      terraformBin: path.join(dir, "no-such-terraform"),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).oneLine()).toMatch(/--terraform-bin/);
  });
});
