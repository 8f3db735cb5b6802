import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultCheckDeps } from "../../src/check/deps.js";
import { evaluateWithFixes, prepareCheck, runCheck } from "../../src/check/run.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PLAN = path.join(ROOT, "examples/insecure/plan.json");

describe("check and fix share one pipeline", () => {
  it("check's fixes come from fix passes, as plangate fix's do (a new companion gets its own requirements)", async () => {
    const deps = defaultCheckDeps({ cwd: ROOT });
    const report = await runCheck({ plans: [PLAN], today: "2026-01-01", toolVersion: "0.0.0" }, deps);
    const fixes = report.plans.flatMap((p) => p.results.flatMap((r) => (r.fix ? [r] : [])));
    const tls = fixes.find((r) => r.rule === "s3-tls-only" && r.address === "aws_s3_bucket.data");
    const hints = tls?.fix?.hints.join("\n") ?? "";
    // Provider schemas: the new bucket policy's required argument no rule sets is named.
    expect(hints).toContain("aws_s3_bucket_policy.data: set `policy` (required by the provider");
    // A second pass evaluated the new companion: its policy still needs the statement.
    expect(hints).toContain("aws_s3_bucket_policy.data: its policy needs a statement like");

    // What `plangate fix` derives (evaluateWithFixes, unmasked) is what check reports here.
    const prepared = await prepareCheck({}, deps);
    const direct = evaluateWithFixes(prepared, await deps.readPlan(PLAN), deps);
    const key = (r: { pack: string; rule: string; address: string }) => `${r.pack}/${r.rule} ${r.address}`;
    const fromFix = new Map(direct.flatMap((r) => (r.fix ? [[key(r), r.fix.edits] as const] : [])));
    for (const r of fixes) expect(r.fix?.edits, key(r)).toEqual(fromFix.get(key(r)));
  });
});
