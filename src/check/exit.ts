/**
 * The gate's exit code and its one-line verdict, as pure functions of the report.
 *
 * 0  nothing blocks
 * 1  a blocking failure: hard-mandatory fail; soft-mandatory fail not waived; an unknown set to fail;
 *    anything at or above `--fail-on` not waived (all of these are verdict `blocking`)
 * 2  usage, input, config or pack error — including, here, an empty gate (no rule applied to any
 *    resource) without `--allow-empty`, and stale waivers with `--strict-waivers`: both mean the
 *    gate is not checking what its config says, which is a config problem, not a policy failure.
 * A config error (2) outranks a policy failure (1): fix the gate before trusting what it says.
 */
import type { Report } from "./types.js";

export type ExitCode = 0 | 1 | 2;

export interface ExitOptions {
  readonly strictWaivers?: boolean;
  readonly allowEmpty?: boolean;
}

export type Outcome = "PASSED" | "BLOCKED" | "ERROR";

/** Why the run ends in error (exit 2), or undefined when it does not. */
export function configProblem(report: Report, opts: ExitOptions = report.settings): string | undefined {
  if (report.empty && !opts.allowEmpty) {
    return "empty gate: no rule applied to any resource (use --allow-empty to accept)";
  }
  const stale = report.waivers.filter((w) => w.state === "stale").length;
  if (opts.strictWaivers && stale > 0) return `${stale} stale waiver(s) with --strict-waivers`;
  return undefined;
}

export function exitCode(report: Report, opts: ExitOptions = report.settings): ExitCode {
  if (configProblem(report, opts) !== undefined) return 2;
  return report.counts.blocking > 0 ? 1 : 0;
}

export function outcome(report: Report, opts: ExitOptions = report.settings): Outcome {
  const code = exitCode(report, opts);
  return code === 0 ? "PASSED" : code === 1 ? "BLOCKED" : "ERROR";
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The final line every human format ends with. Atlantis and log scrapers match on it, so its shape is
 * fixed: counts, an em dash, then exactly one of PASSED / BLOCKED / ERROR (with the cause).
 */
export function summaryLine(report: Report, opts: ExitOptions = report.settings): string {
  const c = report.counts;
  const parts = [
    // No "fail" in a passing line: older Atlantis marks a custom policy check failed on that substring.
    c.blocking === 0 ? "0 blocking" : plural(c.blocking, "blocking failure", "blocking failures"),
    `${c.advisory} advisory`,
    `${c.unknown} unknown`,
    `${c.waived} waived`,
    `${c.passed} passed`,
  ];
  const problem = configProblem(report, opts);
  const provisional = report.plans.some((p) => p.provisional) ? " (provisional: partial plan)" : "";
  const end = problem ? `ERROR (${problem})` : outcome(report, opts);
  return `plangate: ${parts.join(", ")} — ${end}${provisional}`;
}
