import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { cutPlannedValues, parsePlanText } from "../../src/plan/skip-planned-values.js";

const CORPUS = fileURLToPath(new URL("../../../shared/corpus/plans/", import.meta.url));

/** What the cut may take away: the members plangate never reads. */
function withoutSkipped(doc: Record<string, unknown>): Record<string, unknown> {
  const { planned_values: _p, resource_drift: _d, ...rest } = doc;
  return rest;
}

/** A plan as Terraform prints it: one line, keys in Terraform's order. */
function compactPlan(extra: { variables?: unknown; tags?: unknown; between?: Record<string, unknown> } = {}) {
  const after = { bucket: "b", tags: extra.tags ?? { env: "prod" } };
  return JSON.stringify({
    format_version: "1.2",
    terraform_version: "1.11.0",
    variables: extra.variables ?? { region: { value: "eu-west-1" } },
    planned_values: {
      root_module: { resources: [{ address: "aws_s3_bucket.b", type: "aws_s3_bucket", values: after }] },
    },
    resource_drift: [],
    ...(extra.between ?? {}),
    resource_changes: [
      {
        address: "aws_s3_bucket.b",
        mode: "managed",
        type: "aws_s3_bucket",
        name: "b",
        change: { actions: ["create"], before: null, after, after_unknown: {} },
      },
    ],
    configuration: { root_module: {} },
    complete: true,
    errored: false,
  });
}

describe("parsePlanText: planned_values cut out before the parse", () => {
  it("gives the whole parse minus planned_values and resource_drift", () => {
    const text = compactPlan();
    expect(cutPlannedValues(text)).toBeDefined();
    const doc = parsePlanText(text, JSON.parse) as Record<string, unknown>;
    expect(doc).not.toHaveProperty("planned_values");
    expect(doc).toEqual(withoutSkipped(JSON.parse(text)));
  });

  it("on every corpus plan: the whole parse, or that minus what the cut may take", () => {
    let cut = 0;
    for (const name of readdirSync(CORPUS).filter((n) => n.endsWith(".json"))) {
      const text = readFileSync(`${CORPUS}${name}`, "utf8").replace(/^\uFEFF/, "");
      let whole: Record<string, unknown>;
      try {
        whole = JSON.parse(text);
      } catch {
        continue; // not UTF-8 JSON as read here (the UTF-16 plan); the reader decodes it first
      }
      const doc = parsePlanText(text, JSON.parse) as Record<string, unknown>;
      if (cutPlannedValues(text) === undefined) expect(doc, name).toEqual(whole);
      else {
        cut++;
        expect(doc, name).toEqual(withoutSkipped(whole));
      }
    }
    // The corpus holds compact plans as Terraform prints them, and pretty-printed ones (not cut).
    expect(cut).toBeGreaterThan(0);
  });

  it("does not cut at a `planned_values` key nested in the variables", () => {
    const text = compactPlan({
      variables: { x: { value: { a: 1, planned_values: 2, resource_changes: 3 } } },
    });
    expect(cutPlannedValues(text)).toBeUndefined();
    expect(parsePlanText(text, JSON.parse)).toEqual(JSON.parse(text));
  });

  it("does not cut across a key plangate reads (another key order)", () => {
    const text = compactPlan({ between: { prior_state: { values: {} } } });
    expect(cutPlannedValues(text)).toBeUndefined();
    expect(parsePlanText(text, JSON.parse)).toEqual(JSON.parse(text));
  });

  it("does not cut at a `resource_changes` key inside the planned values", () => {
    // The first `,"resource_changes":` is a tag key inside planned_values: a cut there would cross
    // nesting levels.
    const text = compactPlan({ tags: { env: "prod", resource_changes: "x" } });
    expect(cutPlannedValues(text)).toBeUndefined();
    expect(parsePlanText(text, JSON.parse)).toEqual(JSON.parse(text));
  });

  it("errors are the whole text's: a syntax error outside the cut is reported at its position", () => {
    const text = `${compactPlan().slice(0, -1)},}`;
    let whole: unknown;
    try {
      JSON.parse(text);
    } catch (e) {
      whole = (e as Error).message;
    }
    expect(() => parsePlanText(text, JSON.parse)).toThrow(whole as string);
  });

  it("leaves text without the markers (pretty-printed, format 0.1, configuration) to the whole parse", () => {
    const pretty = JSON.stringify(JSON.parse(compactPlan()), null, 2);
    expect(cutPlannedValues(pretty)).toBeUndefined();
    expect(cutPlannedValues('{"format_version":"1.2","resource_changes":[]}')).toBeUndefined();
    expect(cutPlannedValues('{"resource":{"aws_s3_bucket":{}}}')).toBeUndefined();
  });

  it("a quote inside a string before the cut does not confuse the depth scan", () => {
    const text = compactPlan({ variables: { x: { value: 'a "quoted" \\" value {[' } } });
    expect(cutPlannedValues(text)).toBeDefined();
    expect(parsePlanText(text, JSON.parse)).toEqual(withoutSkipped(JSON.parse(text)));
  });
});
