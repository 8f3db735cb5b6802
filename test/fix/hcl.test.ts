import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bodyFromValue, escapeHclString, printBlock, printValue } from "../../src/fix/hcl.js";
import { fmtClean, fmtDiff } from "./helpers.js";

describe("escapeHclString", () => {
  it("escapes quotes, backslashes, control characters and template openers", () => {
    expect(escapeHclString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(escapeHclString("line\nnext\ttab\r")).toBe('"line\\nnext\\ttab\\r"');
    expect(escapeHclString("${var.x} and %{if}")).toBe('"$${var.x} and %%{if}"');
    expect(escapeHclString("$ alone, % alone, {braces}")).toBe('"$ alone, % alone, {braces}"');
    expect(escapeHclString("\u0001\u007f")).toBe('"\\u0001\\u007f"');
  });

  it("round-trips through terraform: the escaped literal evaluates to the original string", () => {
    // `terraform fmt` parses the file: an escaping mistake is a syntax error there.
    const samples = ['q"uote', "back\\slash", "${interp}", "%{ directive }", "new\nline", "tab\t", "uni ✓"];
    const text = samples.map((s, i) => `locals {\n  v${i} = ${escapeHclString(s)}\n}\n`).join("\n");
    expect(fmtClean(text), fmtDiff(text)).toBe(true);
  });

  it("strings with nothing to escape are quoted as the escaping loop would quote them (property)", () => {
    // A trailing newline always takes the character-by-character path; without it, most strings
    // take the shortcut. Both must agree on the part before the newline.
    const chars = fc.constantFrom(
      "a",
      "Z",
      "0",
      "_",
      ".",
      "/",
      "*",
      "$",
      "%",
      "{",
      "}",
      " ",
      "✓",
      '"',
      "\\",
      "\t",
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(chars).map((cs) => cs.join("")),
        ),
        (s) => {
          expect(escapeHclString(s)).toBe(`${escapeHclString(`${s}\n`).slice(0, -3)}"`);
        },
      ),
    );
  });

  it("never leaves an unescaped quote or template opener (property)", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const inner = escapeHclString(s).slice(1, -1);
        // Escapes and doubled openers, left to right, each to one inert character (removing them
        // joined their neighbours: `$\\{`, an escaped backslash between `$` and `{`, read as `${`),
        // then no bare quote, no `${`/`%{` that is not doubled.
        const stripped = inner.replace(/\\.|\$\$\{|%%\{/g, "_");
        expect(stripped).not.toMatch(/["\n\r]|\$\{|%\{/);
      }),
      // The input that once failed: `$`, a backslash, `{`.
      { examples: [["$\\{"]] },
    );
  });
});

describe("printValue / printBlock", () => {
  it("prints scalars, lists and maps", () => {
    expect(printValue(null)).toBe("null");
    expect(printValue(true)).toBe("true");
    expect(printValue(30)).toBe("30");
    expect(printValue(["a", 1])).toBe('["a", 1]');
    expect(printValue({ Name: "x", "Data Class": "y" }, 1)).toBe(
      '{\n    "Data Class" = "y"\n    Name         = "x"\n  }'.replace(
        '"Data Class" = "y"\n    Name         = "x"',
        'Name         = "x"\n    "Data Class" = "y"',
      ),
    );
  });

  it("prints nested blocks as blocks and output is fmt-clean", () => {
    const body = bodyFromValue({
      bucket: "b",
      expected_bucket_owner: "123",
      tags: { Name: "n", Environment: "prod" },
      rule: [
        {
          apply_server_side_encryption_by_default: [{ sse_algorithm: "aws:kms", kms_master_key_id: "arn" }],
          bucket_key_enabled: true,
        },
      ],
      list: [{ a: 1 }, { b: [1, 2] }],
    });
    const text = `${printBlock("resource", ["aws_x", "y"], body, 0).join("\n")}\n`;
    expect(text).toContain("  rule {\n");
    expect(text).toContain("    apply_server_side_encryption_by_default {\n");
    expect(fmtClean(text), fmtDiff(text)).toBe(true);
  });

  it("aligns = in runs of single-line attributes like terraform fmt", () => {
    const body = bodyFromValue({ a: 1, long_name: "x", m: { k: 1 }, z: [1], zz: true });
    const text = `${printBlock("resource", ["t", "n"], body, 0).join("\n")}\n`;
    expect(fmtClean(text), fmtDiff(text)).toBe(true);
  });
});
