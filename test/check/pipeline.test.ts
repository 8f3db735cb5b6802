import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultCheckDeps } from "../../src/check/deps.js";
import { evaluateWithFixes, prepareCheck, runCheck } from "../../src/check/run.js";
import { FORMATS, render, SHOWS_FIXES } from "../../src/report/index.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PLAN = path.join(ROOT, "examples/insecure/plan.json");

describe("check and fix share one pipeline", () => {
  it("check's fixes come from fix passes, as plangate fix's do (a new companion gets its own requirements)", async () => {
    const deps = defaultCheckDeps({ cwd: ROOT });
    const report = await runCheck({ plans: [PLAN], today: "2026-01-01", toolVersion: "0.0.0" }, deps);
    const fixes = report.plans.flatMap((p) => p.results.flatMap((r) => (r.fix ? [r] : [])));
    const logging = fixes.find((r) => r.rule === "s3-access-logging" && r.address === "aws_s3_bucket.data");
    // Provider schemas: the new logging configuration's required argument no rule sets is named.
    expect(logging?.fix?.hints.join("\n")).toContain(
      "aws_s3_bucket_logging.data: set `target_bucket`, `target_prefix` (required by the provider",
    );

    // What `plangate fix` derives (evaluateWithFixes, unmasked) is what check reports here.
    const prepared = await prepareCheck({}, deps);
    const direct = evaluateWithFixes(prepared, await deps.readPlan(PLAN), deps);
    const key = (r: { pack: string; rule: string; address: string }) => `${r.pack}/${r.rule} ${r.address}`;
    const fromFix = new Map(direct.flatMap((r) => (r.fix ? [[key(r), r.fix.edits] as const] : [])));
    for (const r of fixes) expect(r.fix?.edits, key(r)).toEqual(fromFix.get(key(r)));

    // Fix passes run: the fix stage gets the gate's packs to evaluate again, and uses them.
    let passes = 0;
    const spied: typeof deps = {
      ...deps,
      deriveFixes: (results, model, again) => {
        expect(again).toBeDefined();
        return deps.deriveFixes(results, model, (m, rules) => {
          passes++;
          return again ? again(m, rules) : [];
        });
      },
    };
    await runCheck({ plans: [PLAN], today: "2026-01-01", toolVersion: "0.0.0" }, spied);
    expect(passes).toBeGreaterThan(0);
  });
});

describe("check without fixes (fixes: false, for outputs that print none)", () => {
  const request = { plans: [PLAN], today: "2026-01-01", toolVersion: "0.0.0" };

  it("skips the fix stage and reports the same results, verdicts and outcome without `fix`", async () => {
    const deps = defaultCheckDeps({ cwd: ROOT });
    const withFixes = await runCheck(request, deps);
    const noFixStage: typeof deps = {
      ...deps,
      deriveFixes: () => {
        throw new Error("the fix stage ran");
      },
    };
    const without = await runCheck({ ...request, fixes: false }, noFixStage);
    const strip = (r: (typeof withFixes.plans)[number]["results"][number]) => {
      const { fix: _fix, ...rest } = r;
      return rest;
    };
    expect(withFixes.plans[0]?.results.some((r) => r.fix)).toBe(true);
    expect(without.plans[0]?.results.some((r) => r.fix)).toBe(false);
    expect(without.plans[0]?.results).toEqual(withFixes.plans[0]?.results.map(strip));
    expect(without.counts).toEqual(withFixes.counts);
  });

  it("SHOWS_FIXES is true of exactly the formats whose output changes with the fixes", async () => {
    const deps = defaultCheckDeps({ cwd: ROOT });
    const withFixes = await runCheck(request, deps);
    const without = await runCheck({ ...request, fixes: false }, deps);
    for (const format of FORMATS) {
      const same = render(format, withFixes) === render(format, without);
      expect(same, format).toBe(!SHOWS_FIXES[format]);
    }
  });
});
