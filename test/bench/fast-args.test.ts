import { describe, expect, it } from "vitest";
import yargs from "yargs";
import check, { parseFastCheckArgs } from "../../src/cli/commands/check.js";

const KEYS = [
  "plans",
  "pack",
  "rule",
  "config",
  "fail-on",
  "unknown",
  "format",
  "output",
  "quiet",
  "allow-empty",
  "strict-waivers",
  "source-dir",
  "terraform-bin",
  "input-kind",
  "today",
] as const;

/** What the handler would get through yargs (the dispatcher's settings, this command's builder). */
async function viaYargs(argv: readonly string[]): Promise<Record<string, unknown>> {
  let got: Record<string, unknown> = {};
  await check
    .builder(
      yargs(["check", ...argv])
        .strict()
        .exitProcess(false)
        .version(false),
    )
    .command(check.command, check.describe, check.builder, (args) => {
      got = args as Record<string, unknown>;
    })
    .parseAsync();
  return Object.fromEntries(KEYS.map((k) => [k, got[k]]));
}

const pick = (a: object): Record<string, unknown> =>
  Object.fromEntries(KEYS.map((k) => [k, (a as Record<string, unknown>)[k]]));

describe("check's fast argument path (start-up without yargs)", () => {
  const accepted: string[][] = [
    ["plan.json"],
    ["plan.json", "--format", "json"],
    ["a.json", "b.json", "--format=sarif=out.sarif,text", "--quiet"],
    ["plan.json", "--format", "json", "--format", "text"],
    ["plan.json", "--pack", "aws-s3", "--pack", "./mine.yaml", "--rule", "s3-*", "--fail-on", "high"],
    ["plan.json", "--config", "c.yaml", "--unknown", "warn", "--allow-empty", "--strict-waivers"],
    [
      "plan.json",
      "--source-dir",
      "tf",
      "--terraform-bin",
      "tofu",
      "--input-kind",
      "plan",
      "--today",
      "2026-01-01",
    ],
    ["plan.json", "--quiet", "--output", "r.json", "--format", "json"],
    ["plan.json", "--unknown=pass", "--fail-on=low", "--pack=aws-iam"],
  ];
  it.each(accepted)("gives the handler what yargs gives it: %j", async (...argv) => {
    const fast = parseFastCheckArgs(argv);
    expect(fast).toBeDefined();
    expect(pick(fast as object)).toEqual(await viaYargs(argv));
  });

  const declined: string[][] = [
    [],
    ["--help"],
    ["-"],
    ["plan.json", "-h"],
    ["plan.json", "--no-quiet"],
    ["plan.json", "--quiet", "false"],
    ["plan.json", "--quiet=true"],
    ["--quiet", "plan.json"],
    ["plan.json", "--allowEmpty"],
    ["plan.json", "--format", "json", "other.json"],
    ["plan.json", "--pack", "a", "b"],
    ["plan.json", "--config", "a.yaml", "--config", "b.yaml"],
    ["plan.json", "--fail-on", "severe"],
    ["plan.json", "--unknown-flag", "x"],
    ["plan.json", "--format"],
    ["plan.json", "--format="],
    ["plan.json", "--output", "-"],
    ["plan.json", "--", "x"],
  ];
  it.each(declined)("leaves other shapes to yargs: %j", (...argv) => {
    expect(parseFastCheckArgs(argv)).toBeUndefined();
  });
});
