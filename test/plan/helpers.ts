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
