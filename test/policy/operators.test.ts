import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/engine/evaluate.js";
import type { RuleResult } from "../../src/engine/types.js";
import type { JsonObject } from "../../src/plan/types.js";
import { type FixtureResource, packOf, planModel, ruleYaml } from "./plan-fixture.js";

/** Evaluate one `require` on one bucket; returns the single result. */
function run(require: string, bucket: Partial<FixtureResource> = {}): RuleResult {
  const pack = packOf(ruleYaml("aws_s3_bucket", require));
  const model = planModel([{ address: "aws_s3_bucket.b", ...bucket }]);
  const results = evaluate(model, [pack]);
  expect(results).toHaveLength(1);
  return results[0] as RuleResult;
}

const known = (after: JsonObject): Partial<FixtureResource> => ({ after });
const unknown = (after: JsonObject, afterUnknown: JsonObject): Partial<FixtureResource> => ({
  after,
  afterUnknown,
});

describe("attribute operators: pass / fail / unknown", () => {
  // [operator YAML, passing values, failing values]; the unknown case marks `v` unknown.
  const cases: [string, JsonObject, JsonObject][] = [
    ["equals: x", { v: "x" }, { v: "y" }],
    ["equals: { a: [1, 2] }", { v: { a: [1, 2] } }, { v: { a: [2, 1] } }],
    ["notEquals: x", { v: "y" }, { v: "x" }],
    ["in: [a, b]", { v: "b" }, { v: "c" }],
    ["notIn: [a, b]", { v: "c" }, { v: "a" }],
    ["exists: true", { v: false }, { v: null }],
    ["absent: true", {}, { v: "" }],
    ["matches: '^arn:aws:kms:'", { v: "arn:aws:kms:eu-west-1:1:key/x" }, { v: "alias/x" }],
    ["notMatches: '^public'", { v: "private" }, { v: "public-read" }],
    ["contains: b", { v: ["a", "b"] }, { v: ["a"] }],
    ["contains: Name", { v: { Name: "x" } }, { v: { Owner: "x" } }],
    ["contains: kms", { v: "aws:kms" }, { v: "AES256" }],
    ["greaterThan: 30", { v: 31 }, { v: 30 }],
    ["greaterThanOrEqual: 30", { v: 30 }, { v: 29 }],
    ["lessThan: 5", { v: 4 }, { v: 5 }],
    ["lessThanOrEqual: 5", { v: 5 }, { v: 6 }],
    ["length: { greaterThan: 0 }", { v: ["a"] }, { v: [] }],
    ["length: { equals: 2 }", { v: { a: 1, b: 2 } }, { v: "abc" }],
  ];
  for (const [op, pass, fail] of cases) {
    it(op, () => {
      const require = `attribute: v\n${op}`;
      expect(run(require, known(pass)).status).toBe("pass");
      const failed = run(require, known(fail));
      expect(failed.status).toBe("fail");
      expect(failed.violations[0]).toMatchObject({
        kind: "attribute",
        address: "aws_s3_bucket.b",
        path: ["v"],
      });
      const u = run(require, unknown({}, { v: true }));
      expect(u.status).toBe("unknown");
      expect(u.unknowns).toEqual([{ address: "aws_s3_bucket.b", path: ["v"] }]);
    });
  }

  it("absent values: equals / in / matches / numbers fail, notEquals / notIn / notMatches / absent pass, length is 0", () => {
    expect(run("attribute: v\nequals: x").status).toBe("fail");
    expect(run("attribute: v\nin: [x]").status).toBe("fail");
    expect(run("attribute: v\nmatches: x").status).toBe("fail");
    expect(run("attribute: v\ngreaterThan: 0").status).toBe("fail");
    expect(run("attribute: v\nnotEquals: x").status).toBe("pass");
    expect(run("attribute: v\nnotIn: [x]").status).toBe("pass");
    expect(run("attribute: v\nnotMatches: x").status).toBe("pass");
    expect(run("attribute: v\nlength: { equals: 0 }").status).toBe("pass");
  });

  it("null equals absent", () => {
    expect(run("attribute: v\nabsent: true", known({ v: null })).status).toBe("pass");
    expect(run("attribute: v\nexists: true", known({ v: null })).status).toBe("fail");
  });

  it("a failure names the expected constraint and the actual value", () => {
    const r = run("attribute: v\nin: [a, b]", known({ v: "c" }));
    expect(r.violations).toEqual([
      {
        kind: "attribute",
        address: "aws_s3_bucket.b",
        path: ["v"],
        actual: { state: "known", value: "c" },
        expected: { op: "in", values: ["a", "b"] },
      },
    ]);
  });

  it("a failing attribute carries the assertion's hint", () => {
    const r = run("attribute: kms_key_id\nexists: true\nhint: Use the account's data key", known({}));
    expect(r.violations[0]).toMatchObject({ expected: { op: "exists" }, hint: "Use the account's data key" });
  });

  it("never shows a sensitive value", () => {
    const r = run("attribute: v\nequals: x", { after: { v: "hunter2" }, afterSensitive: { v: true } });
    expect(r.status).toBe("fail");
    expect(r.violations[0]).toMatchObject({ actual: { state: "sensitive" } });
    expect(JSON.stringify(r)).not.toContain("hunter2");
  });

  it("a list with unknown elements: contains passes on a known match, else unknown; length is known", () => {
    const partial = unknown({ v: ["a", null] }, { v: [false, true] });
    expect(run("attribute: v\ncontains: a", partial).status).toBe("pass");
    expect(run("attribute: v\ncontains: z", partial).status).toBe("unknown");
    expect(run("attribute: v\nlength: { equals: 2 }", partial).status).toBe("pass");
    expect(run("attribute: v\nequals: [a, b]", partial).status).toBe("unknown");
  });

  it("paths: nested blocks, quoted keys", () => {
    const after = { versioning: [{ enabled: true }], tags: { "Data Class": "pii" } };
    expect(run("attribute: versioning[0].enabled\nequals: true", known(after)).status).toBe("pass");
    expect(run('attribute: tags["Data Class"]\nequals: pii', known(after)).status).toBe("pass");
  });
});

describe("[*] paths", () => {
  const require = "attribute: rule[*].status\nequals: Enabled";
  it("every element must hold", () => {
    expect(run(require, known({ rule: [{ status: "Enabled" }, { status: "Enabled" }] })).status).toBe("pass");
    const r = run(require, known({ rule: [{ status: "Enabled" }, { status: "Disabled" }] }));
    expect(r.status).toBe("fail");
    expect(r.violations.map((v) => (v.kind === "attribute" ? v.path : []))).toEqual([["rule", 1, "status"]]);
  });
  it("an empty or absent list reads as absent (equals fails at [0], notEquals passes)", () => {
    const r = run(require, known({ rule: [] }));
    expect(r.status).toBe("fail");
    expect(r.violations[0]).toMatchObject({ path: ["rule", 0, "status"], actual: { state: "absent" } });
    expect(run("attribute: rule[*].status\nnotEquals: Disabled", known({})).status).toBe("pass");
  });
  it("an unknown list is unknown; an unknown element is unknown", () => {
    expect(run(require, unknown({}, { rule: true })).unknowns).toEqual([
      { address: "aws_s3_bucket.b", path: ["rule"] },
    ]);
    const r = run(require, unknown({ rule: [{ status: "Enabled" }, {}] }, { rule: [{}, { status: true }] }));
    expect(r.status).toBe("unknown");
    expect(r.unknowns).toEqual([{ address: "aws_s3_bucket.b", path: ["rule", 1, "status"] }]);
  });
});

describe("combinators", () => {
  const yes = "{ attribute: a, equals: 1 }";
  const no = "{ attribute: b, equals: 1 }";
  const maybe = "{ attribute: u, equals: 1 }";
  const bucket = unknown({ a: 1, b: 2 }, { u: true });
  const status = (require: string) => run(require, bucket).status;

  it("all: fails if one fails even when another is unknown; unknown beats pass", () => {
    expect(status(`all: [${yes}, ${yes}]`)).toBe("pass");
    expect(status(`all: [${yes}, ${no}]`)).toBe("fail");
    expect(status(`all: [${maybe}, ${no}]`)).toBe("fail");
    expect(status(`all: [${yes}, ${maybe}]`)).toBe("unknown");
  });
  it("any: passes if one passes even when another is unknown; else unknown; else the first branch's violations", () => {
    expect(status(`any: [${no}, ${yes}]`)).toBe("pass");
    expect(status(`any: [${maybe}, ${yes}]`)).toBe("pass");
    expect(status(`any: [${no}, ${maybe}]`)).toBe("unknown");
    const r = run(`any: [${no}, { attribute: c, equals: 2 }]`, bucket);
    expect(r.status).toBe("fail");
    expect(r.violations).toEqual([
      expect.objectContaining({ path: ["b"], expected: { op: "equals", value: 1 } }),
    ]);
    expect(run(`any: [${maybe}, ${no}]`, bucket).unknowns).toEqual([
      { address: "aws_s3_bucket.b", path: ["u"] },
    ]);
  });
  it("not: swaps pass and fail, keeps unknown, and fails with the complement expectation", () => {
    expect(status(`not: ${no}`)).toBe("pass");
    expect(status(`not: ${maybe}`)).toBe("unknown");
    const r = run(`not: ${yes}`, bucket);
    expect(r.status).toBe("fail");
    expect(r.violations[0]).toMatchObject({ path: ["a"], expected: { op: "notEquals", value: 1 } });
    expect(run("not: { attribute: t, contains: x }", known({ t: ["x"] })).violations[0]).toMatchObject({
      expected: { op: "notContains", value: "x" },
    });
    expect(run("not: { attribute: n, greaterThan: 3 }", known({})).status).toBe("pass");
    expect(run("not: { attribute: n, greaterThan: 3 }", known({ n: 4 })).violations[0]).toMatchObject({
      expected: { op: "lessThanOrEqual", value: 3 },
    });
  });
  it("not over all / any follows De Morgan", () => {
    expect(status(`not: { all: [${yes}, ${no}] }`)).toBe("pass");
    expect(status(`not: { any: [${yes}, ${no}] }`)).toBe("fail");
    expect(status(`not: { any: [${no}, ${maybe}] }`)).toBe("unknown");
  });
});

describe("each / some / none", () => {
  const rules = { rule: [{ days: 30 }, { days: 400 }] };
  it("each: every element; empty passes", () => {
    expect(run("each: rule\nrequire: { attribute: days, greaterThan: 0 }", known(rules)).status).toBe("pass");
    const r = run("each: rule\nrequire: { attribute: days, lessThan: 365 }", known(rules));
    expect(r.status).toBe("fail");
    expect(r.violations[0]).toMatchObject({ path: ["rule", 1, "days"] });
    expect(run("each: rule\nrequire: { attribute: days, lessThan: 365 }", known({ rule: [] })).status).toBe(
      "pass",
    );
  });
  it("some: one element; empty fails with what a first element needs", () => {
    expect(run("some: rule\nrequire: { attribute: days, greaterThan: 365 }", known(rules)).status).toBe(
      "pass",
    );
    const r = run("some: rule\nrequire: { attribute: days, greaterThan: 365 }", known({}));
    expect(r.status).toBe("fail");
    expect(r.violations[0]).toMatchObject({
      path: ["rule", 0, "days"],
      expected: { op: "greaterThan", value: 365 },
    });
  });
  it("some on an empty list, where any element would do: the list needs an element", () => {
    const r = run("some: rule\nrequire: { attribute: days, absent: true }", known({ rule: [] }));
    expect(r.status).toBe("fail");
    expect(r.violations).toEqual([
      {
        kind: "attribute",
        address: "aws_s3_bucket.b",
        path: ["rule"],
        actual: { state: "known", value: [] },
        expected: { op: "length", constraint: { op: "greaterThan", value: 0 } },
      },
    ]);
  });
  it("none: no element", () => {
    expect(run("none: rule\nrequire: { attribute: days, greaterThan: 1000 }", known(rules)).status).toBe(
      "pass",
    );
    const r = run("none: rule\nrequire: { attribute: days, greaterThan: 365 }", known(rules));
    expect(r.status).toBe("fail");
    expect(r.violations[0]).toMatchObject({
      path: ["rule", 1, "days"],
      expected: { op: "lessThanOrEqual", value: 365 },
    });
  });
  it("an unknown list or element is unknown", () => {
    expect(
      run("each: rule\nrequire: { attribute: days, greaterThan: 0 }", unknown({}, { rule: true })).status,
    ).toBe("unknown");
    const partial = unknown({ rule: [{ days: 1 }, {}] }, { rule: [{}, { days: true }] });
    expect(run("some: rule\nrequire: { attribute: days, greaterThan: 5 }", partial).status).toBe("unknown");
    expect(run("some: rule\nrequire: { attribute: days, greaterThan: 0 }", partial).status).toBe("pass");
  });
});

describe("configured", () => {
  it("reads the configuration, not the planned values", () => {
    const echoed = {
      after: { versioning: [{ enabled: true }] },
      expressions: { bucket: { constant_value: "x" } },
    };
    expect(run("attribute: versioning\nconfigured: true", echoed).status).toBe("fail");
    const set = { after: {}, expressions: { versioning: [{ enabled: { constant_value: true } }] } };
    expect(run("attribute: versioning\nconfigured: true", set).status).toBe("pass");
    expect(run("attribute: versioning[0].enabled\nconfigured: true", set).status).toBe("pass");
    expect(run("attribute: versioning\nconfigured: false", set).status).toBe("fail");
  });
});
