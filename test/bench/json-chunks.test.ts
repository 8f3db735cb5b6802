import { describe, expect, it } from "vitest";
import type { Report } from "../../src/check/types.js";
import { renderChunks } from "../../src/report/index.js";
import { renderJson, renderJsonChunks } from "../../src/report/json.js";
import { richReport } from "../report/fixture.js";

/** The JSON report in pieces (how `check` writes it) is the same text as in one string. */
describe("renderJsonChunks", () => {
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
  it.each(variants)("joins to renderJson's text: %s", (_name, report) => {
    for (const quiet of [false, true]) {
      expect([...renderJsonChunks(report, { quiet })].join("")).toBe(renderJson(report, { quiet }));
      expect([...renderChunks("json", report, { quiet })].join("")).toBe(renderJson(report, { quiet }));
    }
  });
});
