/**
 * The pack test runner's pure parts: test-file parsing (errors at file:line:column), inline plan
 * synthesis, expectation matching, coverage, reports and exit codes.
 */
import { describe, expect, it } from "vitest";
import type { RuleResult, Status } from "../../src/engine/types.js";
import { ruleCoverage } from "../../src/packtest/coverage.js";
import { testFileValidator } from "../../src/packtest/load.js";
import { isSubset, matchExpectations } from "../../src/packtest/match.js";
import { parseTestFile } from "../../src/packtest/parse.js";
import { renderJson, renderText, testExitCode } from "../../src/packtest/report.js";
import { type PackUnderTest, runSuites } from "../../src/packtest/run.js";
import { parseTestPath, synthesizePlan } from "../../src/packtest/synth.js";
import type { ExpectedResult, TestFile } from "../../src/packtest/types.js";
import { buildPlanModel } from "../../src/plan/model.js";
import { InputError, type PlanModel } from "../../src/plan/types.js";
import { formatPath } from "../../src/plan/values.js";

const validate = await testFileValidator();
const parse = (text: string): TestFile => parseTestFile(text, "t.test.yaml", validate, (p) => `/base/${p}`);

function parseError(text: string): string {
  try {
    parse(text);
  } catch (err) {
    if (err instanceof InputError) return err.oneLine();
    throw err;
  }
  throw new Error("expected an InputError");
}

const HEAD = "apiVersion: plangate/v1\nkind: PackTest\npack: p.yaml\n";

describe("parseTestFile", () => {
  it("reads cases, resolves paths and merges params", () => {
    const f = parse(
      `${HEAD}params: { a: 1 }\ncases:\n  - name: one\n    plan: x.plan.json\n    params: { b: two }\n    expect:\n      - { rule: r, address: aws_s3_bucket.a, status: pass }\n`,
    );
    expect(f.pack).toBe("/base/p.yaml");
    expect(f.cases[0]?.plan).toBe("/base/x.plan.json");
    expect(f.cases[0]?.params).toEqual({ a: 1, b: "two" });
    expect(f.cases[0]?.where).toBe("t.test.yaml:6:5");
    expect(f.cases[0]?.expect[0]?.where).toBe("t.test.yaml:10:9");
  });

  it("points an unknown property at its key", () => {
    const text = `${HEAD}cases:\n  - name: one\n    plan: x.json\n    expect:\n      - { rule: r, address: a, status: pass, colour: red }\n`;
    expect(parseError(text)).toBe("t.test.yaml:8:46: cases[0].expect[0]: unknown property `colour`");
  });

  it("points a bad status at its value and lists the allowed ones", () => {
    const text = `${HEAD}cases:\n  - name: one\n    plan: x.json\n    expect:\n      - rule: r\n        address: a\n        status: passed\n`;
    expect(parseError(text)).toMatch(
      /^t\.test\.yaml:10:17: cases\[0\]\.expect\[0\]\.status: must be one of "pass", "fail"/,
    );
  });

  it("requires exactly one of plan and resources", () => {
    const both = `${HEAD}cases:\n  - name: one\n    plan: x.json\n    resources: [{ address: aws_s3_bucket.a }]\n    expect: [{ rule: r, address: a, status: pass }]\n`;
    expect(parseError(both)).toMatch(
      /t\.test\.yaml:5:5: case "one": give exactly one of `plan` and `resources`/,
    );
  });

  it("rejects duplicate case names and duplicate expectations", () => {
    const cases = `${HEAD}cases:\n  - name: one\n    plan: x.json\n    expect: [{ rule: r, address: a, status: pass }]\n  - name: one\n    plan: y.json\n    expect: [{ rule: r, address: a, status: pass }]\n`;
    expect(parseError(cases)).toMatch(
      /^t\.test\.yaml:8:11: duplicate case name "one" \(first at t\.test\.yaml:5:5\)/,
    );
    const twice = `${HEAD}cases:\n  - name: one\n    plan: x.json\n    expect:\n      - { rule: r, address: a, status: pass }\n      - { rule: r, address: a, status: fail }\n`;
    expect(parseError(twice)).toMatch(/^t\.test\.yaml:9:9: case "one" expects rule r on a twice/);
  });

  it("reports YAML syntax errors with their position", () => {
    expect(parseError(`${HEAD}cases: [\n`)).toMatch(/^t\.test\.yaml:\d+:\d+: invalid YAML/);
  });

  it("rejects a file that is not a PackTest", () => {
    expect(parseError("apiVersion: plangate/v1\nkind: PolicyPack\npack: p.yaml\ncases: []\n")).toMatch(
      /^t\.test\.yaml:2:7: kind: must be "PackTest"/,
    );
  });
});

describe("synthesizePlan", () => {
  it("builds a plan the real model reads, with unknowns, sensitive paths and reference links", () => {
    const doc = synthesizePlan([
      {
        address: "aws_s3_bucket.a",
        values: { bucket: "a", tags: { k: "v" } },
        unknown: ["arn", "versioning"],
      },
      {
        address: "aws_s3_bucket_versioning.a",
        values: { versioning_configuration: [{ status: "Enabled" }] },
        unknown: ["bucket", "versioning_configuration[0].mfa_delete"],
        sensitive: ["versioning_configuration[0].status"],
        references: { bucket: ["aws_s3_bucket.a.id"] },
      },
      { address: "data.aws_iam_policy_document.p", values: { json: "{}" } },
    ]);
    const model: PlanModel = buildPlanModel(doc, "inline");
    const v = model.byAddress.get("aws_s3_bucket_versioning.a");
    expect(v?.unknownPaths).toEqual(["bucket", "versioning_configuration[0].mfa_delete"]);
    expect(v?.sensitivePaths).toEqual(["versioning_configuration[0].status"]);
    expect(v?.config?.expressions.bucket).toEqual({ references: ["aws_s3_bucket.a.id", "aws_s3_bucket.a"] });
    expect(model.byAddress.get("aws_s3_bucket.a")?.config?.expressions).toEqual({
      bucket: { constant_value: "a" },
      tags: { constant_value: { k: "v" } },
    });
    expect(model.byAddress.get("data.aws_iam_policy_document.p")?.actions).toEqual(["read"]);
    expect(
      model.links.some((l) => l.from === "aws_s3_bucket_versioning.a" && l.to === "aws_s3_bucket.a"),
    ).toBe(true);
  });

  it("configures only the listed attributes when `configured` is given", () => {
    const doc = synthesizePlan([
      {
        address: "aws_s3_bucket.a",
        values: { bucket: "a", versioning: [{ enabled: true }] },
        configured: ["bucket"],
      },
    ]);
    const model = buildPlanModel(doc, "inline");
    expect(Object.keys(model.byAddress.get("aws_s3_bucket.a")?.config?.expressions ?? {})).toEqual([
      "bucket",
    ]);
  });

  it("rejects duplicate addresses and unparseable paths", () => {
    expect(() => synthesizePlan([{ address: "a.b" }, { address: "a.b" }])).toThrow(/listed twice/);
    expect(() => synthesizePlan([{ address: "a.b", unknown: ["x..y"] }])).toThrow(/does not parse/);
  });

  it("parses test paths", () => {
    expect(parseTestPath('rule[0].tags["Data Class"].x')).toEqual(["rule", 0, "tags", "Data Class", "x"]);
    expect(parseTestPath("a[")).toBeUndefined();
  });
});

function result(rule: string, address: string, status: Status, extra: Partial<RuleResult> = {}): RuleResult {
  return {
    rule,
    pack: "p",
    title: "t",
    severity: "high",
    enforcement: "hard-mandatory",
    controls: [],
    address,
    resourceType: "aws_s3_bucket",
    status,
    message: `${address} is ${status}`,
    violations: [],
    unknowns: [],
    related: [],
    unknownPolicy: "unknown",
    fingerprint: "f",
    ...extra,
  };
}

const exp = (e: Omit<ExpectedResult, "where">): ExpectedResult => ({ where: "t:1:1", ...e });

describe("matchExpectations", () => {
  const addresses = new Set(["aws_s3_bucket.a", "aws_s3_bucket.b", "aws_s3_bucket_versioning.a"]);

  it("compares statuses and treats a missing result as not_applicable", () => {
    const out = matchExpectations(
      [
        exp({ rule: "r", address: "aws_s3_bucket.a", status: "fail" }),
        exp({ rule: "r", address: "aws_s3_bucket.b", status: "not_applicable" }),
        exp({ rule: "s", address: "aws_s3_bucket.b", status: "pass" }),
        exp({ rule: "r", address: "aws_s3_bucket.typo", status: "pass" }),
      ],
      [result("r", "aws_s3_bucket.a", "pass")],
      addresses,
    );
    expect(out.map((o) => o.ok)).toEqual([false, true, false, false]);
    expect(out[0]?.mismatches).toEqual([{ field: "status", expected: "fail", actual: "pass" }]);
    expect(out[2]?.mismatches[0]?.actual).toMatch(/no result/);
    expect(out[3]?.mismatches[0]?.actual).toBe("no resource aws_s3_bucket.typo in the plan");
  });

  it("matches fixes, unknowns, related and messages as subsets", () => {
    const r = result("r", "aws_s3_bucket.a", "fail", {
      related: ["aws_s3_bucket_versioning.a"],
      unknowns: [{ address: "aws_s3_bucket_versioning.a", path: ["versioning_configuration", 0, "status"] }],
      fix: {
        hints: ["Use KMS keys you manage"],
        edits: [
          {
            op: "set",
            address: "aws_s3_bucket_versioning.a",
            path: ["versioning_configuration", 0, "status"],
            value: "Enabled",
          },
          {
            op: "add-resource",
            address: "aws_s3_bucket_logging.a",
            type: "aws_s3_bucket_logging",
            name: "a",
            linkTo: "aws_s3_bucket.a",
            attributes: { target_bucket: "x", target_prefix: "a/" },
            references: { bucket: "aws_s3_bucket.a.id" },
          },
        ],
      },
    });
    const good = exp({
      rule: "r",
      address: "aws_s3_bucket.a",
      status: "fail",
      related: ["aws_s3_bucket_versioning.a"],
      unknowns: [{ path: "versioning_configuration[0].status" }],
      message: "is fail",
      hints: ["KMS"],
      fix: [
        { op: "set", path: "versioning_configuration[0].status", value: "Enabled" },
        { op: "add-resource", type: "aws_s3_bucket_logging", attributes: { target_prefix: "a/" } },
      ],
    });
    expect(matchExpectations([good], [r], addresses)[0]?.ok).toBe(true);
    const bad = exp({
      rule: "r",
      address: "aws_s3_bucket.a",
      status: "fail",
      fix: [{ op: "set", path: "versioning_configuration[0].status", value: "Suspended" }],
      hints: ["nope"],
      message: "absent",
    });
    const out = matchExpectations([bad], [r], addresses)[0];
    expect(out?.mismatches.map((m) => m.field)).toEqual(["message", "fix", "hints"]);
  });

  it("isSubset compares deeply, arrays by position", () => {
    expect(isSubset({ a: [{ b: 1 }] }, { a: [{ b: 1, c: 2 }, 3], d: 4 })).toBe(true);
    expect(isSubset({ a: [1, 2] }, { a: [1] })).toBe(false);
    expect(isSubset({ a: null }, { a: 0 })).toBe(false);
  });
});

function fakePack(results: (model: PlanModel) => RuleResult[]): PackUnderTest {
  return { name: "p", rules: ["r", "s"], evaluate: (model) => results(model) };
}

describe("runSuites, coverage and reports", () => {
  const file = parse(
    `${HEAD}cases:\n  - name: good\n    resources: [{ address: aws_s3_bucket.a }]\n    expect: [{ rule: r, address: aws_s3_bucket.a, status: pass }]\n  - name: bad\n    resources: [{ address: aws_s3_bucket.a }]\n    expect: [{ rule: r, address: aws_s3_bucket.a, status: fail }]\n`,
  );
  const model = buildPlanModel(synthesizePlan([{ address: "aws_s3_bucket.a" }]), "inline");
  const pack = fakePack(() => [result("r", "aws_s3_bucket.a", "pass")]);

  it("runs each case and reports mismatches with a diff", () => {
    const report = runSuites([{ file, pack, inputs: file.cases.map((c) => ({ testCase: c, model })) }]);
    expect(report.summary).toMatchObject({
      files: 1,
      cases: 2,
      passed: 1,
      failed: 1,
      expectations: 2,
      uncoveredRules: 1,
    });
    const text = renderText(report, { requireCoverage: true });
    expect(text).toContain("PASS  t.test.yaml:5:5  good");
    expect(text).toContain("FAIL  t.test.yaml:8:5  bad");
    expect(text).toContain("- expected: fail");
    expect(text).toContain("+ actual:   pass");
    expect(text).toContain("error: 1 rule(s) without both a passing and a failing case:");
    expect(text).toContain("  p/s  (pass: 0, fail: 0)");
    expect(testExitCode(report, false)).toBe(1);
    expect(JSON.parse(renderJson(report)).summary.failed).toBe(1);
  });

  it("fails a case whose plan did not load or whose evaluation breaks; bad params and rule ids are file errors", () => {
    const crashing = fakePack(() => {
      throw new TypeError("boom");
    });
    const report = runSuites([
      {
        file,
        pack: crashing,
        inputs: [
          { testCase: file.cases[0]!, error: "x.json: no such file" },
          { testCase: file.cases[1]!, model },
        ],
      },
    ]);
    expect(report.cases.map((c) => c.error)).toEqual(["x.json: no such file", "TypeError: boom"]);
    const badParams = fakePack(() => {
      throw new InputError("parameter x is not a string", "p.yaml");
    });
    expect(() =>
      runSuites([{ file, pack: badParams, inputs: [{ testCase: file.cases[0]!, model }] }]),
    ).toThrow('case "good": p.yaml: parameter x is not a string');
    const other: PackUnderTest = { ...pack, rules: ["s"] };
    expect(() => runSuites([{ file, pack: other, inputs: [] }])).toThrow(/rule "r" is not in pack p/);
  });

  it("exit code: coverage only counts with --require-coverage; no cases is a failure", () => {
    const passing = runSuites([
      { file: { ...file, cases: [file.cases[0]!] }, pack, inputs: [{ testCase: file.cases[0]!, model }] },
    ]);
    expect(testExitCode(passing, false)).toBe(0);
    expect(testExitCode(passing, true)).toBe(1);
    expect(testExitCode(runSuites([]), false)).toBe(1);
  });

  it("tallies coverage per rule across files", () => {
    expect(ruleCoverage({ pack: "p", rules: ["r", "s"] }, [file, file])).toEqual([
      { pack: "p", rule: "r", pass: 2, fail: 2, unknown: 0, notApplicable: 0, covered: true },
      { pack: "p", rule: "s", pass: 0, fail: 0, unknown: 0, notApplicable: 0, covered: false },
    ]);
  });
});

describe("pack references", () => {
  it("resolves pack paths against the test file and keeps bare names for the loader", () => {
    const withPack = (pack: string) =>
      parse(
        `apiVersion: plangate/v1\nkind: PackTest\npack: ${pack}\ncases:\n  - name: a\n    plan: p.json\n    expect: [{ rule: r, address: a, status: pass }]\n`,
      ).pack;
    expect(withPack("aws-s3.yaml")).toBe("/base/aws-s3.yaml");
    expect(withPack("../packs/x.json")).toBe("/base/../packs/x.json");
    expect(withPack("aws-s3")).toBe("aws-s3");
    expect(withPack('"@acme/packs"')).toBe("@acme/packs");
  });
});

describe("synthesizePlan (property)", () => {
  it("marks exactly the unknown paths it is given, whatever their shape", async () => {
    const fc = await import("fast-check");
    const key = fc.constantFrom("a", "b", "rule", "tags", "x_y");
    const step = fc.oneof(key, fc.integer({ min: 0, max: 2 }));
    const path = fc.tuple(key, fc.array(step, { maxLength: 3 })).map(([head, rest]) => [head, ...rest]);
    fc.assert(
      fc.property(fc.array(path, { maxLength: 4 }), (paths) => {
        // A path below another unknown path is covered by it: Terraform prints only the top one.
        const text = (p: readonly (string | number)[]) => formatPath(p);
        const covered = (p: readonly (string | number)[]) =>
          paths.some((o) => o.length < p.length && text(o) === text(p.slice(0, o.length)));
        const topPaths = paths.filter((p) => !covered(p));
        const tops = [...new Set(topPaths.map(text))];
        // Paths that disagree on a step's shape (`a[0]` and `a.b`) are rejected, not merged.
        const shapes = new Map<string, string>();
        const consistent = topPaths.every((p) =>
          p.slice(1).every((s, i) => {
            const at = text(p.slice(0, i + 1));
            const kind = typeof s;
            return (shapes.get(at) ?? shapes.set(at, kind).get(at)) === kind;
          }),
        );
        const build = () => synthesizePlan([{ address: "aws_s3_bucket.a", unknown: tops }]);
        if (!consistent) {
          expect(build).toThrow(/treats a list as an object/);
          return;
        }
        const model = buildPlanModel(build(), "p");
        expect(model.byAddress.get("aws_s3_bucket.a")?.unknownPaths).toEqual([...tops].sort());
      }),
      { numRuns: 200 },
    );
  });
});
