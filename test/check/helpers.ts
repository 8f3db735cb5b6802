/** Builders for check/report tests: results as the engine would produce them, models from plan JSON. */
import type { RuleResult } from "../../src/engine/types.js";
import { buildPlanModel } from "../../src/plan/model.js";
import type { PlanModel } from "../../src/plan/types.js";

export function result(over: Partial<RuleResult> & Pick<RuleResult, "rule" | "address">): RuleResult {
  return {
    pack: "aws-s3",
    title: `Title of ${over.rule}`,
    severity: "medium",
    enforcement: "soft-mandatory",
    controls: [],
    resourceType: over.address.replace(/^(module\.[^.]+(\[[^\]]+\])?\.)*/, "").split(".")[0] ?? "",
    status: "fail",
    message: `${over.rule} failed`,
    violations: [],
    unknowns: [],
    related: [],
    unknownPolicy: "unknown",
    fingerprint: `fp-${over.rule}-${over.address}`,
    ...over,
  };
}

/** A plan model with the given resource addresses (as `terraform show -json` prints resource_changes). */
export function model(file: string, extra: Record<string, unknown> = {}): PlanModel {
  return buildPlanModel(
    {
      format_version: "1.2",
      terraform_version: "1.9.5",
      resource_changes: [],
      complete: true,
      errored: false,
      applyable: true,
      ...extra,
    },
    file,
  );
}
