/**
 * The form a fix is shown in: HCL for plans (their sources are `.tf` files), Terraform JSON edits
 * for a configuration input (its sources are `.tf.json` files or cdktf output, where HCL would be
 * the wrong language to copy from).
 */
import type { CheckedResult } from "../check/types.js";
import { renderTerraformJsonEdits } from "../fix/tfjson-fix.js";
import type { ModelSource } from "../plan/types.js";

export interface FixForm {
  /** `hcl`: the fix stage's HCL with `+`/`-` markers; `json`: `renderTerraformJsonEdits` lines. */
  readonly kind: "hcl" | "json";
  readonly text: string;
}

/** The fix of a failed result as its reader applies it; undefined when only hints remain. */
export function fixForm(r: CheckedResult, source: ModelSource): FixForm | undefined {
  if (r.status !== "fail" || !r.fix) return undefined;
  if (source === "configuration") {
    const text = renderTerraformJsonEdits(r.fix.edits);
    return text === "" ? undefined : { kind: "json", text };
  }
  return r.fix.hcl ? { kind: "hcl", text: r.fix.hcl } : undefined;
}
