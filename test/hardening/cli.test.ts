/**
 * The same guarantees through the built CLI, with a few spawns: exit 2 and one `plangate: error:`
 * line (never a stack trace) for hostile input, and no sensitive value in anything `check`,
 * `inspect` or `fix` prints. The in-process tests cover the breadth; these prove the glue.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hasUnprintable } from "../../src/safety/text.js";
import { runCli } from "../plan/cli.js";
import { FIXTURES } from "./pipeline.js";

const MARKER = "PLANGATE-SECRET-7f3a";
const dir = mkdtempSync(path.join(tmpdir(), "plangate-hardening-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** stderr is exactly one `plangate: error:` line and the exit code is 2. */
function expectOneLineError(r: { code: number | null; stderr: string }, pattern: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^plangate: error: [^\n]+\n$/);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\bat .+:\d+:\d+\)?$/m);
}

describe("hostile input: exit 2, one line", () => {
  it("a 10,000-deep plan", () => {
    const f = path.join(dir, "deep.json");
    writeFileSync(
      f,
      `{"format_version":"1.2","resource_changes":[${"[".repeat(10_000)}${"]".repeat(10_000)}]}`,
    );
    expectOneLineError(
      runCli(["check", f], { cwd: dir }),
      /deep\.json:1:\d+: JSON nested deeper than 1000 levels/,
    );
  });

  it("a pack with an alias bomb, and one with (a+)+$", () => {
    const bomb = path.join(dir, "bomb.yaml");
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${prev}`).join(", ")}]`,
      );
    }
    writeFileSync(bomb, levels.join("\n"));
    const plan = path.join(FIXTURES, "secrets", "plan.json");
    expectOneLineError(runCli(["check", plan, "--pack", bomb], { cwd: dir }), /bomb\.yaml:\d+:\d+: /);
    const evil = path.join(dir, "evil.yaml");
    writeFileSync(
      evil,
      "apiVersion: plangate/v1\nkind: PolicyPack\nmetadata: { name: evil, version: 1.0.0 }\nrules:\n  - { id: r, title: t, severity: low, enforcement: advisory, resource: aws_s3_bucket, require: { attribute: bucket, matches: '(a+)+$' } }\n",
    );
    expectOneLineError(runCli(["check", plan, "--pack", evil], { cwd: dir }), /evil\.yaml:5:\d+: /);
  });
});

describe("terminal controls through the CLI", () => {
  it("a plan whose address erases the line and opens a link: the error line shows escapes", () => {
    const f = path.join(dir, "esc.json");
    const address = "aws_s3_bucket.b\u001b[2K\r\u001b]8;;http://evil\u0007";
    writeFileSync(
      f,
      JSON.stringify({
        format_version: "1.2",
        resource_changes: [
          {
            address,
            mode: "managed",
            type: "aws_s3_bucket",
            name: "b",
            change: { actions: ["create"], before: null, after: {} },
          },
        ],
      }),
    );
    const r = runCli(["check", f], { cwd: dir });
    expectOneLineError(
      r,
      /cannot parse resource address "aws_s3_bucket\.b\\u001b\[2K\\u000d\\u001b\]8;;http:\/\/evil\\u0007"/,
    );
    expect(hasUnprintable(r.stderr)).toBe(false);
  });
});

describe("secrets through the CLI", () => {
  const src = path.join(FIXTURES, "secrets");
  const work = path.join(dir, "secrets");
  cpSync(src, work, { recursive: true });

  it("check in every format, inspect, fix: no byte of any sensitive value", () => {
    const runs = [
      runCli(
        [
          "check",
          "plan.json",
          "--source-dir",
          ".",
          "--format",
          "text,json,sarif,junit,markdown,github",
          "--today",
          "2026-01-01",
        ],
        { cwd: work },
      ),
      runCli(["inspect", "plan.json"], { cwd: work }),
      runCli(["inspect", "plan.json", "--format", "json"], { cwd: work }),
      runCli(["fix", "plan.json", "--source-dir", "."], { cwd: work }),
    ];
    expect(runs.map((r) => r.code)).toEqual([1, 0, 0, 0]);
    for (const r of runs) {
      expect(r.stdout).not.toContain(MARKER);
      expect(r.stderr).not.toContain(MARKER);
    }
    // The fix that touches main.tf is still applied by --write (which prints no file content).
    const w = runCli(["fix", "plan.json", "--source-dir", ".", "--write"], { cwd: work });
    expect(w.code).toBe(0);
    expect(w.stdout + w.stderr).not.toContain(MARKER);
    expect(readFileSync(path.join(work, "main.tf"), "utf8")).not.toBe(
      readFileSync(path.join(src, "main.tf"), "utf8"),
    );
  });
});
