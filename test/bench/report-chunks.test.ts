import { describe, expect, it } from "vitest";
import type { Report } from "../../src/check/types.js";
import { render, renderChunks } from "../../src/report/index.js";
import { renderJson, renderJsonChunks } from "../../src/report/json.js";
import { renderTextChunks } from "../../src/report/text.js";
import { richReport } from "../report/fixture.js";

const rich = richReport();
const variants: [string, Report][] = [
  ["rich", rich],
  ["no plans", { ...rich, plans: [] }],
  ["a plan without results", { ...rich, plans: rich.plans.map((p) => ({ ...p, results: [] })) }],
  ["three plans", { ...rich, plans: [...rich.plans, ...rich.plans, ...rich.plans] }],
  [
    "several batches of results",
    {
      ...rich,
      plans: rich.plans.map((p) => ({
        ...p,
        results:
          p.results.length === 0
            ? []
            : Array.from({ length: 2501 }, (_, i) => p.results[i % p.results.length]),
      })) as Report["plans"],
    },
  ],
  [
    "hostile strings",
    {
      ...rich,
      warnings: ['"@@plangate-results-0@@"', "a\nb"],
      plans: rich.plans.map((p) => ({ ...p, file: '"@@plangate-results-0@@"', warnings: ["x\n  ]"] })),
    },
  ],
];

/** The JSON report in pieces (how `check` writes it) is the same text as in one string. */
describe("renderJsonChunks", () => {
  it.each(variants)("joins to renderJson's text: %s", (_name, report) => {
    for (const quiet of [false, true]) {
      expect([...renderJsonChunks(report, { quiet })].join("")).toBe(renderJson(report, { quiet }));
      expect([...renderChunks("json", report, { quiet })].join("")).toBe(renderJson(report, { quiet }));
    }
  });
});

/** The text report in pieces: whole lines, a resource's lines never split, the same text joined. */
describe("renderTextChunks", () => {
  it.each(variants)("joins to render's text, in pieces of whole resources: %s", (_name, report) => {
    for (const opts of [{}, { quiet: true }, { color: true }]) {
      const chunks = [...renderTextChunks(report, opts)];
      expect([...renderChunks("text", report, opts)].join("")).toBe(render("text", report, opts));
      for (const [i, chunk] of chunks.entries()) {
        expect(chunk.endsWith("\n")).toBe(true);
        // A later piece never starts inside a resource (whose result lines are indented by 4+).
        if (i > 0) expect(chunk).not.toMatch(/^ {3}/);
      }
    }
  });
  it("a plan of many resources comes in several pieces", () => {
    const many = variants.find(([name]) => name === "several batches of results")?.[1] as Report;
    const wide = {
      ...many,
      plans: many.plans.map((p) => ({
        ...p,
        results: p.results.map((r, i) => ({ ...r, address: `aws_s3_bucket.b${i}` })),
      })),
    } as Report;
    expect([...renderTextChunks(wide)].length).toBeGreaterThan(1);
  });
});
