// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` is Terraform interpolation syntax under test, not a JS template.
/** The reader takes untrusted files: it ends, and fails only with InputError, on any input. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildModelFromTerraformJson } from "../../src/plan/tfjson.js";
import { extractReferences, parseTemplate } from "../../src/plan/tfjson-expr.js";
import { locateTerraformJsonBlocks } from "../../src/plan/tfjson-locate.js";
import { InputError } from "../../src/plan/types.js";

const templateChars = fc.constantFrom(
  "$",
  "{",
  "}",
  "%",
  '"',
  "\\",
  ".",
  "[",
  "]",
  "a",
  "_",
  "0",
  " ",
  "(",
  ")",
);
const template = fc.array(templateChars, { maxLength: 40 }).map((cs) => cs.join(""));

describe("fuzz", () => {
  it("parseTemplate and extractReferences end on any text", () => {
    fc.assert(
      fc.property(fc.oneof(template, fc.string()), (s) => {
        const t = parseTemplate(s);
        expect(["literal", "interpolated"]).toContain(t.kind);
        expect(Array.isArray(extractReferences(s))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("buildModelFromTerraformJson returns a model or throws InputError", () => {
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: "small" },
        fc.constantFrom(null, true, 1, "x", "${aws_s3_bucket.b.id}", "${var.x}", "$${x}"),
        fc.array(tie("v"), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom("a", "b", "//", "count", "${k}", "dynamic", "tags"), tie("v"), {
          maxKeys: 3,
        }),
      ),
    })).v;
    const doc = fc.dictionary(
      fc.constantFrom("resource", "data", "module", "output", "terraform", "locals", "//"),
      fc.oneof(
        value,
        fc.dictionary(
          fc.constantFrom("aws_s3_bucket", "aws_x"),
          fc.dictionary(fc.constantFrom("a", "b"), value),
        ),
      ),
      { maxKeys: 4 },
    );
    fc.assert(
      fc.property(doc, (d) => {
        try {
          const m = buildModelFromTerraformJson([{ file: "f.tf.json", doc: d }]);
          expect(m.source).toBe("configuration");
        } catch (err) {
          expect(err).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("locateTerraformJsonBlocks ends on any JSON text", () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(locateTerraformJsonBlocks(text)).toBeInstanceOf(Map);
      }),
      { numRuns: 500 },
    );
  });
});
