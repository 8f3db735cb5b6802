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

/** The printed results of a plan: every verdict but not_applicable, or (quiet) failures only. */
function printed(p: PlanReport, quiet: boolean | undefined): readonly CheckedResult[] {
  return p.results.filter((r) => (quiet ? r.status === "fail" : r.verdict !== "not_applicable"));
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
    results: printed(p, quiet).map(resultJson),
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
  const doc = reportJson(
    report,
    report.plans.map((p) => planJson(p, opts.quiet)),
  );
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Pieces of about this many characters: big enough for few writes, small next to a big report. */
const CHUNK_CHARS = 1 << 20;
/** Results stringified per JSON.stringify call (one call per result cost a third more). */
const BATCH = 1000;

/**
 * `renderJson` in pieces, the same text once joined. A report on a big plan is larger than the
 * plan (180 MB for 50,000 resources): built as one string and then copied into a write buffer it
 * doubled the peak memory of `check`. Here the document is stringified with a marker in place of
 * each plan's results, and the results are stringified in batches at their depth.
 */
export function* renderJsonChunks(report: Report, opts: RenderOptions = {}): Generator<string> {
  const lists = report.plans.map((p) => printed(p, opts.quiet));
  // A marker is a string we put there: in the text it is the exact token `"<marker>"`, which no
  // escaped string value can contain (its quotes would be preceded by a backslash).
  const marker = (i: number): string => `@@plangate-results-${i}@@`;
  const doc = reportJson(
    report,
    report.plans.map((p, i) => ({ ...planJson({ ...p, results: [] }, opts.quiet), results: marker(i) })),
  );
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  let at = 0;
  let buf = "";
  for (const [i, results] of lists.entries()) {
    const token = JSON.stringify(marker(i));
    const pos = text.indexOf(token, at);
    const lineStart = text.lastIndexOf("\n", pos) + 1;
    const keyIndent = /^ */.exec(text.slice(lineStart, pos))?.[0] ?? "";
    // Results are stringified a batch at a time, nested in as many arrays as puts the batch's
    // items at their depth in the document (JSON.stringify indents by depth alone), and the
    // wrapper's own lines (one `[` and one `]` line per level) are cut off.
    const levels = keyIndent.length / 2 + 1;
    buf += text.slice(at, pos);
    if (results.length === 0) buf += "[]";
    else {
      buf += "[\n";
      for (let j = 0; j < results.length; j += BATCH) {
        let wrapped: unknown = results.slice(j, j + BATCH).map(resultJson);
        for (let l = 1; l < levels; l++) wrapped = [wrapped];
        const t = JSON.stringify(wrapped, null, 2);
        let start = 0;
        for (let l = 0; l < levels; l++) start = t.indexOf("\n", start) + 1;
        let end = t.length;
        for (let l = 0; l < levels; l++) end = t.lastIndexOf("\n", end - 1);
        buf += `${j > 0 ? ",\n" : ""}${t.slice(start, end)}`;
        if (buf.length >= CHUNK_CHARS) {
          yield buf;
          buf = "";
        }
      }
      buf += `\n${keyIndent}]`;
    }
    at = pos + token.length;
  }
  yield buf + text.slice(at);
}
