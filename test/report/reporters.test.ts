import { readFileSync } from "node:fs";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { assembleReport } from "../../src/check/assemble.js";
import { exitCode } from "../../src/check/exit.js";
import type { Report } from "../../src/check/types.js";
import type { RuleResult } from "../../src/engine/types.js";
import { escapeData, escapeProperty } from "../../src/report/github.js";
import { FORMATS, render } from "../../src/report/index.js";
import { GITHUB_COMMENT_LIMIT, hclToDiff } from "../../src/report/markdown.js";
import { SARIF_MAX_RESULTS, sarifOmission, toUri } from "../../src/report/sarif.js";
import { model, result } from "../check/helpers.js";
import { richReport } from "./fixture.js";
import { SARIF_SHAPE } from "./sarif-shape.js";

const report = richReport();

/** The first run of a SARIF text, typed as far as the tests read it. */
function sarifRun(text: string) {
  const doc = JSON.parse(text) as {
    runs: {
      results: {
        ruleId: string;
        locations: { logicalLocations: { fullyQualifiedName: string }[] }[];
        properties: { plan: string };
      }[];
      invocations?: { toolExecutionNotifications: { level: string; message: { text: string } }[] }[];
      properties: { omittedResults?: number };
    }[];
  };
  return doc.runs[0];
}

/** A report of one plan with these results and no rule list. */
function onePlan(results: RuleResult[]): Report {
  return assembleReport({
    toolVersion: "0",
    packs: [],
    rules: [],
    plans: [{ model: model("p.json"), results }],
    today: "2026-01-01",
  });
}

describe("every format", () => {
  it("the fixture judges as expected", () => {
    expect(report.counts).toEqual({
      blocking: 2,
      advisory: 1,
      waived: 1,
      unknown: 1,
      passed: 2,
      not_applicable: 1,
    });
    expect(exitCode(report)).toBe(1);
  });

  for (const format of FORMATS) {
    it(`${format}: deterministic, never prints a sensitive value`, () => {
      const a = render(format, report);
      expect(render(format, richReport())).toBe(a);
      expect(a).not.toContain("SECRET");
      if (format !== "json" && format !== "sarif" && format !== "junit") expect(a).toContain("(sensitive)");
    });
  }
});

describe("text", () => {
  const text = render("text", report);
  it("groups by plan and resource, with fixes and the summary last", () => {
    expect(text).toMatch(/^plans\/prod\.json \(terraform 1\.9\.5, format 1\.2, 0 resources\)/);
    expect(text).toContain('  module.s3["logs"].aws_s3_bucket.this\n    FAIL    s3-versioning-enabled');
    expect(text).toContain('+    status = "Enabled"');
    expect(text).toContain("WAIVED  s3-legacy");
    expect(text).toContain("waiver: retired in Q3 (owner team-data, OPS-9)");
    expect(text).toContain("stale waiver: s3-* on module.gone.**");
    expect(text).toContain("! the plan is incomplete (complete: false): results are provisional");
    expect(text.trimEnd().split("\n").at(-1)).toBe(
      "plangate: 2 blocking failures, 1 advisory, 1 unknown, 1 waived, 2 passed — BLOCKED (provisional: partial plan)",
    );
    expect(text).not.toContain("\u001b[");
  });
  it("colours only when asked", () => {
    expect(render("text", report, { color: true })).toContain("\u001b[31mFAIL");
  });
  it("--quiet keeps failures only", () => {
    const q = render("text", report, { quiet: true });
    expect(q).not.toContain("UNKNOWN");
    expect(q).not.toContain("PASS ");
    expect(q).toContain("FAIL");
    expect(q).toContain("WAIVED");
  });
});

describe("json", () => {
  const doc = JSON.parse(render("json", report)) as Record<string, unknown>;
  it("validates against schemas/results.schema.json", () => {
    const schema = JSON.parse(
      readFileSync(new URL("../../schemas/results.schema.json", import.meta.url), "utf8"),
    );
    const ajv = new Ajv.default({ allErrors: true, strict: true });
    const validate = ajv.compile(schema);
    expect(validate(doc), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });
  it("carries outcome, counts, path/actual/expected and fingerprints", () => {
    expect(doc.outcome).toBe("BLOCKED");
    expect(doc.exitCode).toBe(1);
    const plans = doc.plans as { results: Record<string, unknown>[] }[];
    const kms = plans[0]?.results.find((r) => r.rule === "s3-kms");
    expect(kms).toMatchObject({
      path: "server_side_encryption_configuration[0].rule[0].kms_master_key_id",
      actual: { state: "sensitive" },
      expected: { op: "exists" },
      verdict: "advisory",
      fingerprint: "fp-s3-kms-aws_s3_bucket.b",
    });
    expect(plans[0]?.results.some((r) => r.status === "not_applicable")).toBe(false);
  });
  it("is compact: one line, rule metadata once in `rules`, no empty lists on results", () => {
    const text = render("json", report);
    expect(text.indexOf("\n")).toBe(text.length - 1);
    const plans = doc.plans as { results: Record<string, unknown>[] }[];
    const results = plans.flatMap((p) => p.results);
    const pass = results.find((r) => r.status === "pass");
    expect(pass).toBeDefined();
    expect(Object.keys(pass ?? {})).toEqual([
      "rule",
      "pack",
      "severity",
      "address",
      "resourceType",
      "status",
      "verdict",
      "reason",
      "message",
      "fingerprint",
    ]);
    for (const r of results) {
      for (const key of ["title", "enforcement", "controls"]) expect(r).not.toHaveProperty(key);
      for (const key of ["violations", "unknowns", "related"]) {
        if (key in r) expect((r[key] as unknown[]).length).toBeGreaterThan(0);
      }
    }
  });
});

describe("sarif", () => {
  const sarif = JSON.parse(render("sarif", report)) as {
    version: string;
    runs: { tool: { driver: { rules: Record<string, unknown>[] } }; results: Record<string, unknown>[] }[];
  };
  const run = sarif.runs[0];
  it("clears the SARIF floor GitHub ingests (schema of its required parts)", () => {
    const ajv = new Ajv.default({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(SARIF_SHAPE);
    expect(validate(sarif), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });
  it("has the structure GitHub code scanning requires", () => {
    expect(sarif.version).toBe("2.1.0");
    expect(run?.tool.driver.rules.length).toBeGreaterThan(0);
    for (const rule of run?.tool.driver.rules ?? []) {
      expect(rule).toMatchObject({ id: expect.any(String), shortDescription: { text: expect.any(String) } });
      expect((rule.help as { text: string }).text.length).toBeGreaterThan(0);
    }
    const ids = run?.tool.driver.rules.map((r) => r.id) ?? [];
    for (const r of run?.results ?? []) {
      expect(ids[r.ruleIndex as number]).toBe(r.ruleId);
      expect(["error", "warning", "note"]).toContain(r.level);
      expect((r.message as { text: string }).text.length).toBeGreaterThan(0);
      const locs = r.locations as {
        physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
      }[];
      expect(locs.length).toBeGreaterThan(0);
      expect(locs[0]?.physicalLocation.artifactLocation.uri).toMatch(/^[^/]/);
      expect(locs[0]?.physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
      expect(Object.values(r.partialFingerprints as object)[0]).toEqual(expect.any(String));
    }
  });
  it("uses the .tf location when found, else the plan file with a logical location", () => {
    const kms = run?.results.find((r) => r.ruleId === "s3-kms");
    expect(kms?.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: "infra/main.tf" },
          region: { startLine: 12, endLine: 20 },
        },
        logicalLocations: [{ fullyQualifiedName: "aws_s3_bucket.b", kind: "resource" }],
      },
    ]);
    const v = run?.results.find((r) => r.ruleId === "s3-versioning-enabled");
    expect(v?.locations).toEqual([
      {
        physicalLocation: { artifactLocation: { uri: "plans/prod.json" }, region: { startLine: 1 } },
        logicalLocations: [{ fullyQualifiedName: 'module.s3["logs"].aws_s3_bucket.this', kind: "resource" }],
      },
    ]);
  });
  it("keeps relative URIs relative and makes absolute paths file:// URIs", () => {
    expect(toUri("plans/a b.json")).toBe("plans/a%20b.json");
    expect(toUri("./main.tf")).toBe("main.tf");
    expect(toUri("/abs/plan#1.json")).toBe("file:///abs/plan%231.json");
    expect(toUri("C:\\repo\\plan.json")).toBe("file:///C:/repo/plan.json");
  });
  it("maps severity to security-severity, waivers to suppressions, omits passes", () => {
    const rule = run?.tool.driver.rules.find((r) => r.id === "s3-versioning-enabled");
    expect(rule?.properties).toMatchObject({
      "security-severity": "8.0",
      tags: expect.arrayContaining(["security"]),
    });
    expect(rule?.helpUri).toBe("https://example.test/aws-s3#s3-versioning-enabled");
    const waived = run?.results.find((r) => r.ruleId === "s3-legacy");
    expect(waived?.suppressions).toEqual([
      {
        kind: "external",
        status: "accepted",
        justification: "retired in Q3 (owner team-data, expires 2026-12-31, OPS-9)",
      },
    ]);
    expect(run?.results.length).toBe(5);
    expect(sarifOmission(report)).toBeUndefined();
    expect(JSON.stringify(sarif)).not.toContain("invocations");
  });
  it("past code scanning's limit keeps the most severe results and says how many it left out", () => {
    // One over the limit at each of four (verdict, severity) ranks, in report order low to high.
    const n = SARIF_MAX_RESULTS + 1;
    const ranks = [
      { rule: "adv-low", severity: "low", enforcement: "advisory" },
      { rule: "adv-high", severity: "high", enforcement: "advisory" },
      { rule: "block-medium", severity: "medium", enforcement: "soft-mandatory" },
      { rule: "block-critical", severity: "critical", enforcement: "soft-mandatory" },
    ] as const;
    const many = ranks.flatMap((k, i) =>
      Array.from({ length: i === 0 ? n : 2 }, (_, j) =>
        result({ ...k, address: `aws_s3_bucket.r${i}_${String(j).padStart(6, "0")}` }),
      ),
    );
    const big = onePlan(many);
    const run = sarifRun(render("sarif", big));
    const total = many.length;
    expect(run?.results).toHaveLength(SARIF_MAX_RESULTS);
    expect(run?.properties.omittedResults).toBe(total - SARIF_MAX_RESULTS);
    // Every blocking and advisory-high result is kept; advisory-low ones fill the rest.
    const kept = (rule: string) => run?.results.filter((r) => r.ruleId === rule).length;
    expect(kept("block-critical")).toBe(2);
    expect(kept("block-medium")).toBe(2);
    expect(kept("adv-high")).toBe(2);
    expect(kept("adv-low")).toBe(SARIF_MAX_RESULTS - 6);
    const note = run?.invocations?.[0]?.toolExecutionNotifications[0];
    expect(note?.level).toBe("warning");
    expect(note?.message.text).toContain(`${total - SARIF_MAX_RESULTS} of ${total} results left out`);
    expect(sarifOmission(big)).toBe(note?.message.text);
    // Kept results stay in report order; of the lowest rank, the first in report order are kept.
    const addresses = run?.results.map((r) => r.locations[0]?.logicalLocations[0]?.fullyQualifiedName) ?? [];
    const inReport = big.plans[0]?.results.map((r) => r.address) ?? [];
    expect(addresses).toEqual(inReport.filter((a) => addresses.includes(a)));
    expect(addresses.filter((a) => a?.startsWith("aws_s3_bucket.r0_")).at(-1)).toBe(
      `aws_s3_bucket.r0_${String(SARIF_MAX_RESULTS - 7).padStart(6, "0")}`,
    );
  });
  it("counts the limit over every plan of the run", () => {
    const half = Math.ceil((SARIF_MAX_RESULTS + 10) / 2);
    const plan = (file: string) => ({
      model: model(file),
      results: Array.from({ length: half }, (_, j) => result({ rule: "r", address: `aws_s3_bucket.b${j}` })),
    });
    const two = assembleReport({
      toolVersion: "0",
      packs: [],
      rules: [],
      plans: [plan("a.json"), plan("b.json")],
      today: "2026-01-01",
    });
    const run = sarifRun(render("sarif", two));
    expect(run?.results).toHaveLength(SARIF_MAX_RESULTS);
    expect(run?.properties.omittedResults).toBe(2 * half - SARIF_MAX_RESULTS);
    // Equal ranks: the first plan whole, then the second plan's first results.
    expect(run?.results.filter((r) => r.properties.plan === "a.json")).toHaveLength(half);
    expect(sarifOmission(two)).toContain(`${2 * half - SARIF_MAX_RESULTS} of ${2 * half} results left out`);
  });
});

describe("junit", () => {
  const xml = render("junit", report);
  it("one testcase per (rule, resource); unknown and waived skipped; escaped", () => {
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="plangate" tests="7" failures="3" errors="0" skipped="2">/,
    );
    expect(xml).toContain('<testsuite name="plans/prod.json" tests="6" failures="3" errors="0" skipped="2">');
    expect(xml).toContain(
      '<testcase name="s3-logging" classname="aws_s3_bucket.b">\n      <skipped message="unknown: logging[0].target_bucket is known only after apply"/>',
    );
    expect(xml).toContain('<failure type="advisory"');
    expect(xml).toContain("\\&quot;quoted\\&quot; &lt;b&gt;&amp;amp;");
    expect(xml).not.toMatch(/<b>/);
    expect((xml.match(/<testcase /g) ?? []).length).toBe(7);
  });
});

describe("markdown", () => {
  const md = render("markdown", report);
  it("is a PR comment: verdict, summary table, details per resource, diff fixes", () => {
    expect(md).toMatch(/^## ❌ plangate: BLOCKED\n/);
    expect(md).toContain("| `plans/prod.json` | 2 | 1 | 1 | 1 | 1 |");
    expect(md).toContain("| `plans/dev.json` (provisional) | 0 | 0 | 0 | 0 | 1 |");
    expect(md).toContain(
      '<details><summary>❌ <code>module.s3["logs"].aws_s3_bucket.this</code>: 1 blocking</summary>',
    );
    expect(md).toContain(
      '```diff\n resource "aws_s3_bucket_versioning" "this" {\n+  bucket = aws_s3_bucket.this.id',
    );
    expect(md).toContain('-  acl = "public-read"');
    expect(md).toContain("&lt;b&gt;&amp;amp;");
  });
  it("says so when nothing failed", () => {
    const clean = onePlan([result({ rule: "r", address: "a.b", status: "pass" })]);
    const out = render("markdown", clean);
    expect(out).toMatch(/^## ✅ plangate: PASSED\n/);
    expect(out.trimEnd().endsWith("No failures.")).toBe(true);
  });
  it("hclToDiff moves markers to column 0", () => {
    expect(hclToDiff("x {\n  + a = 1\n  - b = 2\n  c\n}")).toBe(" x {\n+   a = 1\n-   b = 2\n   c\n }");
    // The fix stage's own marker column passes through.
    expect(hclToDiff("  # r\n  resource {\n-   a = 1\n+   a = 2\n  }\n")).toBe(
      "  # r\n  resource {\n-   a = 1\n+   a = 2\n  }",
    );
  });
  it("stays under GitHub's comment limit and says what it left out", () => {
    const many = [];
    for (let i = 0; i < 3000; i++) {
      many.push(
        result({
          rule: "s3-versioning-enabled",
          address: `aws_s3_bucket.b${i}`,
          fix: { edits: [], hints: [], hcl: `+ x = "${"y".repeat(50)}"\n` },
        }),
      );
    }
    const big = onePlan(many);
    const out = render("markdown", big);
    expect(out.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(out).toMatch(/\d+ more resource\(s\) not shown/);
    expect(out).toContain("3000 blocking failures");
  });
});

describe("github", () => {
  const gh = render("github", report);
  it("escapes data and properties as the runner parses them", () => {
    expect(escapeData("100%\r\nx")).toBe("100%25%0D%0Ax");
    expect(escapeProperty("a:b,c%")).toBe("a%3Ab%2Cc%25");
  });
  it("annotates with file/line when located, error/warning/notice by verdict", () => {
    const lines = gh.trimEnd().split("\n");
    expect(lines.filter((l) => l.startsWith("::error ")).length).toBe(2);
    expect(gh).toContain(
      "::warning file=infra/main.tf,line=12,endLine=20,title=plangate s3-kms (medium%2C advisory)::aws_s3_bucket.b: ",
    );
    expect(gh).toMatch(
      /::error title=plangate s3-versioning-enabled \(high%2C hard-mandatory\)::module\.s3\["logs"\]\.aws_s3_bucket\.this \[plans\/prod\.json\]: /,
    );
    expect(gh).toContain("::notice title=plangate s3-legacy");
    expect(gh).toContain("100%25\\nnewline");
    for (const l of lines.slice(0, -1)) expect(l).toMatch(/^::(error|warning|notice) /);
    expect(lines.at(-1)).toMatch(/— BLOCKED/);
  });
});

describe("escaping", () => {
  it("xml drops characters XML cannot hold and escapes the five entities", async () => {
    const { xmlEscape } = await import("../../src/report/junit.js");
    expect(xmlEscape("a\u0000b\u0008c\td\n<&>\"'\uFFFE\uD800e😀")).toBe(
      "abc\td\n&lt;&amp;&gt;&quot;&apos;e😀",
    );
    expect(xmlEscape("plain")).toBe("plain");
  });
});
