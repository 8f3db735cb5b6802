import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { defaultSchemaDir, loadSchemaIndex } from "../../src/policy/provider-schema/index.js";
import { formatJson } from "../../src/policy/provider-schema/json-format.js";
import { CORPUS_PLANS, readJson } from "./helpers.js";

interface Change {
  readonly address: string;
  readonly type: string;
  readonly mode: string;
  readonly change: { readonly before?: unknown; readonly after?: unknown };
}

describe("planned-values JSON Schemas against real plans", () => {
  const ajv = new Ajv({ allErrors: true, strict: true });
  const index = loadSchemaIndex();
  const validators = new Map<string, ReturnType<Ajv["compile"]>>();
  const validatorFor = (type: string, mode: string) => {
    const path = join(
      defaultSchemaDir(),
      type.split("_")[0]!,
      mode === "data" ? "data" : "",
      `${type}.values.schema.json`,
    );
    let validate = validators.get(path);
    if (!validate) {
      validate = ajv.compile(JSON.parse(readFileSync(path, "utf8")));
      validators.set(path, validate);
    }
    return validate;
  };

  test("every before/after of a shipped type in the corpus validates (blocks as arrays, single blocks as objects)", () => {
    const failures: string[] = [];
    let checked = 0;
    for (const file of readdirSync(CORPUS_PLANS).filter((f) => f.endsWith(".json"))) {
      let plan: { resource_changes?: Change[] };
      try {
        plan = readJson(join(CORPUS_PLANS, file)) as typeof plan;
      } catch {
        continue; // a UTF-16 plan: the plan reader's concern, not this test's
      }
      for (const rc of plan.resource_changes ?? []) {
        const mode = rc.mode === "data" ? "data" : "managed";
        if (rc.mode === "ephemeral" || !index.resourceSchema(rc.type, mode)) continue;
        const validate = validatorFor(rc.type, rc.mode);
        for (const side of ["before", "after"] as const) {
          const value = rc.change[side];
          if (value === null || value === undefined) continue;
          checked++;
          if (!validate(value))
            failures.push(`${file} ${rc.address} ${side}: ${ajv.errorsText(validate.errors)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    // The corpus holds a few hundred AWS values; a much smaller count means the walk broke.
    expect(checked).toBeGreaterThan(300);
  });

  test("a list block given as an object is rejected", () => {
    const validate = validatorFor("aws_s3_bucket_versioning", "managed");
    expect(validate({ bucket: "b", versioning_configuration: [{ status: "Enabled" }] })).toBe(true);
    expect(validate({ bucket: "b", versioning_configuration: { status: "Enabled" } })).toBe(false);
    expect(validate({ bucket: "b", versioning_configuration: [{ status: 1 }] })).toBe(false);
    expect(validate({ bucket: null, versioning_configuration: null })).toBe(true);
    expect(validate({ bucket: "b", not_an_attribute: true })).toBe(false);
  });
});

describe("formatJson", () => {
  test("round-trips any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(formatJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 200 },
    );
  });

  test("lays arrays out on one line when they fit and hold no object", () => {
    expect(formatJson({ a: ["list", "string"], b: [{ c: 1 }], d: {}, e: [] })).toBe(
      '{\n  "a": ["list", "string"],\n  "b": [\n    {\n      "c": 1\n    }\n  ],\n  "d": {},\n  "e": []\n}\n',
    );
    const long = Array.from({ length: 20 }, (_, i) => `element_${i}`);
    expect(formatJson({ long }).split("\n")).toHaveLength(long.length + 5);
  });
});
