import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RuleResult } from "../../src/engine/types.js";
import { deriveFixes } from "../../src/fix/derive.js";
import { mergeFixes } from "../../src/fix/merge.js";
import { nodeSourceFs } from "../../src/fix/node-fs.js";
import { type FilePatch, planPatches } from "../../src/fix/patch.js";
import { locateResourceBlock } from "../../src/fix/source.js";
import { applyPatches, nodeWriteFs, type WriteFs } from "../../src/fix/write.js";
import { InputError } from "../../src/plan/types.js";
import { failed, model, type Res, tempDir, writeFiles } from "./helpers.js";

const PAB = (address: string, name: string): Res => ({
  address,
  type: "aws_s3_bucket_public_access_block",
  name,
  after: { block_public_acls: false },
});

function result(address: string): RuleResult {
  return failed("pab", address, [
    {
      kind: "attribute",
      address,
      path: ["block_public_acls"],
      actual: { state: "known", value: false },
      expected: { op: "equals", value: true },
    },
  ]);
}

const TF = (name: string): string =>
  `resource "aws_s3_bucket_public_access_block" "${name}" {\n  block_public_acls = false\n}\n`;

/** Two files in two modules, each with one fix. */
function twoFiles(): { dir: string; patches: readonly FilePatch[] } {
  const dir = tempDir();
  writeFiles(dir, { "main.tf": TF("a"), "modules/b/main.tf": TF("b") });
  const m = model(
    [
      PAB("aws_s3_bucket_public_access_block.a", "a"),
      PAB("module.b.aws_s3_bucket_public_access_block.b", "b"),
    ],
    {
      b: "./modules/b",
    },
  );
  const merged = mergeFixes(
    deriveFixes(
      [result("aws_s3_bucket_public_access_block.a"), result("module.b.aws_s3_bucket_public_access_block.b")],
      m,
    ),
  );
  const plan = planPatches(merged, m, dir, nodeSourceFs);
  expect(plan.files.map((f) => f.relPath)).toEqual(["main.tf", "modules/b/main.tf"]);
  return { dir, patches: plan.files };
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

describe("applyPatches (atomic --write)", () => {
  it("writes every file, through temp files that do not remain", () => {
    const { dir, patches } = twoFiles();
    const written = applyPatches(patches, dir);
    expect(written).toHaveLength(2);
    const files = snapshot(dir);
    expect(Object.keys(files).sort()).toEqual(["main.tf", "modules/b/main.tf"]);
    expect(files["main.tf"]).toContain("block_public_acls = true");
  });

  it("a failure writing the second file leaves every original byte-identical", () => {
    const { dir, patches } = twoFiles();
    const before = snapshot(dir);
    let calls = 0;
    const failing: WriteFs = {
      ...nodeWriteFs,
      writeNew(p, data, mode) {
        calls++;
        if (calls === 2) throw new Error("ENOSPC: no space left on device");
        nodeWriteFs.writeNew(p, data, mode);
      },
    };
    expect(() => applyPatches(patches, dir, failing)).toThrow(/no file was changed/);
    expect(snapshot(dir)).toEqual(before);
  });

  it("a failure renaming the second file rolls the first back", () => {
    const { dir, patches } = twoFiles();
    const before = snapshot(dir);
    let renames = 0;
    const failing: WriteFs = {
      ...nodeWriteFs,
      rename(a, b) {
        renames++;
        if (renames === 2) throw new Error("EIO: i/o error");
        nodeWriteFs.rename(a, b);
      },
    };
    expect(() => applyPatches(patches, dir, failing)).toThrow(/rolled back/);
    expect(snapshot(dir)).toEqual(before);
  });

  it("a read-only directory fails before any file changes", () => {
    if (process.getuid?.() === 0) return; // root ignores directory permissions
    const { dir, patches } = twoFiles();
    const before = snapshot(dir);
    fs.chmodSync(path.join(dir, "modules/b"), 0o555);
    try {
      expect(() => applyPatches(patches, dir)).toThrow(InputError);
    } finally {
      fs.chmodSync(path.join(dir, "modules/b"), 0o755);
    }
    expect(snapshot(dir)).toEqual(before);
  });

  it("refuses a file changed since the patch was made", () => {
    const { dir, patches } = twoFiles();
    fs.appendFileSync(path.join(dir, "modules/b/main.tf"), "# edited\n");
    const before = snapshot(dir);
    expect(() => applyPatches(patches, dir)).toThrow(/changed since/);
    expect(snapshot(dir)).toEqual(before);
  });

  it("refuses a patch for a path outside --source-dir", () => {
    const { dir, patches } = twoFiles();
    const other = tempDir();
    expect(() => applyPatches(patches, other)).toThrow(/outside --source-dir/);
    expect(snapshot(dir)["main.tf"]).toBe(TF("a"));
  });
});

describe("path safety", () => {
  const plan = (source: string, dir: string) => {
    const m = model([PAB("module.b.aws_s3_bucket_public_access_block.b", "b")], { b: source });
    return planPatches(
      mergeFixes(deriveFixes([result("module.b.aws_s3_bucket_public_access_block.b")], m)),
      m,
      dir,
      nodeSourceFs,
    );
  };

  it("refuses module sources that leave --source-dir (`..`, absolute)", () => {
    const outside = tempDir();
    writeFiles(outside, { "main.tf": TF("b") });
    const dir = path.join(outside, "root", "env");
    fs.mkdirSync(dir, { recursive: true });
    for (const source of ["../../..", "../..", path.join(outside), "/etc", "C:\\modules\\b"]) {
      const p = plan(source, dir);
      expect(p.files, source).toEqual([]);
      expect(p.refused.join("\n"), source).toMatch(/leaves --source-dir|absolute module source|not found/);
    }
    expect(fs.readFileSync(path.join(outside, "main.tf"), "utf8")).toBe(TF("b"));
  });

  it("does not follow symlinks leaving the directory (module dir or .tf file)", () => {
    const outside = tempDir();
    writeFiles(outside, { "mod/main.tf": TF("b") });
    const dir = tempDir();
    fs.symlinkSync(path.join(outside, "mod"), path.join(dir, "linked"));
    const p = plan("./linked", dir);
    expect(p.files).toEqual([]);
    expect(p.refused.join("\n")).toMatch(/leaves --source-dir/);

    writeFiles(dir, { "modules/b/.keep": "" });
    fs.symlinkSync(path.join(outside, "mod/main.tf"), path.join(dir, "modules/b/main.tf"));
    const q = plan("./modules/b", dir);
    expect(q.files).toEqual([]);
    expect(q.refused.join("\n")).toMatch(/symlink leaves --source-dir/);
  });

  it("remote modules fall back to the snippet", () => {
    const dir = tempDir();
    const p = plan("terraform-aws-modules/s3-bucket/aws", dir);
    expect(p.files).toEqual([]);
    expect(p.notes.join("\n")).toMatch(/remote module/);
  });

  it("locateResourceBlock finds blocks in child modules, not across the boundary", () => {
    const { dir } = twoFiles();
    const m = model(
      [
        PAB("aws_s3_bucket_public_access_block.a", "a"),
        PAB("module.b.aws_s3_bucket_public_access_block.b", "b"),
      ],
      {
        b: "./modules/b",
      },
    );
    expect(locateResourceBlock(m, "module.b.aws_s3_bucket_public_access_block.b", dir, nodeSourceFs)).toEqual(
      {
        file: "modules/b/main.tf",
        line: 1,
        endLine: 3,
      },
    );
    expect(locateResourceBlock(m, "aws_s3_bucket_public_access_block.a", dir, nodeSourceFs)?.file).toBe(
      "main.tf",
    );
    const evil = model([PAB("module.b.aws_s3_bucket_public_access_block.b", "b")], { b: "../.." });
    expect(
      locateResourceBlock(evil, "module.b.aws_s3_bucket_public_access_block.b", dir, nodeSourceFs),
    ).toBeUndefined();
  });
});
