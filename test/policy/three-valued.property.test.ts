/**
 * Laws of the three-valued logic, over random assertion trees and random planned values:
 * `not` swaps pass and fail and keeps unknown (negation is pushed down into operators and
 * quantifiers, so this checks every complement), and `not(not T)` is `T`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/engine/evaluate.js";
import type { JsonObject, JsonValue } from "../../src/plan/types.js";
import { packOf, planModel, ruleYaml } from "./plan-fixture.js";

type Tree = { readonly yaml: string };

const leaf: fc.Arbitrary<Tree> = fc
  .tuple(
    fc.constantFrom("a", "b", "l[*]", "l[0]", "m.k"),
    fc.constantFrom(
      "equals: 1",
      "in: [1, 2]",
      "exists: true",
      "greaterThan: 1",
      "contains: 1",
      "matches: '^1'",
      "length: { greaterThan: 1 }",
    ),
  )
  .map(([path, op]) => ({ yaml: `{ attribute: "${path}", ${op} }` }));

const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc
      .array(tie("node"), { minLength: 1, maxLength: 3 })
      .map((xs) => ({ yaml: `{ all: [${xs.map((x) => x.yaml).join(", ")}] }` })),
    fc
      .array(tie("node"), { minLength: 1, maxLength: 3 })
      .map((xs) => ({ yaml: `{ any: [${xs.map((x) => x.yaml).join(", ")}] }` })),
    tie("node").map((x) => ({ yaml: `{ not: ${x.yaml} }` })),
    fc.tuple(fc.constantFrom("each", "some", "none"), leaf).map(([q, x]) => ({
      yaml: `{ ${q}: o, require: ${x.yaml.replace(/"(a|b|l\[\*\]|l\[0\]|m\.k)"/, '"v"')} }`,
    })),
  ),
})).node;

const slot: fc.Arbitrary<JsonValue | "unknown" | undefined> = fc.constantFrom(
  1,
  2,
  "1x",
  null,
  undefined,
  "unknown",
);

const values = fc.record({
  a: slot,
  b: slot,
  l: fc.oneof(fc.constant("unknown" as const), fc.array(slot, { maxLength: 3 })),
  m: fc.oneof(fc.constant("unknown" as const), fc.record({ k: slot })),
  o: fc.oneof(fc.constant("unknown" as const), fc.array(fc.record({ v: slot }), { maxLength: 3 })),
});

/** Planned values as Terraform prints them: unknown leaves are absent/null with `true` in the mask. */
function toPlan(v: Record<string, unknown>): { after: JsonObject; afterUnknown: JsonObject } {
  const split = (x: unknown): [JsonValue | undefined, JsonValue | undefined] => {
    if (x === "unknown") return [undefined, true];
    if (Array.isArray(x)) {
      const parts = x.map(split);
      return [parts.map((p) => p[0] ?? null), parts.map((p) => p[1] ?? false)];
    }
    if (typeof x === "object" && x !== null) {
      const value: JsonObject = {};
      const mask: JsonObject = {};
      for (const [k, c] of Object.entries(x)) {
        const [cv, cm] = split(c);
        if (cv !== undefined) value[k] = cv;
        if (cm !== undefined) mask[k] = cm;
      }
      return [value, mask];
    }
    return [x as JsonValue | undefined, undefined];
  };
  const [after, afterUnknown] = split(v);
  return { after: (after ?? {}) as JsonObject, afterUnknown: (afterUnknown ?? {}) as JsonObject };
}

function status(require: string, plan: { after: JsonObject; afterUnknown: JsonObject }): string {
  const pack = packOf(ruleYaml("aws_s3_bucket", require));
  const [r] = evaluate(planModel([{ address: "aws_s3_bucket.x", ...plan }]), [pack]);
  return r?.status ?? "none";
}

const SWAP: Record<string, string> = { pass: "fail", fail: "pass", unknown: "unknown" };

describe("three-valued laws", () => {
  it("not swaps pass and fail and keeps unknown; not(not T) = T", () => {
    fc.assert(
      fc.property(tree, values, (t, v) => {
        const plan = toPlan(v);
        const s = status(t.yaml, plan);
        expect(status(`{ not: ${t.yaml} }`, plan), t.yaml).toBe(SWAP[s]);
        expect(status(`{ not: { not: ${t.yaml} } }`, plan), t.yaml).toBe(s);
      }),
      { numRuns: 300, seed: 31337 },
    );
  }, 60_000);

  it("a failing result always says what to change", () => {
    fc.assert(
      fc.property(tree, values, (t, v) => {
        const pack = packOf(ruleYaml("aws_s3_bucket", t.yaml));
        const [r] = evaluate(planModel([{ address: "aws_s3_bucket.x", ...toPlan(v) }]), [pack]);
        if (r?.status === "fail") expect(r.violations.length, t.yaml).toBeGreaterThan(0);
        if (r?.status === "unknown") expect(r.unknowns.length, t.yaml).toBeGreaterThan(0);
      }),
      { numRuns: 200, seed: 7 },
    );
  }, 60_000);
});
