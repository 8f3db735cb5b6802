import { describe, expect, it } from "vitest";
import { type AssembleInput, assembleReport } from "../../src/check/assemble.js";
import { exitCode, summaryLine } from "../../src/check/exit.js";
import type { RuleResult } from "../../src/engine/types.js";
import { model, result } from "./helpers.js";

const TODAY = "2026-06-01";

function run(results: RuleResult[], extra: Partial<AssembleInput> = {}) {
  return assembleReport({
    toolVersion: "0.0.0-test",
    packs: [{ name: "aws-s3", version: "1.0.0" }],
    rules: [],
    plans: [{ model: model("plan.json"), results }],
    today: TODAY,
    ...extra,
  });
}

const waiver = { reason: "legacy bucket", owner: "team-data", expires: "2026-12-31" };

describe("verdicts and exit codes", () => {
  // [case, result, options, verdict, exit]
  const table: [string, Partial<RuleResult>, Partial<AssembleInput>, string, number][] = [
    ["pass", { status: "pass" }, {}, "passed", 0],
    ["hard-mandatory fail", { enforcement: "hard-mandatory" }, {}, "blocking", 1],
    ["soft-mandatory fail", { enforcement: "soft-mandatory" }, {}, "blocking", 1],
    ["advisory fail", { enforcement: "advisory" }, {}, "advisory", 0],
    [
      "advisory at --fail-on",
      { enforcement: "advisory", severity: "high" },
      { failOn: "high" },
      "blocking",
      1,
    ],
    [
      "advisory below --fail-on",
      { enforcement: "advisory", severity: "medium" },
      { failOn: "high" },
      "advisory",
      0,
    ],
    ["soft-mandatory waived", {}, { waivers: [{ rule: "r", address: "**", ...waiver }] }, "waived", 0],
    [
      "advisory at --fail-on waived",
      { enforcement: "advisory", severity: "critical" },
      { failOn: "low", waivers: [{ rule: "r", address: "**", ...waiver }] },
      "waived",
      0,
    ],
    [
      "hard-mandatory cannot be waived",
      { enforcement: "hard-mandatory" },
      { waivers: [{ rule: "r", address: "**", ...waiver }] },
      "blocking",
      1,
    ],
    [
      "expired waiver fails closed",
      {},
      { waivers: [{ rule: "r", address: "**", ...waiver, expires: "2026-05-31" }] },
      "blocking",
      1,
    ],
    ["unknown (default warn)", { status: "unknown" }, {}, "unknown", 0],
    ["unknown set to fail by the rule", { status: "unknown", unknownPolicy: "fail" }, {}, "blocking", 1],
    ["unknown, --unknown fail", { status: "unknown" }, { unknownFlag: "fail" }, "blocking", 1],
    [
      "unknown, --unknown pass",
      { status: "unknown", unknownPolicy: "fail" },
      { unknownFlag: "pass" },
      "passed",
      0,
    ],
    ["unknown, config fail", { status: "unknown" }, { unknownConfig: "fail" }, "blocking", 1],
    [
      "unknown, rule override warn beats config fail",
      { status: "unknown" },
      { unknownConfig: "fail", overrides: { r: { unknown: "warn" } } },
      "unknown",
      0,
    ],
    [
      "unknown set to fail, waived",
      { status: "unknown" },
      { unknownFlag: "fail", waivers: [{ rule: "r", address: "**", ...waiver }] },
      "waived",
      0,
    ],
    [
      "override to advisory",
      { enforcement: "hard-mandatory" },
      { overrides: { r: { enforcement: "advisory" } } },
      "advisory",
      0,
    ],
    [
      "override severity reaches --fail-on",
      { enforcement: "advisory", severity: "low" },
      { failOn: "high", overrides: { r: { severity: "critical" } } },
      "blocking",
      1,
    ],
  ];
  for (const [name, r, opts, verdict, code] of table) {
    it(name, () => {
      const report = run([result({ rule: "r", address: "aws_s3_bucket.b", ...r })], opts);
      expect(report.plans[0]?.results[0]?.verdict).toBe(verdict);
      expect(exitCode(report)).toBe(code);
    });
  }

  it("the pack's rule-level unknown beats the config's global one; the flag beats both", () => {
    const rules = [
      {
        id: "r",
        pack: "aws-s3",
        title: "t",
        severity: "low" as const,
        enforcement: "soft-mandatory" as const,
        controls: [],
        unknown: "fail" as const,
      },
    ];
    const rs = [result({ rule: "r", address: "aws_s3_bucket.b", status: "unknown", unknownPolicy: "fail" })];
    expect(run(rs, { rules, unknownConfig: "warn" }).plans[0]?.results[0]?.verdict).toBe("blocking");
    expect(run(rs, { rules, unknownConfig: "warn", unknownFlag: "warn" }).plans[0]?.results[0]?.verdict).toBe(
      "unknown",
    );
  });

  it("a waived failure stays a failure, with the waiver attached", () => {
    const report = run([result({ rule: "r", address: "aws_s3_bucket.b" })], {
      waivers: [
        { rule: "r", address: "aws_s3_bucket.*", ...waiver, ticket: "OPS-1", where: ".plangate.yaml:3:5" },
      ],
    });
    const r = report.plans[0]?.results[0];
    expect(r?.status).toBe("fail");
    expect(r?.waiver).toEqual({
      rule: "r",
      address: "aws_s3_bucket.*",
      ...waiver,
      ticket: "OPS-1",
      state: "active",
    });
    expect(report.waivers[0]).toMatchObject({ state: "active", matched: 1, where: ".plangate.yaml:3:5" });
    expect(report.counts.waived).toBe(1);
  });

  it("an expired waiver is reported and does not waive", () => {
    const report = run([result({ rule: "r", address: "aws_s3_bucket.b" })], {
      waivers: [{ rule: "r", address: "**", ...waiver, expires: "2026-01-31" }],
    });
    expect(report.plans[0]?.results[0]?.waiver?.state).toBe("expired");
    expect(report.plans[0]?.results[0]?.reason).toMatch(/waiver expired 2026-01-31/);
    expect(report.waivers[0]?.state).toBe("expired");
    expect(report.warnings.join("\n")).toMatch(/expired waiver.*no longer waives/);
  });

  it("stale waivers warn, and are an error (exit 2) with --strict-waivers", () => {
    const results = [result({ rule: "r", address: "aws_s3_bucket.b", enforcement: "advisory" })];
    const waivers = [{ rule: "r", address: "aws_s3_bucket.gone", ...waiver }];
    const lax = run(results, { waivers });
    expect(lax.waivers[0]?.state).toBe("stale");
    expect(lax.warnings.join("\n")).toMatch(/stale waiver/);
    expect(exitCode(lax)).toBe(0);
    const strict = run(results, { waivers, strictWaivers: true });
    expect(exitCode(strict)).toBe(2);
    expect(summaryLine(strict)).toMatch(/— ERROR \(1 stale waiver/);
  });

  it("a waiver on a passing resource is stale", () => {
    const report = run([result({ rule: "r", address: "aws_s3_bucket.b", status: "pass" })], {
      waivers: [{ rule: "r", address: "aws_s3_bucket.b", ...waiver }],
    });
    expect(report.waivers[0]?.state).toBe("stale");
  });

  it("waivers for rules outside --rule are not stale", () => {
    const report = run([result({ rule: "r", address: "aws_s3_bucket.b", status: "pass" })], {
      rules: [
        { id: "r", pack: "aws-s3", title: "t", severity: "low", enforcement: "advisory", controls: [] },
      ],
      ruleFilter: ["r"],
      waivers: [{ rule: "other-*", address: "**", ...waiver }],
    });
    expect(report.waivers).toEqual([]);
  });

  it("an empty gate exits 2 unless --allow-empty", () => {
    const empty = run([result({ rule: "r", address: "aws_s3_bucket.b", status: "not_applicable" })]);
    expect(empty.empty).toBe(true);
    expect(exitCode(empty)).toBe(2);
    expect(summaryLine(empty)).toMatch(/— ERROR \(empty gate/);
    expect(exitCode(run([], { allowEmpty: true }))).toBe(0);
  });

  it("disabled rules are dropped from results and rules", () => {
    const report = run(
      [
        result({ rule: "r", address: "aws_s3_bucket.b" }),
        result({ rule: "s", address: "aws_s3_bucket.b", status: "pass" }),
      ],
      {
        rules: [
          { id: "r", pack: "aws-s3", title: "t", severity: "low", enforcement: "advisory", controls: [] },
          { id: "s", pack: "aws-s3", title: "t", severity: "low", enforcement: "advisory", controls: [] },
        ],
        overrides: { r: { disabled: true } },
      },
    );
    expect(report.plans[0]?.results.map((x) => x.rule)).toEqual(["s"]);
    expect(report.rules.map((x) => x.id)).toEqual(["s"]);
    expect(exitCode(report)).toBe(0);
  });

  it("summary line is unambiguous", () => {
    const report = run([
      result({ rule: "a", address: "aws_s3_bucket.b" }),
      result({ rule: "b", address: "aws_s3_bucket.b", enforcement: "advisory" }),
      result({ rule: "c", address: "aws_s3_bucket.b", status: "unknown" }),
      result({ rule: "d", address: "aws_s3_bucket.b", status: "pass" }),
    ]);
    expect(summaryLine(report)).toBe(
      "plangate: 1 blocking failure, 1 advisory, 1 unknown, 0 waived, 1 passed — BLOCKED",
    );
  });

  it("partial and errored plans are provisional; pre-plan inputs are flagged", () => {
    const report = assembleReport({
      toolVersion: "0",
      packs: [],
      rules: [],
      today: TODAY,
      plans: [
        {
          model: model("a.json", { complete: false }),
          results: [result({ rule: "r", address: "x.y", status: "pass" })],
        },
        { model: model("b.json", { errored: true }), results: [] },
        { model: { ...model("c.tf.json"), source: "configuration" }, results: [] },
      ],
    });
    expect(report.plans.map((p) => [p.file, p.provisional, p.prePlan])).toEqual([
      ["a.json", true, false],
      ["b.json", true, false],
      ["c.tf.json", false, true],
    ]);
    expect(report.plans[0]?.warnings.join()).toMatch(/incomplete.*provisional/);
    expect(report.plans[1]?.warnings.join()).toMatch(/errored.*provisional/);
    expect(report.plans[2]?.warnings.join()).toMatch(/pre-plan/);
    expect(summaryLine(report)).toMatch(/PASSED \(provisional: partial plan\)$/);
  });

  it("results are sorted, whatever the engine's order", () => {
    const rs = [
      result({ rule: "z", address: "aws_s3_bucket.b" }),
      result({ rule: "a", address: "aws_s3_bucket.b" }),
      result({ rule: "m", address: "aws_s3_bucket.a" }),
    ];
    const one = run(rs);
    const two = run([...rs].reverse());
    expect(JSON.stringify(one)).toBe(JSON.stringify(two));
    expect(one.plans[0]?.results.map((r) => `${r.address}/${r.rule}`)).toEqual([
      "aws_s3_bucket.a/m",
      "aws_s3_bucket.b/a",
      "aws_s3_bucket.b/z",
    ]);
  });
});
