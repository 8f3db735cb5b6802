/**
 * Bad input, through the built CLI: every error class is one line naming the file, exit code 2.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./cli.js";
import { FIXTURES } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "plangate-plan-errors-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const PLAN = {
  format_version: "1.2",
  terraform_version: "1.9.8",
  planned_values: { root_module: {} },
  resource_changes: [
    {
      address: "aws_s3_bucket.b",
      mode: "managed",
      type: "aws_s3_bucket",
      name: "b",
      provider_name: "registry.terraform.io/hashicorp/aws",
      change: {
        actions: ["create"],
        before: null,
        after: { bucket: "b" },
        after_unknown: { id: true },
        before_sensitive: false,
        after_sensitive: {},
      },
    },
  ],
  configuration: { root_module: {} },
};

/** Assert a one-line error on stderr, exit code 2, nothing on stdout. */
function expectInputError(run: ReturnType<typeof runCli>, ...parts: (string | RegExp)[]): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe("");
  const lines = run.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^plangate: error: /);
  for (const p of parts) expect(lines[0]).toMatch(p);
}

describe("plangate inspect: bad input exits 2 with a one-line error", () => {
  it("missing file", () => {
    const path = join(dir, "nope.json");
    expectInputError(runCli(["inspect", path]), path, "cannot read plan: no such file");
  });

  it("a directory without Terraform JSON files", () => {
    // Directories are read as Terraform JSON configurations (src/plan/tfjson-read.ts).
    expectInputError(runCli(["inspect", dir]), dir);
  });

  it("empty file", () => {
    const path = file("empty.json", "  \n");
    expectInputError(runCli(["inspect", path]), path, "the plan is empty");
  });

  it("invalid JSON names line:column and byte offset", () => {
    const path = file("invalid.json", '{\n  "format_version": "1.2",\n  "resource_changes": [ x ]\n}\n');
    expectInputError(runCli(["inspect", path]), `${path}:3:25`, /invalid JSON: .* at byte 53/);
  });

  it("truncated JSON names where the input ended", () => {
    const text = JSON.stringify(PLAN, null, 2);
    const cut = text.slice(0, 200);
    const path = file("truncated.json", cut);
    const lines = cut.split("\n");
    const where = `${path}:${lines.length}:${(lines.at(-1)?.length ?? 0) + 1}`;
    expectInputError(runCli(["inspect", path]), where, "truncated JSON", "at byte 200");
  });

  it("byte offsets count the BOM and multi-byte characters", () => {
    const path = file(
      "bom-invalid.json",
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"é": ]')]),
    );
    // BOM (3) + `{"é": ` (7 bytes: é is 2) = byte 10 for `]`.
    expectInputError(runCli(["inspect", path]), `${path}:1:7`, "at byte 10");
  });

  it("a state file", () => {
    const state = {
      format_version: "1.0",
      terraform_version: "1.9.8",
      values: { root_module: { resources: [] } },
    };
    const path = file("state.json", JSON.stringify(state));
    expectInputError(runCli(["inspect", path]), path, "this is a state file, not a plan");
  });

  it("JSON that is not a plan", () => {
    const path = file(
      "pack.json",
      JSON.stringify({ apiVersion: "plangate/v1", kind: "PolicyPack", rules: [] }),
    );
    expectInputError(runCli(["inspect", path]), path, "not a Terraform plan");
    const arr = file("array.json", "[1, 2]");
    expectInputError(
      runCli(["inspect", arr]),
      arr,
      "not a Terraform plan: expected a JSON object, got an array",
    );
  });

  it("an unsupported major format_version", () => {
    const path = file("v2.json", JSON.stringify({ ...PLAN, format_version: "2.0" }));
    expectInputError(runCli(["inspect", path]), path, 'unsupported plan format_version "2.0"');
    const odd = file("v03.json", JSON.stringify({ ...PLAN, format_version: "0.3" }));
    expectInputError(runCli(["inspect", odd]), 'unsupported plan format_version "0.3"');
  });

  it("a malformed resource change names its JSON pointer", () => {
    const bad = {
      ...PLAN,
      resource_changes: [
        PLAN.resource_changes[0],
        { address: "aws_s3_bucket.c", change: { actions: "create" } },
      ],
    };
    const path = file("bad-change.json", JSON.stringify(bad));
    expectInputError(
      runCli(["inspect", path]),
      `${path}#/resource_changes/1/change/actions`,
      "must be a list of strings",
    );
  });

  it("a binary plan when the terraform binary is missing", () => {
    const path = file("tf.plan", Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.alloc(64)]));
    const missing = join(dir, "no-such-terraform");
    expectInputError(
      runCli(["inspect", path, "--terraform-bin", missing]),
      path,
      `"${missing}" was not found`,
    );
  });

  it("a binary plan terraform cannot read: its stderr is quoted", () => {
    const path = file("corrupt.plan", Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.alloc(64)]));
    const run = runCli(["inspect", path], { cwd: dir });
    // Terraform's warnings come first on stderr; the error quoted is its `Error:` line.
    expectInputError(run, path, /`terraform show -json` failed: Error: \S/);
  });

  it("a binary plan with neither terraform nor tofu on PATH", () => {
    const path = file("tf2.plan", Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.alloc(64)]));
    const run = runCli(["inspect", path], { env: { PATH: join(dir, "empty-path") } });
    expectInputError(run, path, '"terraform" or "tofu" was not found', "--terraform-bin PATH");
  });

  it("an unknown --format", () => {
    const run = runCli(["inspect", join(FIXTURES, "opentofu-ephemeral.plan.json"), "--format", "xml"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/plangate: error: .*format/);
  });
});

describe("plangate inspect: accepted input", () => {
  it("an unknown 1.x minor is read with one warning", () => {
    const path = file("v19.json", JSON.stringify({ ...PLAN, format_version: "1.9" }));
    const run = runCli(["inspect", path, "--format", "json"]);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { warnings: string[]; format_version: string };
    expect(out.format_version).toBe("1.9");
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]).toMatch(/format_version 1\.9 is newer/);
  });

  it.each([
    [
      "UTF-8 with BOM",
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(PLAN), "utf8")]),
    ],
    [
      "UTF-16LE with BOM",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(PLAN), "utf16le")]),
    ],
    [
      "UTF-16BE with BOM",
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(JSON.stringify(PLAN), "utf16le").swap16()]),
    ],
  ])("%s", (_name, bytes) => {
    const path = file("enc.json", bytes);
    const run = runCli(["inspect", path, "--format", "json"]);
    expect(run.stderr).toBe("");
    const out = JSON.parse(run.stdout) as { resources: { address: string; unknown: string[] }[] };
    expect(out.resources).toEqual([expect.objectContaining({ address: "aws_s3_bucket.b", unknown: ["id"] })]);
  });

  it("stdin with `-`", () => {
    const run = runCli(["inspect", "-", "--format", "json"], { input: JSON.stringify(PLAN) });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { resources: unknown[] }).resources).toHaveLength(1);
  });

  it("an OpenTofu plan: no complete/applyable, an ephemeral resource opened, a sensitive value never printed", () => {
    const path = join(FIXTURES, "opentofu-ephemeral.plan.json");
    for (const format of ["json", "text"]) {
      const run = runCli(["inspect", path, "--format", format]);
      expect(run.code).toBe(0);
      expect(run.stdout).not.toContain("hunter2");
    }
    const out = JSON.parse(runCli(["inspect", path, "--format", "json"]).stdout) as {
      complete: null;
      resources: {
        address: string;
        mode: string;
        actions: string[];
        checked: boolean;
        sensitive: string[];
      }[];
    };
    expect(out.complete).toBeNull();
    expect(out.resources.map((r) => [r.address, r.mode, r.actions.join("+"), r.checked])).toEqual([
      ["ephemeral.aws_secretsmanager_secret_version.db", "ephemeral", "open", false],
      ["aws_db_instance.main", "managed", "create", true],
    ]);
    expect(out.resources[1]?.sensitive).toEqual(["password"]);
  });
});
