/**
 * Path safety for `fix --write`: whatever module `source` a plan claims (`..` chains, absolute
 * paths, symlinked directories and files, odd prefixes), no file outside --source-dir is planned,
 * and no byte outside it changes after writing. fast-check builds the sources; the tree is real.
 */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { deriveFixes } from "../../src/fix/derive.js";
import { mergeFixes } from "../../src/fix/merge.js";
import { nodeSourceFs } from "../../src/fix/node-fs.js";
import { planPatches } from "../../src/fix/patch.js";
import { isInside } from "../../src/fix/source.js";
import { applyPatches } from "../../src/fix/write.js";
import { InputError } from "../../src/plan/types.js";
import { failed, model, tempDir, writeFiles } from "../fix/helpers.js";

const TF = `resource "aws_s3_bucket_public_access_block" "b" {\n  block_public_acls = false\n}\n`;
const base = tempDir("plangate-paths-");
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

const root = path.join(base, "repo", "env");
const outsideFiles: Record<string, string> = {
  "main.tf": TF,
  "outside/main.tf": TF,
  "outside/mod/main.tf": TF,
  "repo/main.tf": TF,
  "repo/modules/b/main.tf": TF,
};
writeFiles(base, outsideFiles);
writeFiles(root, { "main.tf": TF, "modules/b/main.tf": TF, "modules/b/sub/main.tf": TF });
// Links inside the root that lead out of it: a directory and a file.
fs.symlinkSync(path.join(base, "outside"), path.join(root, "link-out"));
fs.mkdirSync(path.join(root, "modules", "c"));
fs.symlinkSync(path.join(base, "outside", "main.tf"), path.join(root, "modules", "c", "main.tf"));
// And one inside, which is fine to follow.
fs.symlinkSync(path.join(root, "modules", "b"), path.join(root, "link-in"));

function snapshotOutside(): Record<string, string> {
  return Object.fromEntries(
    Object.keys(outsideFiles).map((f) => [f, fs.readFileSync(path.join(base, f), "utf8")]),
  );
}

const PAB = "module.b.aws_s3_bucket_public_access_block.b";
const result = failed("pab", PAB, [
  {
    kind: "attribute",
    address: PAB,
    path: ["block_public_acls"],
    actual: { state: "known", value: false },
    expected: { op: "equals", value: true },
  },
]);

/** The patch plan for the failing block of module.b when the plan says `source = src`. */
function planFor(src: string): ReturnType<typeof planPatches> {
  const res = {
    address: PAB,
    type: "aws_s3_bucket_public_access_block",
    name: "b",
    after: { block_public_acls: false },
  };
  const m = model([res], { b: src });
  return planPatches(mergeFixes(deriveFixes([result], m)), m, root, nodeSourceFs);
}

const segment = fc.constantFrom(
  "..",
  ".",
  "modules",
  "b",
  "c",
  "sub",
  "link-out",
  "link-in",
  "mod",
  "outside",
  "repo",
  "env",
  "",
  "x",
);
const prefix = fc.constantFrom(
  "./",
  "../",
  "",
  "/",
  `${base}/`,
  `${root}/`,
  "C:\\",
  "~/",
  "git::./",
  ".\\",
  "..\\",
);
const source = fc.tuple(prefix, fc.array(segment, { maxLength: 6 })).map(([p, segs]) => p + segs.join("/"));

describe("fix --write never leaves --source-dir", () => {
  it("any module source (fast-check, seed 515): planned files inside the root, no byte outside changes", () => {
    const before = snapshotOutside();
    const realRoot = fs.realpathSync(root);
    let written = 0;
    let refused = 0;
    fc.assert(
      fc.property(source, (src) => {
        const plan = planFor(src);
        for (const f of plan.files)
          expect(isInside(realRoot, fs.realpathSync(f.path)), `${src} -> ${f.path}`).toBe(true);
        if (plan.files.length === 0) refused++;
        try {
          written += applyPatches(plan.files, root).length;
        } catch (err) {
          expect(err).toBeInstanceOf(InputError);
        }
        expect(snapshotOutside(), src).toEqual(before);
        // Put the root back for the next run.
        writeFiles(root, { "main.tf": TF, "modules/b/main.tf": TF, "modules/b/sub/main.tf": TF });
      }),
      { numRuns: 300, seed: 515 },
    );
    // Both outcomes happen: local sources inside the root are written, the rest refused.
    expect(written).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(50);
  });

  it("the named escapes are refused with a reason", () => {
    for (const src of ["../../..", "../..", "./link-out", "./link-out/mod", "./modules/c", base, "/etc"]) {
      const plan = planFor(src);
      expect(plan.files, src).toEqual([]);
      expect([...plan.refused, ...plan.notes].join("\n"), src).toMatch(
        /leaves --source-dir|absolute module source|not found|symlink|no block/i,
      );
    }
  });
});
