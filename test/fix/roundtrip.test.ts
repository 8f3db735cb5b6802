/**
 * Round trip over the real engine and the built-in packs: for every failing (rule, subject) in the
 * packs' own fixture plans, the derived fix, applied to the model, makes that rule pass when
 * evaluated again. No expected text is written by hand: the engine is the oracle.
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { defaultCheckDeps } from "../../src/check/deps.js";
import type { LoadedPack } from "../../src/check/run.js";
import type { Fix, RuleResult } from "../../src/engine/types.js";
import { applyFixToModel } from "../../src/fix/apply-model.js";
import { deriveFixes, fixGaps } from "../../src/fix/derive.js";
import { iterateFix } from "../../src/fix/iterate.js";
import { mergeFixes } from "../../src/fix/merge.js";
import { buildPlanModel } from "../../src/plan/model.js";
import type { PlanModel } from "../../src/plan/types.js";
import type { CompiledPack } from "../../src/policy/compiled-pack.js";
import { loadSchemaIndex } from "../../src/policy/provider-schema/index.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PACKS = ["aws-s3", "aws-iam", "aws-backup"] as const;
const schemas = loadSchemaIndex();

function plansOf(pack: string): string[] {
  const dir = path.join(ROOT, "policies/tests", pack);
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".json"))
        .sort()
        .map((f) => path.join(dir, f))
    : [];
}

interface Case {
  readonly plan: string;
  readonly model: PlanModel;
  readonly result: RuleResult;
  /** Why the fix is partial (no value derivable, companion missing a required argument). */
  readonly gaps: readonly string[];
}

interface Iterated {
  readonly fix: Fix;
  readonly resolved: boolean;
}

describe.each(PACKS)("round trip: %s", (packName) => {
  let pack: LoadedPack<CompiledPack>;
  const cases: Case[] = [];
  const deps = defaultCheckDeps({ cwd: ROOT });
  const evalRule = (model: PlanModel, rule: string): RuleResult[] =>
    deps
      .evaluate(model, [pack.compiled], { rules: new Set([rule]), unknownPolicy: "unknown" })
      .filter((r) => r.rule === rule);

  beforeAll(async () => {
    const loaded = await deps.loadPacks([packName], {});
    pack = loaded[0] as LoadedPack<CompiledPack>;
    for (const file of [...plansOf(packName), path.join(ROOT, "examples/insecure/plan.json")]) {
      const model = buildPlanModel(JSON.parse(fs.readFileSync(file, "utf8")), path.relative(ROOT, file));
      const results = deps.evaluate(model, [pack.compiled], {
        rules: new Set(pack.rules.map((r) => r.id)),
        unknownPolicy: "unknown",
      });
      for (const result of deriveFixes(results, model)) {
        if (result.status === "fail") {
          cases.push({
            plan: path.relative(ROOT, file),
            model,
            result,
            gaps: fixGaps(result, model, schemas),
          });
        }
      }
    }
  });

  it("every rule of the pack fails somewhere in the fixtures, with a fix or a hint", () => {
    const failing = new Set(cases.map((c) => c.result.rule));
    const missing = pack.rules.map((r) => r.id).filter((id) => !failing.has(id));
    expect(missing, "rules without a failing fixture").toEqual([]);
    for (const c of cases) {
      const fix = c.result.fix;
      expect(fix, `${c.result.rule} ${c.result.address}`).toBeDefined();
      expect(
        (fix?.edits.length ?? 0) + (fix?.hints.length ?? 0),
        `${c.result.rule} ${c.result.address}: empty fix`,
      ).toBeGreaterThan(0);
    }
  });

  it("each complete fix makes its rule pass on its subject (engine as the oracle)", () => {
    const broken: string[] = [];
    let proved = 0;
    for (const c of cases) {
      const fix = c.result.fix;
      // Partial fixes (hints for what cannot be derived) are not expected to pass on their own;
      // companions get their second-pass requirements in the next test.
      const direct = c.result.violations.every((v) => v.kind !== "missing-related");
      if (!fix || fix.edits.length === 0 || c.gaps.length > 0 || !direct) continue;
      const after = evalRule(applyFixToModel(c.model, fix), c.result.rule).find(
        (r) => r.address === c.result.address,
      );
      if (after?.status === "fail")
        broken.push(`${c.plan}: ${c.result.rule} ${c.result.address}: ${after.message}`);
      else proved++;
    }
    expect(broken).toEqual([]);
    expect(proved).toBeGreaterThan(0);
  });

  it("fix passes resolve every failure, or end in a hint saying what cannot be derived", () => {
    const stuck: string[] = [];
    let resolved = 0;
    let partial = 0;
    for (const c of cases) {
      if (!c.result.fix?.edits.some((e) => e.op === "add-resource")) continue; // direct: proved above
      const it = iterateFix(c.result, c.model, (m, rules) =>
        deps.evaluate(m, [pack.compiled], { rules, unknownPolicy: "unknown" }),
      );
      if (it.resolved) resolved++;
      else if (it.fix.hints.length > 0 || c.gaps.length > 0) partial++;
      else stuck.push(`${c.plan}: ${c.result.rule} ${c.result.address} (${it.passes} passes)`);
    }
    console.info(
      `${packName}: ${cases.length} failures; with new companions: ${resolved} fixed in passes, ${partial} partial with hints`,
    );
    expect(stuck).toEqual([]);
  });

  it("applying every resolved fix of a plan at once (merged) leaves none of them failing", () => {
    const byPlan = new Map<string, { c: Case; it: Iterated }[]>();
    for (const c of cases) {
      const it = iterateFix(c.result, c.model, (m, rules) =>
        deps.evaluate(m, [pack.compiled], { rules, unknownPolicy: "unknown" }),
      );
      const direct = (c.result.fix?.edits.length ?? 0) > 0 && c.gaps.length === 0 && it.passes === 1;
      if (it.resolved || direct) byPlan.set(c.plan, [...(byPlan.get(c.plan) ?? []), { c, it }]);
    }
    const still: string[] = [];
    for (const [plan, list] of byPlan) {
      const model = list[0]?.c.model as PlanModel;
      // The production path: one merged edit list per resource (mergeFixes), then applied.
      const merged = mergeFixes(list.map((x) => ({ ...x.c.result, fix: x.it.fix })));
      expect(merged.conflicts, plan).toEqual([]);
      const fixed = applyFixToModel(model, { edits: [...merged.edits.values()].flat() });
      const wanted = new Set(list.map((x) => `${x.c.result.rule} ${x.c.result.address}`));
      const again = deps.evaluate(fixed, [pack.compiled], {
        rules: new Set(pack.rules.map((r) => r.id)),
        unknownPolicy: "unknown",
      });
      for (const r of again) {
        if (r.status === "fail" && wanted.has(`${r.rule} ${r.address}`))
          still.push(`${plan}: ${r.rule} ${r.address}`);
      }
    }
    expect(still).toEqual([]);
  });
});
