/**
 * Invariants of every result the built-in packs produce on every corpus plan: one result per
 * (pack, rule, subject); a failure says what to change; an unknown names what blocked it; nothing
 * marked sensitive reaches a result; evaluation is deterministic.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/engine/evaluate.js";
import { readPlanInput } from "../../src/plan/read.js";
import type { JsonValue, PlanModel } from "../../src/plan/types.js";
import { compilePack } from "../../src/policy/compile.js";
import type { CompiledPack } from "../../src/policy/compiled-pack.js";
import { loadPacks } from "../../src/policy/load.js";

const corpus = fileURLToPath(new URL("../../../shared/corpus/plans/", import.meta.url));

/** Every string under a sensitive mask of a resource's planned values. */
function sensitiveStrings(model: PlanModel): string[] {
  const out: string[] = [];
  const walk = (v: JsonValue | undefined, m: JsonValue | undefined, under: boolean): void => {
    const s = under || m === true;
    if (typeof v === "string" && s && v.length >= 6) out.push(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) walk(v[i], Array.isArray(m) ? m[i] : undefined, s);
    } else if (v !== null && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        walk(x, m !== null && typeof m === "object" && !Array.isArray(m) ? m[k] : undefined, s);
      }
    }
  };
  for (const r of model.resources) walk(r.after.value, r.after.sensitive, false);
  return out;
}

describe("results of the built-in packs on the corpus", async () => {
  const packs: CompiledPack[] = (await loadPacks(["aws-s3", "aws-iam", "aws-backup"])).map((s) => {
    const r = compilePack(s);
    if (!r.pack) throw new Error(`${s.file} does not compile`);
    return r.pack;
  });

  it("hold the invariants", async () => {
    let total = 0;
    for (const file of readdirSync(corpus)
      .filter((f) => f.endsWith(".json"))
      .sort()) {
      let model: PlanModel;
      try {
        model = await readPlanInput(join(corpus, file));
      } catch {
        continue;
      }
      const results = evaluate(model, packs);
      total += results.length;
      const keys = results.map((r) => `${r.pack}/${r.rule}/${r.address}`);
      expect(new Set(keys).size, file).toBe(keys.length);
      for (const r of results) {
        if (r.status === "fail")
          expect(r.violations.length, `${file} ${r.rule} ${r.address}`).toBeGreaterThan(0);
        else expect(r.violations, `${file} ${r.rule} ${r.address}`).toEqual([]);
        if (r.status === "unknown")
          expect(r.unknowns.length, `${file} ${r.rule} ${r.address}`).toBeGreaterThan(0);
        for (const u of r.unknowns) expect(model.byAddress.has(u.address), u.address).toBe(true);
        for (const a of r.related) expect(model.byAddress.has(a), a).toBe(true);
      }
      const text = JSON.stringify(results);
      for (const secret of sensitiveStrings(model))
        expect(text.includes(JSON.stringify(secret)), `${file} leaks a sensitive value`).toBe(false);
      expect(evaluate(model, packs)).toEqual(results);
    }
    expect(total).toBeGreaterThan(1000);
  }, 60_000);
});
