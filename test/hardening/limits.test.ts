/**
 * Depth and size limits: a 10,000-deep JSON value, a plan over the size JSON.parse can hold (with
 * the limit lowered by an option: allocating 512 MiB in a test is not an option), a YAML alias
 * bomb, a 1 MB regex in a pack. Each gives a clear one-line error within seconds, in bounded memory.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse.js";
import { parseYamlWithPositions } from "../../src/packtest/positions.js";
import { readPlanInput } from "../../src/plan/read.js";
import { InputError } from "../../src/plan/types.js";
import { parsePackText } from "../../src/policy/source.js";
import {
  findTooDeep,
  JsonLimitError,
  MAX_JSON_DEPTH,
  MAX_STRING_CHARS,
  parseJsonBounded,
} from "../../src/safety/json.js";
import { classify, compileText, gate, modelFromBytes, packWith, policyPlan } from "./pipeline.js";

const deepArray = (d: number): string => "[".repeat(d) + "]".repeat(d);
const deepObject = (d: number): string => '{"a":'.repeat(d) + "1" + "}".repeat(d);

function planWith(value: string): Buffer {
  return Buffer.from(
    `{"format_version":"1.2","resource_changes":[{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["create"],"before":null,"after":{"bucket":"b","tags":${value}},"after_unknown":{"tags":${value}},"after_sensitive":{"tags":${value}}}}]}`,
  );
}

/** Time and heap growth of `f` (heap is approximate: it shows an explosion, not a byte count). */
function measure<T>(f: () => T): { value: T; ms: number; heapMb: number } {
  const before = process.memoryUsage().heapUsed;
  const t = performance.now();
  const value = f();
  return { value, ms: performance.now() - t, heapMb: (process.memoryUsage().heapUsed - before) / 2 ** 20 };
}

describe("bounded JSON (src/safety/json.ts)", () => {
  it("states the real limits", () => {
    expect(MAX_STRING_CHARS).toBe(2 ** 29 - 24);
    expect(MAX_JSON_DEPTH).toBe(1000);
  });

  it("agrees with JSON.parse on every value within the depth limit", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        const text = JSON.stringify(v);
        expect(parseJsonBounded(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300, seed: 9 },
    );
  });

  it("counts brackets inside strings as text, escaped quotes included", () => {
    const s = JSON.stringify({ a: '[[[[{{{{\\"[[[[' });
    expect(findTooDeep(s, 1)).toBe(-1);
    expect(findTooDeep(`[${s}]`, 1)).toBe(1);
  });

  it("refuses 10,000-deep arrays and objects with the position, in milliseconds", () => {
    for (const text of [deepArray(10_000), deepObject(10_000)]) {
      const { value: err, ms } = measure(() => {
        try {
          parseJsonBounded(text);
          return undefined;
        } catch (e) {
          return e;
        }
      });
      expect(err).toBeInstanceOf(JsonLimitError);
      expect((err as JsonLimitError).index).toBeGreaterThan(0);
      expect(ms).toBeLessThan(1_000);
    }
  });

  it("refuses text over the size limit before parsing", () => {
    expect(() => parseJsonBounded('{"a":"xxxxxxxxxx"}', { maxChars: 10 })).toThrow(
      /over the limit of 10 bytes/,
    );
  });
});

describe("plans", () => {
  it("a plan holding a 10,000-deep value: one line with file:line:column, not a stack overflow", () => {
    // Regression: before the bounded parse, buildPlanModel died with RangeError in maskPaths.
    for (const value of [deepArray(10_000), deepObject(10_000)]) {
      const { value: out, ms } = measure(() => classify(() => modelFromBytes(planWith(value), "deep.json")));
      expect(out.kind).toBe("input-error");
      if (out.kind === "input-error")
        expect(out.line).toMatch(/^deep\.json:1:\d+: JSON nested deeper than 1000 levels \(at byte \d+\)$/);
      expect(ms).toBeLessThan(2_000);
    }
  });

  it("a plan 1,000 levels deep (at the limit) still goes through the model", () => {
    const out = classify(() => modelFromBytes(planWith(deepObject(990)), "deep.json"));
    expect(out.kind).toBe("ok");
  });

  it("a plan over the size limit (lowered by option) is refused with its size", () => {
    const bytes = planWith('"' + "x".repeat(100_000) + '"');
    const out = classify(() => modelFromBytes(bytes, "big.json", { maxChars: 64 * 1024 }));
    expect(out).toEqual({
      kind: "input-error",
      line: expect.stringMatching(
        /^big\.json:1:1: the JSON text is \d+\.\d KiB, over the limit of 64 KiB \(at byte 0\)$/,
      ),
    });
  });
});

describe("plans built to be quadratic", () => {
  it("4,000 resources sharing one name: bounded links, the gate in seconds", () => {
    // Regression: 2,000 buckets + 2,000 versionings all named "same" made 4 million value links;
    // the JSON reporter then died with "Invalid string length" after 76 s.
    const rc: Record<string, unknown>[] = [];
    for (let i = 0; i < 2000; i++) {
      for (const [type, name, after] of [
        ["aws_s3_bucket", `b${i}`, { bucket: "same" }],
        [
          "aws_s3_bucket_versioning",
          `v${i}`,
          { bucket: "same", versioning_configuration: [{ status: "Enabled" }] },
        ],
      ] as const) {
        const change = { actions: ["create"], before: null, after, after_unknown: {}, after_sensitive: {} };
        rc.push({
          address: `${type}.${name}`,
          mode: "managed",
          type,
          name,
          provider_name: "registry.terraform.io/hashicorp/aws",
          change,
        });
      }
    }
    const { value: out, ms } = measure(() =>
      classify(() =>
        gate(modelFromBytes(Buffer.from(JSON.stringify({ format_version: "1.2", resource_changes: rc })))),
      ),
    );
    expect(out.kind).toBe("ok");
    expect(ms).toBeLessThan(20_000);
    if (out.kind === "ok") expect(out.value.report.plans[0]?.resources).toBe(4000);
  });
});

describe("plans built to be quadratic (references)", () => {
  /** `count = n` buckets and versionings, each versioning referring to the whole bucket resource. */
  function fanOutPlan(n: number): Buffer {
    const rc: Record<string, unknown>[] = [];
    for (let i = 0; i < n; i++) {
      for (const [type, name, after] of [
        ["aws_s3_bucket", "b", { bucket: `b${i}` }],
        ["aws_s3_bucket_versioning", "v", { versioning_configuration: [{ status: "Enabled" }] }],
      ] as const) {
        const change = { actions: ["create"], before: null, after, after_unknown: {}, after_sensitive: {} };
        rc.push({
          address: `${type}.${name}[${i}]`,
          mode: "managed",
          type,
          name,
          index: i,
          provider_name: "registry.terraform.io/hashicorp/aws",
          change,
        });
      }
    }
    const count = { constant_value: n };
    const resources = [
      {
        address: "aws_s3_bucket.b",
        mode: "managed",
        type: "aws_s3_bucket",
        name: "b",
        expressions: {},
        count_expression: count,
      },
      {
        address: "aws_s3_bucket_versioning.v",
        mode: "managed",
        type: "aws_s3_bucket_versioning",
        name: "v",
        expressions: { bucket: { references: ["aws_s3_bucket.b"] } },
        count_expression: count,
      },
    ];
    return Buffer.from(
      JSON.stringify({
        format_version: "1.2",
        resource_changes: rc,
        configuration: { root_module: { resources } },
      }),
    );
  }

  it("1,000 x 1,000 reference links: one error line, early", () => {
    // Regression: every versioning linked to every bucket (1 million links); a rule then reported
    // 1,000 violations per bucket and the reporters died with "Invalid string length" after 35 s.
    const { value: out, ms } = measure(() =>
      classify(() => gate(modelFromBytes(fanOutPlan(1000), "dense.json"))),
    );
    expect(out).toEqual({
      kind: "input-error",
      line: expect.stringMatching(
        /^dense\.json: the plan's references make more than 200000 links between 2000 resources/,
      ),
    });
    expect(ms).toBeLessThan(10_000);
  });

  it("100 x 100 still goes through", () => {
    expect(classify(() => gate(modelFromBytes(fanOutPlan(100)))).kind).toBe("ok");
  });
});

describe("JSON documents inside plan strings (IAM policies)", () => {
  it("a policy string 10,000 levels deep: results, not a stack overflow", () => {
    // Regression: Condition / Resource / Principal nested 10,000 deep inside `policy` threw
    // RangeError from the policy-document walkers (the plan's own depth check sees a string).
    const deep = `${"[".repeat(10_000)}"x"${"]".repeat(10_000)}`;
    const policies = [
      `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":${deep}}}}]}`,
      `{"Statement":[{"Effect":"Allow","Action":"*","Resource":${deep}}]}`,
      `{"Statement":[{"Effect":"Allow","Action":"*","Principal":{"AWS":${deep}}}]}`,
    ];
    for (const policy of policies) {
      const { value: out, ms } = measure(() => classify(() => gate(modelFromBytes(policyPlan(policy)))));
      expect(out.kind).toBe("ok");
      expect(ms).toBeLessThan(3_000);
    }
  });
});

describe("readPlanInput limits (files, stdin)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plangate-limits-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("a file over maxBytes is refused before it is read", async () => {
    const f = path.join(dir, "big.json");
    fs.writeFileSync(f, planWith(`"${"x".repeat(300_000)}"`));
    const err = await readPlanInput(f, { maxBytes: 256 * 1024 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).oneLine()).toMatch(/the plan is 879\.\d KiB, over the limit of 256 KiB$/);
  });

  it("an endless stdin stops at maxBytes: bounded memory, no hang", async () => {
    let produced = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const endless = new Readable({
      read() {
        produced += chunk.length;
        this.push(chunk);
      },
    });
    const t = performance.now();
    const err = await readPlanInput("-", { stdin: endless, maxBytes: 4 * 2 ** 20 }).catch((e: unknown) => e);
    expect(performance.now() - t).toBeLessThan(2_000);
    expect((err as InputError).oneLine()).toMatch(
      /^<stdin>: the plan is 4\.1 MiB, over the limit of 4 MiB \(read so far\)$/,
    );
    expect(produced).toBeLessThan(8 * 2 ** 20);
  });

  it("maxDepth is an option too", async () => {
    const f = path.join(dir, "deep.json");
    fs.writeFileSync(f, planWith(deepArray(20)));
    const err = await readPlanInput(f, { maxDepth: 10 }).catch((e: unknown) => e);
    expect((err as InputError).oneLine()).toMatch(/deep\.json:1:\d+: JSON nested deeper than 10 levels/);
  });
});

describe("packs and config (YAML)", () => {
  const bomb = [
    "a: &a [x, x, x, x, x, x, x, x, x, x]",
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
    "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]",
    "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]",
    "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]",
    "i: [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]",
  ].join("\n");

  it("a YAML alias bomb (10^9 nodes) in a pack: an error within a second, bounded memory", () => {
    const { value: out, ms, heapMb } = measure(() => classify(() => compileText(bomb, "bomb.yaml")));
    expect(out.kind).toBe("input-error");
    if (out.kind === "input-error") expect(out.line).toMatch(/^bomb\.yaml:\d+:\d+: .*(alias|expan)/i);
    expect(ms).toBeLessThan(1_000);
    expect(heapMb).toBeLessThan(100);
  });

  it("the same bomb as a config file", () => {
    const { value: err, ms } = measure(() => {
      try {
        parseConfig(bomb, ".plangate.yaml", "/tmp");
        return undefined;
      } catch (e) {
        return e;
      }
    });
    expect(err).toBeInstanceOf(InputError);
    expect(ms).toBeLessThan(1_000);
  });

  it("the same bomb and a 10,000-deep value as a pack test file (plangate test)", () => {
    for (const text of [bomb, `x: ${deepArray(10_000)}\n`]) {
      const { value: err, ms } = measure(() => {
        try {
          parseYamlWithPositions(text, "p.test.yaml");
          return undefined;
        } catch (e) {
          return e;
        }
      });
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).oneLine()).toMatch(/^p\.test\.yaml:\d+:\d+: /);
      expect(ms).toBeLessThan(2_000);
    }
  });

  it("a 10,000-deep YAML value (flow or block) or config: one clear error, not a stack overflow", () => {
    const block = `x:\n${Array.from({ length: 3000 }, (_, i) => `${" ".repeat(i + 1)}- `).join("\n")}a\n`;
    for (const text of [`x: ${deepArray(10_000)}\n`, `{"a": ${deepObject(10_000)}}`, block]) {
      const src = parsePackText(text, "deep.yaml", "yaml");
      expect(src.diagnostics).toHaveLength(1);
      expect(src.diagnostics[0]?.message).toMatch(/^nested too deeply/);
      expect(() => parseConfig(text, ".plangate.yaml", "/tmp")).toThrow(/nested too deeply/);
    }
  });

  it("a 1 MB regex in a pack: refused at compile time within a second", () => {
    const pack = packWith(
      `{ attribute: bucket, matches: ${JSON.stringify(`^(${"a|".repeat(500_000)}b)$`)} }`,
      "big-regex",
    );
    expect(pack.length).toBeGreaterThan(1_000_000);
    const { value: out, ms } = measure(() => classify(() => compileText(pack, "big-regex.yaml")));
    expect(out.kind).toBe("input-error");
    if (out.kind === "input-error") expect(out.line).toMatch(/^big-regex\.yaml:10:\d+: .*(long|length)/i);
    expect(ms).toBeLessThan(1_000);
  });
});
