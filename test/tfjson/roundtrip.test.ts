/**
 * The same configuration read two ways: as the plan JSON of examples/insecure/main.tf, and as the
 * equivalent Terraform JSON (test/fixtures/tfjson/insecure.tf.json). Every value the configuration
 * gives as a literal must be known and equal in both, and the reference graph must be the same.
 */
import { describe, expect, it } from "vitest";
import type { JsonValue, PathStep, PlanModel } from "../../src/plan/types.js";
import { lookup } from "../../src/plan/values.js";
import { bothModels } from "./insecure-models.js";

/** Every known leaf of a value, with its path. */
function leaves(
  v: JsonValue,
  path: PathStep[] = [],
  out: [PathStep[], JsonValue][] = [],
): [PathStep[], JsonValue][] {
  if (Array.isArray(v)) for (const [i, x] of v.entries()) leaves(x, [...path, i], out);
  else if (v !== null && typeof v === "object")
    for (const k of Object.keys(v)) leaves(v[k] as JsonValue, [...path, k], out);
  else if (v !== null) out.push([path, v]);
  return out;
}

describe("round trip: plan JSON and Terraform JSON of the same configuration", () => {
  it("has the same resources, and every literal of the configuration is known and equal in the plan", async () => {
    const { plan, config } = await bothModels();
    expect(config.resources.map((r) => r.address).sort()).toEqual(
      plan.resources.map((r) => r.address).sort(),
    );
    let compared = 0;
    for (const c of config.resources) {
      const p = plan.byAddress.get(c.address)!;
      expect(c.type).toBe(p.type);
      expect(c.actions).toEqual(p.actions);
      for (const [path, value] of leaves(c.after.value)) {
        const l = lookup(c.after, path);
        if (l.state !== "known") continue;
        expect({ address: c.address, path, value: lookup(p.after, path) }).toEqual({
          address: c.address,
          path,
          value: { state: "known", value, sensitive: false },
        });
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(19);
  });

  it("has the same reference links", async () => {
    const { plan, config } = await bothModels();
    const refs = (m: PlanModel): string[] =>
      m.links
        .filter((l) => l.kind === "reference")
        .map((l) => `${l.from} -> ${l.to} via ${l.via}`)
        .sort();
    expect(refs(config)).toEqual(refs(plan));
    expect(refs(config)).toEqual(["aws_backup_plan.daily -> aws_backup_vault.main via rule"]);
  });

  it("knows before the plan what the provider computes as unknown, not as absent", async () => {
    const { config } = await bothModels();
    const vault = config.byAddress.get("aws_backup_vault.main")!;
    expect(lookup(vault.after, ["kms_key_arn"]).state).toBe("unknown");
    expect(lookup(vault.after, ["arn"]).state).toBe("unknown");
  });
});
