/**
 * Defence in depth for sensitive values. `Observed` already masks attribute values, but a policy
 * statement parsed out of a sensitive document (an IAM policy built from a sensitive variable) and
 * the fix derived from it carry the document's text. Before any reporter sees a result, every
 * statement read from a sensitive path is masked and a fix touching a sensitive path loses its
 * values (its HCL and edits), keeping a hint. Pure: results and model in, results out.
 */
import type { Fix, PolicyStatement, RuleResult, Violation } from "../engine/types.js";
import type { AttrPath, PlanModel } from "../plan/types.js";
import { maskTouches, SENSITIVE_MARK } from "../plan/values.js";

const MASKED_LIST = [SENSITIVE_MARK] as const;

function sensitiveAt(model: PlanModel, address: string, path: AttrPath): boolean {
  const r = model.byAddress.get(address);
  if (!r) return false;
  return maskTouches(r.after.sensitive, path) || maskTouches(r.before.sensitive, path);
}

function maskStatement(s: PolicyStatement): PolicyStatement {
  const list = (v: readonly string[] | undefined): readonly string[] | undefined =>
    v ? MASKED_LIST : undefined;
  const principal = (p: PolicyStatement["Principal"]): PolicyStatement["Principal"] =>
    p ? Object.fromEntries(Object.keys(p).map((k) => [k, MASKED_LIST])) : undefined;
  const out: { -readonly [K in keyof PolicyStatement]: PolicyStatement[K] } = { Effect: s.Effect };
  if (s.Sid !== undefined) out.Sid = SENSITIVE_MARK;
  if (s.Action) out.Action = list(s.Action);
  if (s.NotAction) out.NotAction = list(s.NotAction);
  if (s.Resource) out.Resource = list(s.Resource);
  if (s.NotResource) out.NotResource = list(s.NotResource);
  if (s.Principal) out.Principal = principal(s.Principal);
  if (s.NotPrincipal) out.NotPrincipal = principal(s.NotPrincipal);
  if (s.Condition) out.Condition = { [SENSITIVE_MARK]: { [SENSITIVE_MARK]: MASKED_LIST } };
  return out;
}

function maskViolation(v: Violation, model: PlanModel): { violation: Violation; masked: boolean } {
  if (v.kind !== "policy-forbidden-statement" && v.kind !== "policy-missing-statement") {
    return { violation: v, masked: false };
  }
  if (!sensitiveAt(model, v.address, v.path)) return { violation: v, masked: false };
  // A missing statement comes from the pack (not the plan), but the fix built next to it reads the
  // sensitive document, so it counts as masked either way.
  if (v.kind === "policy-missing-statement") return { violation: v, masked: true };
  return { violation: { ...v, statement: maskStatement(v.statement) }, masked: true };
}

function fixTouchesSensitive(fix: Fix, model: PlanModel): boolean {
  return fix.edits.some(
    (e) => e.op !== "add-resource" && e.op !== "remove-resource" && sensitiveAt(model, e.address, e.path),
  );
}

const HIDDEN_FIX_HINT = "fix not shown: it would print part of a sensitive value";

export function maskSensitiveResults(results: readonly RuleResult[], model: PlanModel): RuleResult[] {
  return results.map((r) => {
    if (r.status !== "fail") return r;
    // Most failures touch nothing sensitive: they are passed on as they are, with no new lists.
    const masks = r.violations.some((v) => maskViolation(v, model).masked);
    const hideFix = r.fix !== undefined && (masks || fixTouchesSensitive(r.fix, model));
    if (!masks && !hideFix) return r;
    const violations = masks ? r.violations.map((v) => maskViolation(v, model).violation) : r.violations;
    const { fix, ...rest } = r;
    return {
      ...rest,
      violations,
      ...(fix && hideFix
        ? { fix: { edits: [], hints: [...fix.hints, HIDDEN_FIX_HINT] } }
        : fix
          ? { fix }
          : {}),
    };
  });
}
