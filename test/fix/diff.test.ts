import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lineReplacements, unifiedDiff } from "../../src/fix/diff.js";
import { tempDir } from "./helpers.js";

/** Apply a diff with git in a fresh repository; returns the resulting file text. */
function gitApply(before: string, diff: string): string {
  const dir = tempDir("plangate-diff-");
  try {
    execFileSync("git", ["init", "-q"], { cwd: dir });
    fs.writeFileSync(path.join(dir, "main.tf"), before);
    fs.writeFileSync(path.join(dir, "x.patch"), diff);
    execFileSync("git", ["apply", "x.patch"], { cwd: dir, stdio: "pipe" });
    return fs.readFileSync(path.join(dir, "main.tf"), "utf8");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("unifiedDiff", () => {
  it("is empty for equal texts", () => {
    expect(unifiedDiff("main.tf", "a\n", "a\n")).toBe("");
  });

  it("deletions come before insertions in a hunk", () => {
    const d = unifiedDiff("main.tf", "a\nb\nc\n", "a\nB\nc\n");
    expect(d).toBe(
      "diff --git a/main.tf b/main.tf\n--- a/main.tf\n+++ b/main.tf\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n",
    );
  });

  it("handles a missing final newline on either side", () => {
    for (const [a, b] of [
      ["x\ny", "x\ny\n"],
      ["x\ny\n", "x\ny"],
      ["x\ny", "x\nz"],
      ["", "new\n"],
    ] as const) {
      expect(gitApply(a, unifiedDiff("main.tf", a, b)), JSON.stringify([a, b])).toBe(b);
    }
  });

  it("git apply turns before into after, for random edits (property, git as the oracle)", () => {
    const line = fc.constantFrom("a", "b", "", "  x = 1", "}", "resource {", " ");
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(40), fc.nat(3), fc.array(line, { maxLength: 3 })), { maxLength: 4 }),
        (lines, edits) => {
          const after = [...lines];
          for (const [at, del, ins] of edits) after.splice(Math.min(at, after.length), del, ...ins);
          const a = lines.length ? `${lines.join("\n")}\n` : "";
          const b = after.length ? `${after.join("\n")}\n` : "";
          if (a === "" || a === b) return;
          expect(gitApply(a, unifiedDiff("main.tf", a, b))).toBe(b);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("lineReplacements (GitHub suggestion blocks)", () => {
  const apply = (before: string, reps: ReturnType<typeof lineReplacements>): string => {
    const lines = before.split("\n");
    for (const r of [...reps].reverse())
      lines.splice(r.startLine - 1, r.endLine - r.startLine + 1, ...r.lines);
    return lines.join("\n");
  };

  it("replacing the covered lines gives the new text; insertions are anchored on an existing line", () => {
    const before = "a\nb\nc\nd\n";
    for (const after of [
      "a\nB\nc\nd\n",
      "a\nb\nnew\nc\nd\n",
      "top\na\nb\nc\nd\n",
      "a\nd\n",
      "a\nb\nc\nd\nend\n",
    ]) {
      const reps = lineReplacements(before, after);
      expect(reps.every((r) => r.endLine >= r.startLine)).toBe(true);
      expect(apply(before, reps), after).toBe(after);
    }
  });
});
