import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { readPlanInput } from "../../src/plan/read.js";
import type { PlanModel } from "../../src/plan/types.js";

/** The shared corpus of real plans, read in place (its licences vary; see SOURCES.md). */
export const CORPUS = fileURLToPath(new URL("../../../shared/corpus/plans/", import.meta.url));

export function corpusFiles(): string[] {
  return readdirSync(CORPUS)
    .filter((f) => f.endsWith(".json"))
    .sort();
}

const cache = new Map<string, Promise<PlanModel>>();

/** Load a corpus plan by file name (cached across tests of one file). */
export function corpusPlan(name: string): Promise<PlanModel> {
  let p = cache.get(name);
  if (!p) {
    p = readPlanInput(CORPUS + name);
    cache.set(name, p);
  }
  return p;
}

/** Repo fixtures (our own plans; see test/fixtures/README.md). */
export const FIXTURES = fileURLToPath(new URL("../fixtures/plans/", import.meta.url));

export function fixturePlan(name: string): Promise<PlanModel> {
  return readPlanInput(FIXTURES + name);
}

/** Outgoing links of `from` as `to via kind` strings, sorted: easy to compare with expectations. */
export function linksFrom(model: PlanModel, from: string): string[] {
  return (model.outgoing.get(from) ?? []).map((l) => `${l.to} via ${l.via} (${l.kind})`).sort();
}
