import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findConfig, loadConfig } from "../../src/config/load.js";
import { ConfigInputError, parseConfig } from "../../src/config/parse.js";
import { InputError } from "../../src/plan/types.js";

function errorsOf(text: string): string[] {
  try {
    parseConfig(text, ".plangate.yaml", "/repo");
  } catch (err) {
    if (err instanceof ConfigInputError) return err.errors.map((e) => `${e.line}:${e.column} ${e.message}`);
    throw err;
  }
  return [];
}

describe("config file", () => {
  it("accepts a full config", () => {
    const c = parseConfig(
      [
        "packs: [aws-s3, ./policies/custom.yaml]",
        "parameters:",
        "  aws-s3: { require_kms: true }",
        "rules:",
        "  s3-versioning-enabled: { severity: high, enforcement: advisory, unknown: fail }",
        "  s3-logging: { disabled: true }",
        "unknown: warn",
        "fail-on: high",
        "waivers:",
        "  - rule: s3-*",
        "    address: module.legacy[*].aws_s3_bucket.*",
        "    reason: migrating in Q3",
        "    owner: team-data",
        "    expires: 2026-09-30",
        "    ticket: OPS-12",
      ].join("\n"),
      ".plangate.yaml",
      "/repo",
    );
    expect(c.config["fail-on"]).toBe("high");
    expect(c.config.waivers?.[0]?.expires).toBe("2026-09-30");
    expect(c.waiverWhere).toEqual([".plangate.yaml:10:5"]);
  });

  it("reports schema errors at line:column", () => {
    expect(errorsOf("fail-on: severe\n")).toEqual([
      '1:10 fail-on: must be one of "info", "low", "medium", "high", "critical"',
    ]);
    expect(errorsOf("rules:\n  r1:\n    disable: true\n")).toEqual([
      '3:5 rules.r1: unknown property "disable"',
    ]);
    expect(errorsOf("waivers:\n  - rule: r\n    address: '**'\n    reason: x\n    owner: y\n")).toEqual([
      '2:5 waivers[0]: missing required property "expires"',
    ]);
    expect(
      errorsOf("waivers:\n  - {rule: r, address: x, reason: x, owner: y, expires: 31/12/2026}\n"),
    ).toEqual(["2:57 waivers[0].expires: must be a date YYYY-MM-DD"]);
    expect(
      errorsOf("waivers:\n  - {rule: r, address: x, reason: x, owner: y, expires: 2026-02-30}\n"),
    ).toEqual(["2:57 waivers[0].expires: not a date: 2026-02-30"]);
  });

  it("duplicate keys are errors", () => {
    const errs = errorsOf("unknown: warn\nunknown: fail\n");
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^2:1 .*[Mm]ap keys must be unique/);
  });

  it("the error the CLI prints is one line with file:line:column", () => {
    try {
      parseConfig("fail-on: severe\nbogus: 1\n", "cfg/.plangate.yaml", "/repo/cfg");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).oneLine()).toMatch(
        /^cfg\/\.plangate\.yaml:1:10: invalid config: fail-on: must be one of .* \(and 1 more: 2:1 /,
      );
    }
  });

  it("is found upward from the working directory", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "plangate-config-"));
    const deep = path.join(root, "a", "b");
    await mkdir(deep, { recursive: true });
    expect(await findConfig(deep)).toBeUndefined();
    await writeFile(path.join(root, ".plangate.yaml"), "fail-on: low\n");
    expect(await findConfig(deep)).toBe(path.join(root, ".plangate.yaml"));
    const loaded = await loadConfig(undefined, deep);
    expect(loaded?.config["fail-on"]).toBe("low");
    expect(loaded?.dir).toBe(root);
    await expect(loadConfig("missing.yaml", deep)).rejects.toThrow(/config file not found/);
  });
});
