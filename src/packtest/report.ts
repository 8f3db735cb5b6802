/**
 * Render a pack test report: text for people (one line per case, a diff under each mismatch),
 * JSON for tools. Pure.
 */
import type { JsonValue } from "../plan/types.js";
import type { Mismatch, PackTestReport } from "./types.js";

function show(v: JsonValue): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

function diffLines(m: Mismatch): string[] {
  return [
    `        ${m.field}:`,
    `          - expected: ${show(m.expected)}`,
    `          + actual:   ${show(m.actual)}`,
  ];
}

export interface TextOptions {
  /** Print passing cases too (default true). */
  readonly verbose?: boolean;
  readonly requireCoverage?: boolean;
}

export function renderText(report: PackTestReport, opts: TextOptions = {}): string {
  const lines: string[] = [];
  for (const c of report.cases) {
    if (c.ok) {
      if (opts.verbose !== false) lines.push(`PASS  ${c.where}  ${c.name}`);
      continue;
    }
    lines.push(`FAIL  ${c.where}  ${c.name}`);
    if (c.error) lines.push(`      error: ${c.error}`);
    for (const e of c.expectations) {
      if (e.ok) continue;
      lines.push(`      ${e.rule} ${e.address}  (${e.where})`);
      for (const m of e.mismatches) lines.push(...diffLines(m));
    }
  }
  const uncovered = report.coverage.filter((r) => !r.covered);
  if (uncovered.length > 0) {
    lines.push("");
    lines.push(
      `${opts.requireCoverage ? "error" : "warning"}: ${uncovered.length} rule(s) without both a passing and a failing case:`,
    );
    for (const r of uncovered) lines.push(`  ${r.pack}/${r.rule}  (pass: ${r.pass}, fail: ${r.fail})`);
  }
  const s = report.summary;
  lines.push("");
  lines.push(
    `${s.cases} case(s) in ${s.files} file(s): ${s.passed} passed, ${s.failed} failed; ${s.expectations} expectation(s); ` +
      `${report.coverage.length - s.uncoveredRules}/${report.coverage.length} rule(s) covered`,
  );
  return `${lines.join("\n")}\n`;
}

export function renderJson(report: PackTestReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** 0 all cases pass (and coverage holds when required); 1 otherwise. Bad test files exit 2 earlier. */
export function testExitCode(report: PackTestReport, requireCoverage: boolean): number {
  if (report.summary.failed > 0) return 1;
  if (report.summary.cases === 0) return 1;
  if (requireCoverage && report.summary.uncoveredRules > 0) return 1;
  return 0;
}
