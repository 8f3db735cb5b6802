/** The same configuration read two ways: as the plan JSON of examples/insecure and as Terraform JSON. */
import { readFile } from "node:fs/promises";
import { buildPlanModel } from "../../src/plan/model.js";
import { readTerraformJsonInput } from "../../src/plan/tfjson-read.js";
import type { PlanModel } from "../../src/plan/types.js";

const PLAN = new URL("../../examples/insecure/plan.json", import.meta.url).pathname;
const CONFIG = new URL("../fixtures/tfjson/insecure.tf.json", import.meta.url).pathname;

export async function bothModels(): Promise<{ plan: PlanModel; config: PlanModel }> {
  const plan = buildPlanModel(JSON.parse(await readFile(PLAN, "utf8")) as unknown, PLAN);
  const config = await readTerraformJsonInput(CONFIG);
  return { plan, config };
}
