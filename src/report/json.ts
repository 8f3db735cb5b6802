/**
 * JSON: the machine-readable report, shaped by `schemas/results.schema.json` (versioned by
 * `version`). Key order is fixed and results are sorted, so two runs over the same inputs print the
 * same bytes; fingerprints do not depend on input order.
 *
 * Compact, on one line, like `terraform show -json` itself (pipe it to `jq .` to read it): on a
 * 50,000-resource plan the indented text was 3.3 times the plan, and indenting it cost more than
 * the evaluation. For the same reason a result carries what differs per result: a rule's title,
 * enforcement and controls are in `rules` once (joined by `pack` + `rule`), and empty lists are
 * left out.
 */
import { exitCode, outcome } from "../check/exit.js";
import type { CheckedResult, PlanReport, Report } from "../check/types.js";
import { formatPath } from "../plan/values.js";
import { observedJson, primaryPath, type RenderOptions } from "./common.js";

/** One result's JSON object; keys in schema order, optional ones only when they say something. */
function resultJson(r: CheckedResult): Record<string, unknown> {
  const out: Record<string, unknown> = {
    rule: r.rule,
    pack: r.pack,
    severity: r.severity,
    address: r.address,
    resourceType: r.resourceType,
    status: r.status,
    verdict: r.verdict,
    reason: r.reason,
    message: r.message,
  };
  if (r.status === "pass" || r.status === "not_applicable") {
    // The common case on a big plan: nothing else to say but the fingerprint (and a waiver or a
    // location, which only failures and unknowns get).
    out.fingerprint = r.fingerprint;
    return out;
  }
  const path = primaryPath(r);
  if (path !== undefined) out.path = path;
  const v = r.violations[0];
  if (v?.kind === "attribute") {
    out.actual = observedJson(v.actual);
    out.expected = v.expected;
  } else if (r.status === "unknown" && r.unknowns.length > 0) out.actual = { state: "unknown" };
  if (r.violations.length > 0) out.violations = r.violations;
  if (r.unknowns.length > 0)
    out.unknowns = r.unknowns.map((u) => ({ address: u.address, path: formatPath(u.path) }));
  if (r.related.length > 0) out.related = r.related;
  if (r.status === "unknown") out.unknownPolicy = r.unknownPolicy;
  if (r.fix) out.fix = r.fix;
  if (r.waiver) out.waiver = r.waiver;
  if (r.location) out.location = r.location;
  out.fingerprint = r.fingerprint;
  return out;
}

/** The printed results of a plan: every verdict but not_applicable, or (quiet) failures only. */
function printed(p: PlanReport, quiet: boolean | undefined): readonly CheckedResult[] {
  return p.results.filter((r) => (quiet ? r.status === "fail" : r.verdict !== "not_applicable"));
}

function planJson(p: PlanReport, results: unknown): Record<string, unknown> {
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
    results,
  };
}

function reportJson(report: Report, plans: readonly unknown[]): Record<string, unknown> {
  return {
    version: report.version,
    tool: report.tool,
    outcome: outcome(report),
    exitCode: exitCode(report),
    settings: report.settings,
    summary: report.counts,
    empty: report.empty,
    packs: report.packs,
    rules: report.rules,
    plans,
    waivers: report.waivers,
    warnings: report.warnings,
  };
}

export function renderJson(report: Report, opts: RenderOptions = {}): string {
  return [...renderJsonChunks(report, opts)].join("");
}

/** Pieces of about this many characters: big enough for few writes, small next to a big report. */
const CHUNK_CHARS = 1 << 20;
/** Results stringified per JSON.stringify call (one call per result cost a third more). */
const BATCH = 1000;

/**
 * The report in pieces (joined: `renderJson`'s text). A report on a big plan is as large as the
 * plan: built as one string and then copied into a write buffer it doubled the peak memory of
 * `check`. The document is stringified with a marker in place of each plan's results, and the
 * results are stringified in batches where the markers were.
 */
export function* renderJsonChunks(report: Report, opts: RenderOptions = {}): Generator<string> {
  // A marker is a string we put there: in the text it is the exact token `"<marker>"`, which no
  // escaped string value can contain (its quotes would be preceded by a backslash).
  const marker = (i: number): string => `@@plangate-results-${i}@@`;
  const text = `${JSON.stringify(
    reportJson(
      report,
      report.plans.map((p, i) => planJson(p, marker(i))),
    ),
  )}\n`;
  let at = 0;
  let buf = "";
  for (const [i, plan] of report.plans.entries()) {
    const results = printed(plan, opts.quiet);
    const token = JSON.stringify(marker(i));
    const pos = text.indexOf(token, at);
    buf += `${text.slice(at, pos)}[`;
    for (let j = 0; j < results.length; j += BATCH) {
      const batch = JSON.stringify(results.slice(j, j + BATCH).map(resultJson));
      // The batch's own brackets are cut off; batches are joined by commas.
      buf += `${j > 0 ? "," : ""}${batch.slice(1, -1)}`;
      if (buf.length >= CHUNK_CHARS) {
        yield buf;
        buf = "";
      }
    }
    buf += "]";
    at = pos + token.length;
  }
  yield buf + text.slice(at);
}
