/**
 * Statement matchers: the `require` / `forbid` tests of a `policyDocument` assertion, compiled once
 * into a three-valued predicate over normalized statements.
 *
 * IAM semantics that matter here: actions compare case-insensitively with `*` / `?` wildcards on
 * either side (`s3:*` covers `s3:GetObject`); `NotAction` covers every action it does not list;
 * resources compare case-sensitively; condition operators match their `IfExists` variants and keys
 * compare case-insensitively.
 */
import type { PolicyStatement } from "../../engine/types.js";
import type { AttrPath, ResourceInstance } from "../../plan/types.js";
import { formatPath } from "../../plan/values.js";
import { wildcardMatch } from "../../safety/wildcard.js";
import type { Tri } from "../operators/types.js";
import { readAt } from "../read.js";
import type { DocStatement } from "./normalize.js";

export interface ConditionSpec {
  readonly test?: string;
  readonly variable: string;
  readonly values?: readonly string[];
}

/** A resource entry: an ARN pattern, or the rule subject's attribute plus a suffix. */
export type ResourceEntry = string | { readonly subject: AttrPath; readonly suffix: string };

export interface MatcherSpec {
  readonly effect?: "Allow" | "Deny";
  readonly actions?: readonly string[];
  readonly actionMatches?: RegExp;
  readonly actionPattern?: string;
  readonly resources?: readonly ResourceEntry[];
  readonly principals?: {
    readonly type?: "AWS" | "Service" | "Federated" | "CanonicalUser" | "*";
    readonly values?: readonly string[];
    readonly otherAccounts?: readonly string[];
  };
  readonly conditions?: readonly ConditionSpec[];
  readonly missingConditions?: readonly string[];
  readonly unconditional?: boolean;
}

/** The subject is what `{$subject}` resource entries read (absent: those entries constrain nothing). */
export type StatementTest = (s: DocStatement, subject?: ResourceInstance) => Tri;

/**
 * The resource entries as ARNs for one subject. An entry whose subject value is not known at plan
 * time (a bucket being created) is left out: it cannot be compared, and a policy built from the same
 * reference is just as unknown — the rule stays decidable on its other fields.
 */
export function resolveResources(
  entries: readonly ResourceEntry[],
  subject: ResourceInstance | undefined,
): string[] {
  const out: string[] = [];
  for (const e of entries) {
    if (typeof e === "string") out.push(e);
    else if (subject) {
      const r = readAt(subject.after, e.subject);
      if (r.state === "known" && !r.sensitive && typeof r.value === "string")
        out.push(`${r.value}${e.suffix}`);
    }
  }
  return out;
}

/**
 * Whether a statement entry (maybe a wildcard) covers a wanted value (maybe a wildcard itself).
 * Entries come from the plan: no regex (`*****x` as `^.*.*.*.*.*x$` backtracks for minutes).
 */
function covers(entry: string, wanted: string, caseInsensitive: boolean): boolean {
  return wildcardMatch(entry, wanted, caseInsensitive);
}

function and(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  if (a === undefined || b === undefined) return undefined;
  return true;
}

/** Some wanted value is covered by the statement's list (or, for the Not form, not excluded). */
function listTest(
  s: DocStatement,
  field: "Action" | "Resource",
  notField: "NotAction" | "NotResource",
  wanted: readonly string[],
  caseInsensitive: boolean,
): Tri {
  const st = s.statement;
  const list = st[field];
  const notList = st[notField];
  if (list) {
    if (wanted.some((w) => list.some((e) => covers(e, w, caseInsensitive)))) return true;
    return s.unknown.has(field) ? undefined : false;
  }
  if (notList) {
    if (wanted.some((w) => !notList.some((e) => covers(e, w, caseInsensitive)))) {
      return s.unknown.has(notField) ? undefined : true;
    }
    return false;
  }
  return s.unknown.has(field) || s.unknown.has(notField) ? undefined : false;
}

/** The 12-digit account of a principal: a bare id or an IAM ARN; `*` is everyone. */
export function accountOf(principal: string): string | undefined {
  if (principal === "*") return "*";
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}

function principalTest(s: DocStatement, spec: NonNullable<MatcherSpec["principals"]>): Tri {
  const st = s.statement;
  // Allow + NotPrincipal grants everyone but the listed: for matching, it is `*`.
  const principals = st.Principal ?? (st.NotPrincipal ? { AWS: ["*"] } : undefined);
  const unknown = s.unknown.has("Principal") || s.unknown.has("NotPrincipal");
  if (!principals) return unknown ? undefined : false;
  const type = spec.type === "*" || spec.type === undefined ? "AWS" : spec.type;
  const ids = principals[type];
  // Identifiers of this type not known yet: a match on the known ones holds, a miss is open.
  const open = unknown || (s.partialPrincipals?.has(type) ?? false);
  let result: Tri;
  if (!ids) result = false;
  else if (spec.type === "*") result = ids.includes("*");
  else {
    result = true;
    if (spec.values) {
      const values = spec.values;
      result = ids.some(
        (id) => id === "*" || values.some((v) => covers(v, id, false) || covers(id, v, false)),
      );
    }
    if (result && spec.otherAccounts) {
      const allowed = new Set(spec.otherAccounts);
      result = ids.some((id) => {
        const account = accountOf(id);
        return account !== undefined && (account === "*" || !allowed.has(account));
      });
    }
  }
  return result === false && open ? undefined : result;
}

function normalizeOperator(op: string): string {
  return op.replace(/IfExists$/i, "").toLowerCase();
}

function conditionTest(s: DocStatement, spec: ConditionSpec): Tri {
  const conditions = s.statement.Condition ?? {};
  const variable = spec.variable.toLowerCase();
  const test = spec.test === undefined ? undefined : normalizeOperator(spec.test);
  const wanted = spec.values?.map((v) => v.toLowerCase());
  for (const [op, keys] of Object.entries(conditions)) {
    if (test !== undefined && normalizeOperator(op) !== test) continue;
    for (const [key, values] of Object.entries(keys)) {
      if (key.toLowerCase() !== variable) continue;
      if (!wanted || values.some((v) => wanted.includes(v.toLowerCase()))) return true;
    }
  }
  return s.unknown.has("Condition") ? undefined : false;
}

function conditionKeys(s: DocStatement): Set<string> {
  const keys = new Set<string>();
  for (const byKey of Object.values(s.statement.Condition ?? {})) {
    for (const key of Object.keys(byKey)) keys.add(key.toLowerCase());
  }
  return keys;
}

/** Compile a matcher spec into a statement test. Every given field must match. */
export function compileMatcher(spec: MatcherSpec): StatementTest {
  const tests: StatementTest[] = [];
  if (spec.effect) {
    const effect = spec.effect;
    tests.push((s) => (s.unknown.has("Effect") ? undefined : s.statement.Effect === effect));
  }
  if (spec.actions) {
    const actions = spec.actions;
    tests.push((s) => listTest(s, "Action", "NotAction", actions, true));
  }
  if (spec.actionMatches) {
    const re = spec.actionMatches;
    tests.push((s) => {
      if ((s.statement.Action ?? []).some((a) => re.test(a))) return true;
      return s.unknown.has("Action") ? undefined : false;
    });
  }
  if (spec.resources) {
    const entries = spec.resources;
    const literal = entries.every((e) => typeof e === "string") ? (entries as readonly string[]) : undefined;
    tests.push((s, subject) => {
      const resources = literal ?? resolveResources(entries, subject);
      // Only subject entries not known yet: nothing to compare.
      if (resources.length === 0) return true;
      return listTest(s, "Resource", "NotResource", resources, false);
    });
  }
  if (spec.principals) {
    const p = spec.principals;
    tests.push((s) => principalTest(s, p));
  }
  for (const c of spec.conditions ?? []) tests.push((s) => conditionTest(s, c));
  if (spec.missingConditions) {
    const missing = spec.missingConditions.map((k) => k.toLowerCase());
    tests.push((s) => {
      const keys = conditionKeys(s);
      if (missing.some((k) => keys.has(k))) return false;
      return s.unknown.has("Condition") ? undefined : true;
    });
  }
  if (spec.unconditional !== undefined) {
    const want = spec.unconditional;
    tests.push((s) => {
      const has = Object.keys(s.statement.Condition ?? {}).length > 0;
      if (has) return !want;
      return s.unknown.has("Condition") ? undefined : want;
    });
  }
  return (s, subject) => {
    let result: Tri = true;
    for (const t of tests) {
      result = and(result, t(s, subject));
      if (result === false) return false;
    }
    return result;
  };
}

/**
 * The statement a `require` asks for, for a `policy-missing-statement` violation (and its fix).
 * Subject resource entries are the subject's values where known (see `resolveResources`).
 */
export function requiredStatement(spec: MatcherSpec, subject?: ResourceInstance): PolicyStatement {
  const out: { -readonly [K in keyof PolicyStatement]: PolicyStatement[K] } = {
    Effect: spec.effect ?? "Allow",
  };
  if (spec.actions) out.Action = spec.actions;
  const resources = spec.resources ? resolveResources(spec.resources, subject) : [];
  if (resources.length > 0) out.Resource = resources;
  const p = spec.principals;
  if (p) {
    if (p.type === "*" || p.type === undefined) out.Principal = { AWS: ["*"] };
    else out.Principal = { [p.type]: p.values ?? ["*"] };
  }
  if (spec.conditions && spec.conditions.length > 0) {
    const cond: Record<string, Record<string, string[]>> = {};
    for (const c of spec.conditions) {
      const op = c.test ?? "StringEquals";
      cond[op] = { ...(cond[op] ?? {}), [c.variable]: [...(c.values ?? [])] };
    }
    out.Condition = cond;
  }
  return out;
}

/** What would make a forbidden statement acceptable, per field the matcher looked at. */
export function narrowing(
  spec: MatcherSpec,
): Partial<Record<"Action" | "Resource" | "Principal" | "Condition", string>> {
  const out: Partial<Record<"Action" | "Resource" | "Principal" | "Condition", string>> = {};
  // Insertion order is the order a fix presents them: a missing condition is the natural fix
  // (the statement stays as intended, only guarded), then the wildcard action, resource, principal.
  if (spec.missingConditions) {
    const [first] = spec.missingConditions;
    out.Condition = `add a Condition on ${spec.missingConditions.join(" or ")}${
      first ? ` (e.g. "StringEquals": {"${first}": "<value agreed with the other party>"})` : ""
    }`;
  } else if (spec.unconditional === true) out.Condition = "add a Condition that restricts who can use it";
  if (spec.actions) out.Action = `must not grant ${spec.actions.join(", ")}`;
  else if (spec.actionPattern)
    out.Action = `no action may match ${spec.actionPattern}; list specific actions`;
  if (spec.resources) {
    const names = spec.resources.map((e) =>
      typeof e === "string" ? e : `the subject's ${formatPath(e.subject)}${e.suffix}`,
    );
    out.Resource = `must not apply to ${names.join(", ")}`;
  }
  const p = spec.principals;
  if (p?.otherAccounts)
    out.Principal = `restrict principals to accounts ${p.otherAccounts.join(", ") || "(none)"}`;
  else if (p?.type === "*") out.Principal = "name specific principals instead of *";
  else if (p?.values) out.Principal = `must not name ${p.values.join(", ")}`;
  return out;
}
