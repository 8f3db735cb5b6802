/**
 * Fixes as GitHub suggestion blocks: each failed result's fix planned as a patch on the `.tf`
 * sources on its own, then cut into line replacements (`patchSuggestions`). Only fixes that land
 * whole become suggestions; the rest keep their diff block in the PR comment.
 */
import type { RuleResult } from "../engine/types.js";
import { mergeFixes } from "../fix/merge.js";
import { patchSuggestions, planPatches } from "../fix/patch.js";
import type { SchemaLookup } from "../fix/required.js";
import type { SourceFs } from "../fix/source.js";
import type { PlanModel } from "../plan/types.js";
import { withholdSensitivePatches } from "../safety/secrets.js";
import type { Suggestion } from "./types.js";

/**
 * A PR comment holds 65,536 characters: a few dozen fixes at most are ever shown, so planning
 * patches for every failure of a huge plan would be work thrown away.
 */
export const MAX_SUGGESTED_RESULTS = 500;

export function suggestFixes(
  model: PlanModel,
  results: readonly RuleResult[],
  sourceRoot: string,
  fs: SourceFs,
  schemas: SchemaLookup | undefined,
  /** A path relative to the source root -> as reports show it (relative to the working directory). */
  display: (relPath: string) => string,
): Map<string, Suggestion[]> {
  const out = new Map<string, Suggestion[]>();
  // Terraform JSON inputs have no .tf lines to suggest on (their fixes show as JSON edits).
  if (model.source !== "plan") return out;
  let planned = 0;
  for (const r of results) {
    if (r.status !== "fail" || !r.fix || r.fix.edits.length === 0) continue;
    if (planned++ >= MAX_SUGGESTED_RESULTS) break;
    const plan = planPatches(mergeFixes([r]), model, sourceRoot, fs, schemas ? { schemas } : {});
    if (plan.files.length === 0 || plan.unapplied.length > 0 || plan.refused.length > 0) continue;
    // A suggestion shows lines of the file around the change: none may hold a sensitive value.
    if (withholdSensitivePatches(plan, model).withheld.length > 0) continue;
    out.set(
      `${r.pack}/${r.rule} ${r.address}`,
      patchSuggestions(plan).map(({ file, replacement }) => ({ file: display(file), ...replacement })),
    );
  }
  return out;
}
