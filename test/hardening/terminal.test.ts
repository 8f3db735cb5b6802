/**
 * Control characters from plans and packs never reach a terminal, a CI log or a PR comment raw:
 * no `ESC[2K` / `\r` to rewrite a line, no OSC 8 links or OSC 52 clipboard writes, no bidi
 * overrides. Every format of the registry, `inspect`, and error lines print them as `\uXXXX`.
 * Only the reporters' own colour sequences (with --color) carry an ESC.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FORMATS, render } from "../../src/report/index.js";
import { hasUnprintable, printable, printableJson, printableOutput } from "../../src/safety/text.js";
import { classify, compileText, gate, modelFromBytes, packWith } from "./pipeline.js";

const CONTROLS = [
  "\u001b[2K",
  "\r",
  "\u001b]8;;http://evil\u0007",
  "\u001b]52;c;cHduZWQ=\u0007",
  "\u009b31m",
  "\u202e",
  "\u2066",
  "\u2028",
  "\u0000",
  "\u007f",
  "\b",
];
const hostile = fc
  .array(fc.oneof(fc.constantFrom(...CONTROLS), fc.string({ maxLength: 5 })), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(""));

const SGR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** A YAML double-quoted scalar with every non-ASCII character escaped (YAML refuses raw C1). */
function yamlQuoted(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** A plan that holds `text` in values, keys, a for_each key, a module source and the version; `bad` adds an unparsable address. */
function planWith(text: string, bad: boolean): Buffer {
  const after = { bucket: text, tags: { [text]: text }, acl: text };
  const rc = [
    { address: `aws_s3_bucket.b[${JSON.stringify(text)}]`, index: text, name: "b" },
    ...(bad ? [{ address: `aws_s3_bucket.${text}`, name: text }] : []),
  ].map((r) => ({
    ...r,
    mode: "managed",
    type: "aws_s3_bucket",
    provider_name: "registry.terraform.io/hashicorp/aws",
    change: { actions: ["create"], before: null, after, after_unknown: {}, after_sensitive: {} },
  }));
  const configuration = { root_module: { module_calls: { m: { source: text, module: {} } } } };
  return Buffer.from(
    JSON.stringify({ format_version: "1.2", terraform_version: text, resource_changes: rc, configuration }),
  );
}

describe("printable", () => {
  it("escapes every control, keeps text, newlines, tabs and the reporters' colours", () => {
    expect(printable("a\u001b[2Kb\r\n\tc\u202e")).toBe("a\\u001b[2Kb\\u000d\n\tc\\u202e");
    expect(printableOutput("\u001b[31mFAIL\u001b[0m \u001b[8mhidden\u001b[0m \u001b[30mblack")).toBe(
      "\u001b[31mFAIL\u001b[0m \\u001b[8mhidden\u001b[0m \\u001b[30mblack",
    );
  });
  it("printableJson: on JSON.stringify's text, the same as printableOutput (and ASCII as it is)", () => {
    const ascii = JSON.stringify({ a: "plain text", b: [1, 2] });
    expect(printableJson(ascii)).toBe(ascii);
    expect(printableJson(JSON.stringify("é 日本 🙂"))).toBe(JSON.stringify("é 日本 🙂"));
    fc.assert(
      fc.property(fc.array(fc.oneof(hostile, fc.string()), { maxLength: 4 }), (parts) => {
        const json = JSON.stringify(parts);
        const out = printableJson(json);
        expect(out).toBe(printableOutput(json));
        expect(hasUnprintable(out)).toBe(false);
        // Still JSON, with the same values.
        expect(JSON.parse(out)).toEqual(parts);
      }),
      { seed: 1337, numRuns: 500 },
    );
  });
});

describe("plans and packs with control characters (fast-check, seed 1337)", () => {
  it("no output, error line or colourless byte carries one", () => {
    const kinds = { ok: 0, "input-error": 0 };
    fc.assert(
      fc.property(hostile, fc.boolean(), (text, bad) => {
        const pack = compileText(
          packWith(`{ attribute: bucket, in: [a, b] }`).replace("title: t", `title: ${yamlQuoted(text)}`),
          "p.yaml",
        );
        const out = classify(() => gate(modelFromBytes(planWith(text, bad), `plan${text}.json`), [pack]));
        kinds[out.kind]++;
        if (out.kind === "input-error") {
          expect(hasUnprintable(out.line), JSON.stringify(out.line)).toBe(false);
          return;
        }
        for (const [format, o] of Object.entries(out.value.outputs)) {
          if (format.startsWith("inspect")) expect(hasUnprintable(printableOutput(o))).toBe(false);
          else expect(hasUnprintable(o), `${format}: ${JSON.stringify(o.slice(0, 200))}`).toBe(false);
        }
        for (const f of FORMATS) {
          // With colour, the only ESC left opens one of the reporters' own sequences.
          const coloured = render(f, out.value.report, { color: true });
          expect(coloured.replaceAll(SGR, "").includes("\u001b")).toBe(false);
        }
      }),
      { numRuns: 60, seed: 1337 },
    );
    expect(kinds.ok).toBeGreaterThan(10);
    expect(kinds["input-error"]).toBeGreaterThan(2);
  });
});
