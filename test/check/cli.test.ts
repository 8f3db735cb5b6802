/**
 * `plangate check` end to end through the built CLI: exit codes, several plans, formats written to
 * files, config and waivers, sensitive values. Corpus plans come from /work/shared (CI: same layout).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import { afterAll, describe, expect, it } from "vitest";
import { type CliRun, runCli } from "../plan/cli.js";
import { planDocument } from "../policy/plan-fixture.js";
import { SARIF_SHAPE } from "../report/sarif-shape.js";

const CORPUS = fileURLToPath(new URL("../../../shared/corpus/plans/", import.meta.url));
const FIXTURES = fileURLToPath(new URL("../fixtures/check/", import.meta.url));
const VERSIONING = path.join(CORPUS, "regula__s3-versioning_lifecycle_enabled_infra.json");
const SSE = path.join(CORPUS, "regula__s3-bucket_sse_infra.json");
const SENSITIVE = path.join(FIXTURES, "sensitive.plan.json");
const EMPTY = path.join(FIXTURES, "empty.plan.json");
/** Two advisory rules: one unknown on every new bucket (its ARN), one failing on the corpus buckets. */
const TEST_PACK = path.join(FIXTURES, "unknown-pack.yaml");
const dir = mkdtempSync(path.join(tmpdir(), "plangate-check-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs in a scratch directory by default, so no `.plangate.yaml` of the checkout is picked up. */
function cli(args: readonly string[], opts: { cwd?: string } = {}): CliRun {
  return runCli(args, { cwd: dir, ...opts });
}

function config(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const lastLine = (s: string): string => s.trimEnd().split("\n").at(-1) ?? "";

describe("plangate check", () => {
  it("exit 1 on blocking failures, with the summary line last", () => {
    const r = cli(["check", VERSIONING, "--today", "2026-06-01"]);
    expect(r.code).toBe(1);
    expect(lastLine(r.stdout)).toMatch(
      /^plangate: \d+ blocking failures, \d+ advisory, \d+ unknown, 0 waived, \d+ passed — BLOCKED$/,
    );
  });

  it("exit 0 when nothing blocks (--rule filter)", () => {
    const r = cli(["check", VERSIONING, "--rule", "s3-no-public-acl", "--rule", "s3-no-public-policy"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(lastLine(r.stdout)).toMatch(/— PASSED$/);
  });

  it("exit 2 on input, usage and pack errors, one line on stderr", () => {
    const missing = cli(["check", path.join(dir, "nope.json")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^plangate: error: .*nope\.json/);
    expect(cli(["check", VERSIONING, "--format", "pdf"]).code).toBe(2);
    expect(cli(["check", VERSIONING, "--rule", "no-such-rule"]).stderr).toMatch(
      /--rule no-such-rule: no such rule/,
    );
    expect(cli(["check", VERSIONING, "--pack", path.join(dir, "missing-pack.yaml")]).code).toBe(2);
    expect(cli(["check", VERSIONING, "--fail-on", "severe"]).code).toBe(2);
    expect(cli(["check"]).code).toBe(2);
  });

  it("reads a plan from stdin with -; unknown options are still errors", () => {
    const r = runCli(["check", "-", SSE, "--format", "json"], { input: readFileSync(VERSIONING), cwd: dir });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { plans: { file: string }[] };
    expect(doc.plans.map((p) => path.basename(p.file))).toEqual(["<stdin>", path.basename(SSE)]);
    const bad = cli(["check", SSE, "--bogus"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown option --bogus/);
  });

  it("an empty gate exits 2 and says so, unless --allow-empty", () => {
    const r = cli(["check", EMPTY]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/nothing was checked: \d+ rule\(s\) applied to 0 resources/);
    expect(lastLine(r.stdout)).toMatch(/— ERROR \(empty gate/);
    const ok = cli(["check", EMPTY, "--allow-empty"]);
    expect(ok.code).toBe(0);
    expect(lastLine(ok.stdout)).toMatch(/— PASSED$/);
  });

  it("several plans: one report grouped by plan", () => {
    const r = cli(["check", VERSIONING, SSE, "--format", "json"]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as {
      plans: { file: string; results: unknown[] }[];
      summary: Record<string, number>;
    };
    expect(doc.plans.map((p) => path.basename(p.file))).toEqual([
      path.basename(VERSIONING),
      path.basename(SSE),
    ]);
    expect(doc.plans.every((p) => p.results.length > 0)).toBe(true);
    const text = cli(["check", VERSIONING, SSE]).stdout;
    expect(text.indexOf(path.basename(VERSIONING))).toBeLessThan(text.indexOf(path.basename(SSE)));
  });

  it("--format sarif=FILE,text writes the file atomically and prints text", () => {
    const out = path.join(dir, "reports", "out.sarif");
    const junit = path.join(dir, "out.xml");
    const r = cli(["check", VERSIONING, "--format", `sarif=${out},text`, "--format", `junit=${junit}`]);
    expect(r.code).toBe(1);
    expect(lastLine(r.stdout)).toMatch(/— BLOCKED$/);
    const sarif = JSON.parse(readFileSync(out, "utf8")) as {
      version: string;
      runs: { results: unknown[] }[];
    };
    expect(sarif.version).toBe("2.1.0");
    const validate = new Ajv.default({ allErrors: true, strict: false }).compile(SARIF_SHAPE);
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(sarif.runs[0]?.results.length).toBeGreaterThan(0);
    expect(readFileSync(junit, "utf8")).toMatch(/^<\?xml/);
    // Only files go out: the verdict line still reaches the log.
    const quiet = cli(["check", VERSIONING, "--format", `json=${path.join(dir, "r.json")}`]);
    expect(quiet.stdout).toMatch(/^plangate: .* — BLOCKED\n$/);
    expect(existsSync(path.join(dir, "r.json"))).toBe(true);
  });

  it("a SARIF over code scanning's 25,000 results keeps the most severe and says so on stderr", () => {
    // 900 buckets × 30 rules that fail on each: 27,000 failures, from a small plan.
    const plan = path.join(dir, "many-buckets.plan.json");
    writeFileSync(
      plan,
      JSON.stringify(
        planDocument(Array.from({ length: 900 }, (_, i) => ({ address: `aws_s3_bucket.b${i}`, after: {} }))),
      ),
    );
    const rules = Array.from(
      { length: 30 },
      (_, i) => `  - id: never-${i}
    title: Never tagged ${i}
    severity: ${i < 10 ? "high" : "low"}
    enforcement: advisory
    resource: aws_s3_bucket
    require: { attribute: tags.never${i}, exists: true }`,
    );
    const pack = config(
      "many-rules.yaml",
      `apiVersion: plangate/v1\nkind: PolicyPack\nmetadata: { name: many, version: 1.0.0 }\nrules:\n${rules.join("\n")}\n`,
    );
    const out = path.join(dir, "many.sarif");
    const r = cli(["check", plan, "--pack", pack, "--format", `sarif=${out}`]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      "plangate: warning: 2000 of 27000 results left out of the SARIF: GitHub code scanning rejects a run of " +
        "more than 25000, so the most severe are kept (blocking first, then by severity); the other formats and " +
        "the exit code count every result\n",
    );
    const sarif = JSON.parse(readFileSync(out, "utf8")) as {
      runs: { results: { ruleId: string }[]; properties: { omittedResults: number } }[];
    };
    const results = sarif.runs[0]?.results ?? [];
    expect(results).toHaveLength(25_000);
    expect(sarif.runs[0]?.properties.omittedResults).toBe(2000);
    // The 9,000 high results are all kept; 2,000 low ones are not.
    const high = new Set(Array.from({ length: 10 }, (_, i) => `never-${i}`));
    expect(results.filter((x) => high.has(x.ruleId))).toHaveLength(9000);
    // Below the limit nothing is said.
    expect(cli(["check", plan, "--pack", pack, "--rule", "never-1", "--format", `sarif=${out}`]).stderr).toBe(
      "",
    );
  });

  it("json output validates against schemas/results.schema.json", () => {
    const schema = JSON.parse(
      readFileSync(new URL("../../schemas/results.schema.json", import.meta.url), "utf8"),
    );
    const validate = new Ajv.default({ allErrors: true, strict: true }).compile(schema);
    for (const plan of [
      VERSIONING,
      SENSITIVE,
      path.join(CORPUS, "checkov__plan_with_iam_policies-tfplan.json"),
    ]) {
      const doc = JSON.parse(cli(["check", plan, "--format", "json"]).stdout) as {
        rules: { id: string; pack: string }[];
        plans: { results: { rule: string; pack: string }[] }[];
      };
      expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      // A result names its rule; title, enforcement and controls are found there, once per rule.
      const rules = new Set(doc.rules.map((r) => `${r.pack}/${r.id}`));
      for (const r of doc.plans.flatMap((p) => p.results)) expect(rules).toContain(`${r.pack}/${r.rule}`);
    }
  });

  it("json output is identical across runs (stable fingerprints)", () => {
    const a = cli(["check", VERSIONING, "--format", "json", "--today", "2026-06-01"]).stdout;
    const b = cli(["check", VERSIONING, "--format", "json", "--today", "2026-06-01"]).stdout;
    expect(a).toBe(b);
  });

  it("no format prints a sensitive value", () => {
    for (const format of ["text", "json", "sarif", "junit", "markdown", "github"]) {
      const r = cli(["check", SENSITIVE, "--format", format]);
      expect(r.code, `${format}: ${r.stderr}`).toBe(1);
      expect(r.stdout, format).not.toContain("SECRET-MARKER");
      expect(r.stdout.length).toBeGreaterThan(100);
    }
  });
});

describe("config and waivers", () => {
  const waivers = (expires: string, extra = ""): string =>
    [
      "rules:",
      "  s3-object-level-logging: { disabled: true }",
      "waivers:",
      "  - rule: s3-*",
      "    address: aws_s3_bucket.deny_*",
      "    reason: legacy buckets, migrating",
      "    owner: team-data",
      `    expires: ${expires}`,
      extra,
    ].join("\n");

  it("waived failures are reported as waived, not passed", () => {
    const cfg = config("waive.yaml", waivers("2026-12-31"));
    const r = cli(["check", VERSIONING, "--config", cfg, "--today", "2026-06-01", "--format", "json"]);
    const doc = JSON.parse(r.stdout) as {
      summary: Record<string, number>;
      plans: { results: Record<string, unknown>[] }[];
      waivers: { state: string }[];
    };
    expect(doc.summary.waived).toBeGreaterThan(0);
    const waived = doc.plans[0]?.results.filter((x) => x.verdict === "waived") ?? [];
    expect(
      waived.every((x) => x.status === "fail" && (x.waiver as { state: string }).state === "active"),
    ).toBe(true);
    expect(doc.plans[0]?.results.some((x) => x.rule === "s3-object-level-logging")).toBe(false);
    expect(doc.waivers[0]?.state).toBe("active");
  });

  it("an expired waiver waives nothing (fail closed) and is reported", () => {
    const cfg = config("expired.yaml", waivers("2026-05-31"));
    const r = cli(["check", VERSIONING, "--config", cfg, "--today", "2026-06-01"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/expired waiver at .*expired\.yaml:4:5: s3-\* on aws_s3_bucket\.deny_\*/);
    expect(lastLine(r.stdout)).toMatch(/0 waived/);
  });

  it("a stale waiver warns; with --strict-waivers it is an error", () => {
    const cfg = config(
      "stale.yaml",
      "waivers:\n  - { rule: s3-versioning-enabled, address: module.gone.**, reason: x, owner: y, expires: 2026-12-31 }\n",
    );
    const lax = cli([
      "check",
      VERSIONING,
      "--config",
      cfg,
      "--today",
      "2026-06-01",
      "--rule",
      "s3-no-public-acl",
      "--rule",
      "s3-versioning-enabled",
      "--format",
      "text",
    ]);
    expect(lax.stdout).toMatch(/stale waiver at .*stale\.yaml:2:5/);
    const strict = cli(["check", VERSIONING, "--config", cfg, "--today", "2026-06-01", "--strict-waivers"]);
    expect(strict.code).toBe(2);
    expect(lastLine(strict.stdout)).toMatch(/— ERROR \(1 stale waiver/);
  });

  it("config errors exit 2 with file:line:column", () => {
    const cfg = config(
      "bad.yaml",
      "fail-on: high\nwaivers:\n  - rule: x\n    address: '**'\n    owner: me\n    expires: 2026-01-01\n",
    );
    const r = cli(["check", VERSIONING, "--config", cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^plangate: error: .*bad\.yaml:3:5: invalid config: waivers\[0\]: missing required property "reason"/,
    );
  });

  it("parameter errors point at the config, not at the pack", () => {
    const unknown = config("param.yaml", "parameters:\n  aws-backup: { minRetentionDay: 90 }\n");
    expect(cli(["check", VERSIONING, "--config", unknown]).stderr).toMatch(
      /^plangate: error: .*param\.yaml:2:17: the config sets parameter "minRetentionDay", which pack "aws-backup" does not declare/,
    );
    const stray = config("stray.yaml", "parameters:\n  aws-backupp: { minRetentionDays: 90 }\n");
    const r = cli(["check", VERSIONING, "--config", stray]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/stray\.yaml:2:3: parameters given for pack\(s\) not loaded: aws-backupp/);
  });

  it(".plangate.yaml is found upward from the working directory; --unknown and --fail-on apply", () => {
    const root = mkdtempSync(path.join(dir, "repo-"));
    writeFileSync(path.join(root, ".plangate.yaml"), "unknown: fail\n");
    const base = ["check", VERSIONING, "--pack", TEST_PACK];
    expect(cli([...base, "--rule", "bucket-arn-in-partition"], { cwd: root }).code).toBe(1);
    expect(cli([...base, "--rule", "bucket-arn-in-partition"]).code).toBe(0);
    expect(cli([...base, "--unknown", "warn"], { cwd: root }).code).toBe(0);
    expect(cli([...base, "--unknown", "warn", "--fail-on", "medium"], { cwd: root }).code).toBe(1);
    expect(cli([...base, "--unknown", "warn", "--fail-on", "high"], { cwd: root }).code).toBe(0);
  });
});
