/**
 * Sensitive values that could reach output without passing through the model's masks: a unified
 * diff prints context lines of the `.tf` sources, and a source may hold the very literal the plan
 * marks sensitive (`kms_master_key_id = "..."` next to the line a fix changes). Reporters mask
 * values; this catches text that was never a value of ours.
 */
import type { FilePatch, PatchPlan } from "../fix/patch.js";
import { renderPatch } from "../fix/patch.js";
import type { JsonValue, PlanModel, ValueMask } from "../plan/types.js";
import { child } from "../plan/values.js";

/**
 * Shorter sensitive strings are not searched for: they match ordinary text ("true", "1") and
 * would withhold every diff. Four characters is below any credential or key id.
 */
export const MIN_SECRET_LENGTH = 4;

function collect(
  value: JsonValue | undefined,
  mask: ValueMask | undefined,
  under: boolean,
  out: Set<string>,
): void {
  if (value === undefined || value === null) return;
  const sensitive = under || mask === true;
  if (typeof value === "string") {
    if (sensitive && value.length >= MIN_SECRET_LENGTH) out.add(value);
  } else if (typeof value === "number" || typeof value === "boolean") {
    return;
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) collect(value[i], child(mask, i), sensitive, out);
  } else {
    for (const k of Object.keys(value)) collect(value[k], child(mask, k), sensitive, out);
  }
}

/** Every string the plan marks sensitive, before or after, of every resource. */
export function sensitiveStrings(model: PlanModel): Set<string> {
  const out = new Set<string>();
  for (const r of model.resources) {
    collect(r.before.value, r.before.sensitive, false, out);
    collect(r.after.value, r.after.sensitive, false, out);
  }
  return out;
}

export function holdsSecret(text: string, secrets: ReadonlySet<string>): boolean {
  for (const s of secrets) if (text.includes(s)) return true;
  return false;
}

/**
 * The patch plan without the files whose diff would print a sensitive value (their relative
 * paths are returned): such a diff can still be applied with `--write`, which prints nothing.
 */
export function withholdSensitivePatches(
  plan: PatchPlan,
  model: PlanModel,
): { readonly plan: PatchPlan; readonly withheld: readonly string[] } {
  const secrets = sensitiveStrings(model);
  if (secrets.size === 0) return { plan, withheld: [] };
  const shown: FilePatch[] = [];
  const withheld: string[] = [];
  for (const f of plan.files) {
    if (holdsSecret(renderPatch({ ...plan, files: [f] }), secrets)) withheld.push(f.relPath);
    else shown.push(f);
  }
  return { plan: { ...plan, files: shown }, withheld };
}
