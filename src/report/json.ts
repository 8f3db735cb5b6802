/**
 * JSON: the machine-readable report, shaped by `schemas/results.schema.json` (versioned by
 * `version`). Key order is fixed and results are sorted, so two runs over the same inputs print the
 * same bytes; fingerprints do not depend on input order.
 */
import { exitCode, outcome } from "../check/exit.js";
import type { CheckedResult, PlanReport, Report } from "../check/types.js";
import type { JsonValue } from "../plan/types.js";
import { formatPath } from "../plan/values.js";
import { observedJson, primaryPath, type RenderOptions } from "./common.js";

function actualAndExpected(r: CheckedResult): { actual?: JsonValue; expected?: JsonValue } {
  const v = r.violations[0];
  if (v?.kind === "attribute") {
    return { actual: observedJson(v.actual), expected: v.expected as unknown as JsonValue };
  }
  if (r.status === "unknown" && r.unknowns.length > 0) return { actual: { state: "unknown" } };
  return {};
}

function resultJson(r: CheckedResult): Record<string, unknown> {
  const path = primaryPath(r);
  return {
    rule: r.rule,
    pack: r.pack,
    title: r.title,
    severity: r.severity,
    enforcement: r.enforcement,
    controls: r.controls,
    address: r.address,
    resourceType: r.resourceType,
    status: r.status,
    verdict: r.verdict,
    reason: r.reason,
    message: r.message,
    ...(path !== undefined ? { path } : {}),
    ...actualAndExpected(r),
    violations: r.violations,
    unknowns: r.unknowns.map((u) => ({ address: u.address, path: formatPath(u.path) })),
    related: r.related,
    unknownPolicy: r.unknownPolicy,
    ...(r.fix ? { fix: r.fix } : {}),
    ...(r.waiver ? { waiver: r.waiver } : {}),
    ...(r.location ? { location: r.location } : {}),
    fingerprint: r.fingerprint,
  };
}

function planJson(p: PlanReport, quiet: boolean | undefined): Record<string, unknown> {
  return {
    file: p.file,
    source: p.source,
    formatVersion: p.formatVersion,
    ...(p.terraformVersion !== undefined ? { terraformVersion: p.terraformVersion } : {}),
    complete: p.complete,
    errored: p.errored,
    partial: p.partial,
    provisional: p.provisional,
    prePlan: p.prePlan,
    resources: p.resources,
    warnings: p.warnings,
    summary: p.counts,
    results: p.results
      .filter((r) => (quiet ? r.status === "fail" : r.verdict !== "not_applicable"))
      .map(resultJson),
  };
}

export function renderJson(report: Report, opts: RenderOptions = {}): string {
  const doc = {
    version: report.version,
    tool: report.tool,
    outcome: outcome(report),
    exitCode: exitCode(report),
    settings: report.settings,
    summary: report.counts,
    empty: report.empty,
    packs: report.packs,
    rules: report.rules,
    plans: report.plans.map((p) => planJson(p, opts.quiet)),
    waivers: report.waivers,
    warnings: report.warnings,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
