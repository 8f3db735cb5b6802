/**
 * Shared wording for every reporter: how an observed value, an expectation and a violation read.
 * Values reach reporters only as `Observed`, whose sensitive form carries no value, so nothing here
 * can print a sensitive value; `(sensitive)` is all that is ever shown for one.
 */
import type { CheckedResult, PlanReport, Verdict } from "../check/types.js";
import type { Expectation, Observed, PolicyStatement, Violation } from "../engine/types.js";
import type { AttrPath, JsonValue } from "../plan/types.js";
import { formatPath, SENSITIVE_MARK } from "../plan/values.js";

export interface RenderOptions {
  /** ANSI colour (text only); the CLI decides from the TTY and NO_COLOR. */
  readonly color?: boolean;
  /** Failures only (blocking, advisory, waived); the summary and warnings stay. */
  readonly quiet?: boolean;
  /** Markdown: the most characters to emit (GitHub comments hold 65536). */
  readonly maxLength?: number;
}

const MAX_VALUE = 200;

/** A JSON value on one line, shortened past 200 characters. */
export function showValue(v: JsonValue): string {
  const s = JSON.stringify(v) ?? "null";
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
}

export function showObserved(o: Observed): string {
  switch (o.state) {
    case "known":
      return showValue(o.value);
    case "sensitive":
      return SENSITIVE_MARK;
    case "absent":
      return "not set";
    case "unknown":
      return "(known after apply)";
  }
}

/** Observed as a JSON value for machine formats (masked). */
export function observedJson(o: Observed): JsonValue {
  switch (o.state) {
    case "known":
      return { state: "known", value: o.value };
    default:
      return { state: o.state };
  }
}

export function showExpectation(e: Expectation): string {
  switch (e.op) {
    case "equals":
      return showValue(e.value);
    case "notEquals":
      return `not ${showValue(e.value)}`;
    case "in":
      return `one of ${showValue(e.values as JsonValue)}`;
    case "notIn":
      return `none of ${showValue(e.values as JsonValue)}`;
    case "exists":
      return "set";
    case "absent":
      return "not set";
    case "matches":
      return `matching /${e.pattern}/`;
    case "notMatches":
      return `not matching /${e.pattern}/`;
    case "contains":
      return `containing ${showValue(e.value)}`;
    case "greaterThan":
      return `> ${e.value}`;
    case "greaterThanOrEqual":
      return `>= ${e.value}`;
    case "lessThan":
      return `< ${e.value}`;
    case "lessThanOrEqual":
      return `<= ${e.value}`;
    case "notContains":
      return `not containing ${showValue(e.value)}`;
    case "length":
      return `of length ${showExpectation(e.constraint)}`;
  }
}

function showStatement(s: PolicyStatement): string {
  const parts: string[] = [s.Effect];
  if (s.Action) parts.push(`Action ${s.Action.join(",")}`);
  if (s.NotAction) parts.push(`NotAction ${s.NotAction.join(",")}`);
  if (s.Resource) parts.push(`Resource ${s.Resource.join(",")}`);
  if (s.NotResource) parts.push(`NotResource ${s.NotResource.join(",")}`);
  if (s.Principal) parts.push(`Principal ${JSON.stringify(s.Principal)}`);
  if (s.Condition) parts.push(`Condition ${JSON.stringify(s.Condition)}`);
  return parts.join(" ");
}

function at(address: string, subject: string, path: AttrPath): string {
  const p = formatPath(path);
  return address === subject ? p : `${address}.${p}`;
}

/** One line per violation, relative to the subject (`subject`'s own attributes read bare). */
export function showViolation(v: Violation, subject: string): string {
  switch (v.kind) {
    case "attribute":
      return `${at(v.address, subject, v.path)} is ${showObserved(v.actual)}, expected ${showExpectation(v.expected)}`;
    case "missing-related": {
      const reqs = v.requirements
        .map((r) => `${formatPath(r.path)} ${showExpectation(r.expected)}`)
        .join(", ");
      const via = v.via ? ` through ${v.via}` : "";
      return `no ${v.type} linked${via}${reqs ? ` with ${reqs}` : ""}`;
    }
    case "forbidden-related":
      return `${v.related} (${v.type}) must not be linked`;
    case "forbidden-resource":
      return `${v.address === subject ? "the resource" : v.address} must not exist: ${v.reason}`;
    case "policy-missing-statement":
      return `${at(v.address, subject, v.path)} lacks a statement: ${showStatement(v.statement)}`;
    case "policy-forbidden-statement": {
      const narrow = Object.entries(v.narrow)
        .map(([k, why]) => `${k}: ${why}`)
        .join("; ");
      return `${at(v.address, subject, v.path)} statement ${v.index + 1} is not allowed: ${showStatement(v.statement)}${narrow ? ` (${narrow})` : ""}`;
    }
  }
}

/** Detail lines for a result: violations, or the unknown values that blocked it. */
export function detailLines(r: CheckedResult): string[] {
  if (r.status === "unknown") {
    return r.unknowns.map((u) => `${at(u.address, r.address, u.path)} is known only after apply`);
  }
  if (r.status === "fail") return r.violations.map((v) => showViolation(v, r.address));
  return [];
}

/** The attribute path a result is about (first violation or unknown), formatted. */
export function primaryPath(r: CheckedResult): string | undefined {
  for (const v of r.violations) {
    if (
      v.kind === "attribute" ||
      v.kind === "policy-missing-statement" ||
      v.kind === "policy-forbidden-statement"
    ) {
      return formatPath(v.path);
    }
  }
  const u = r.unknowns[0];
  return u ? formatPath(u.path) : undefined;
}

export function primaryViolation(r: CheckedResult): Violation | undefined {
  return r.violations[0];
}

/** The results of a plan grouped by subject address (results are already sorted by address). */
export function groupByResource(
  plan: PlanReport,
  keep: (r: CheckedResult) => boolean,
): Map<string, CheckedResult[]> {
  const out = new Map<string, CheckedResult[]>();
  for (const r of plan.results) {
    if (!keep(r)) continue;
    const list = out.get(r.address);
    if (list) list.push(r);
    else out.set(r.address, [r]);
  }
  return out;
}

/** The verdict's reason when it says more than the enforcement level or the status already do. */
export function notableReason(r: CheckedResult): string | undefined {
  const plain =
    r.reason === r.enforcement ||
    r.reason === "advisory" ||
    r.reason === "unknown until apply" ||
    r.reason === "pass";
  return plain ? undefined : r.reason;
}

/** What `--quiet` keeps: failures, whatever became of them. */
export function isFailure(r: CheckedResult): boolean {
  return r.verdict === "blocking" || r.verdict === "advisory" || r.verdict === "waived";
}

export function visible(quiet: boolean | undefined): (r: CheckedResult) => boolean {
  return quiet ? isFailure : (r) => r.verdict !== "not_applicable";
}

export const VERDICT_LABEL: Readonly<Record<Verdict, string>> = {
  blocking: "FAIL",
  advisory: "WARN",
  waived: "WAIVED",
  unknown: "UNKNOWN",
  passed: "PASS",
  not_applicable: "N/A",
};

/** Verdict order for display: what blocks first. */
export const VERDICT_ORDER: Readonly<Record<Verdict, number>> = {
  blocking: 0,
  advisory: 1,
  unknown: 2,
  waived: 3,
  passed: 4,
  not_applicable: 5,
};
