/**
 * The benchmark at its smallest size, as CI runs it: a ~1,000-resource plan from bench/generate.mjs
 * through `runCheck` with the built-in packs and the JSON reporter, in-process. Asserts that the
 * counts are sane (not timings: those belong to `npm run bench`, on a quiet machine).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultCheckDeps } from "../../src/check/deps.js";
import { runCheck } from "../../src/check/run.js";
import { validate } from "../../src/generated/results.validate.js";
import { renderJson, renderJsonChunks } from "../../src/report/json.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "plangate-bench-smoke-"));
const plan = join(dir, "plan-1000.json");

interface JsonResult {
  readonly rule: string;
  readonly pack: string;
  readonly address: string;
  readonly resourceType: string;
  readonly status: string;
  readonly verdict: string;
  readonly fingerprint: string;
}
interface JsonReport {
  readonly summary: Record<string, number>;
  readonly rules: readonly { readonly id: string; readonly pack: string }[];
  readonly plans: readonly {
    readonly resources: number;
    readonly summary: Record<string, number>;
    readonly results: readonly JsonResult[];
  }[];
}

let report: JsonReport;
let text: string;
let chunked: string;
let resourceChanges: readonly { readonly type: string; readonly address: string }[];

beforeAll(async () => {
  execFileSync(process.execPath, [join(ROOT, "bench", "generate.mjs"), "1000", plan], { stdio: "ignore" });
  resourceChanges = (JSON.parse(readFileSync(plan, "utf8")) as { resource_changes: typeof resourceChanges })
    .resource_changes;
  const r = await runCheck(
    { plans: [plan], today: "2026-01-01", toolVersion: "0.0.0-bench" },
    defaultCheckDeps({ cwd: dir }),
  );
  text = renderJson(r);
  chunked = [...renderJsonChunks(r)].join("");
  report = JSON.parse(text) as JsonReport;
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("bench smoke: check on the generated 1,000-resource plan", () => {
  it("reads every resource instance of the plan", () => {
    expect(resourceChanges.length).toBeGreaterThan(900);
    expect(resourceChanges.length).toBeLessThan(1100);
    expect(report.plans).toHaveLength(1);
    expect(report.plans[0]?.resources).toBe(resourceChanges.length);
  });

  it("writes the same JSON in pieces as in one string", () => {
    expect(chunked).toBe(text);
  });

  it("prints a report that matches the results schema", () => {
    expect(validate(JSON.parse(text)), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it("has sane counts: passes and failures, several rules per resource, summary = results", () => {
    const results = report.plans[0]?.results ?? [];
    const by = (key: "status" | "verdict") =>
      results.reduce<Record<string, number>>((m, r) => {
        m[r[key]] = (m[r[key]] ?? 0) + 1;
        return m;
      }, {});
    const status = by("status");
    expect(status.pass ?? 0).toBeGreaterThan(100);
    expect(status.fail ?? 0).toBeGreaterThan(100);
    expect(Object.keys(status).every((s) => ["pass", "fail", "unknown"].includes(s))).toBe(true);
    expect(results.length).toBeGreaterThan(resourceChanges.length);
    // The printed results are every verdict but not_applicable, which the summary still counts.
    const verdicts = by("verdict");
    for (const [v, n] of Object.entries(report.plans[0]?.summary ?? {}))
      if (v !== "not_applicable") expect(verdicts[v] ?? 0, v).toBe(n);
    expect(report.summary).toEqual(report.plans[0]?.summary);
  });

  it("results name known rules and planned resources, each (rule, address) once", () => {
    const results = report.plans[0]?.results ?? [];
    const rules = new Set(report.rules.map((r) => `${r.pack}/${r.id}`));
    const addresses = new Map(resourceChanges.map((r) => [r.address, r.type]));
    for (const r of results) {
      expect(rules.has(`${r.pack}/${r.rule}`), r.rule).toBe(true);
      expect(addresses.get(r.address), r.address).toBe(r.resourceType);
    }
    expect(new Set(results.map((r) => r.fingerprint)).size).toBe(results.length);
    // Every built-in pack found subjects in the generated plan.
    expect(new Set(results.map((r) => r.pack))).toEqual(new Set(["aws-s3", "aws-iam", "aws-backup"]));
  });

  it("bench/floor.mjs writes the report it is given and says how long loading it took", () => {
    const file = join(dir, "report-1000.json");
    writeFileSync(file, text);
    const out = spawnSync(process.execPath, [join(ROOT, "bench", "floor.mjs"), plan, file], {
      encoding: "utf8",
      maxBuffer: 1 << 28,
    });
    expect(out.status).toBe(0);
    // run.mjs subtracts this from the process's wall time.
    expect(Number(out.stderr.trim())).toBeGreaterThan(0);
    // Compared as a boolean: a failure would otherwise print two 2 MB strings.
    expect(out.stdout === text, `${out.stdout.length} vs ${text.length} characters`).toBe(true);
  });
});
