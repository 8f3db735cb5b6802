/**
 * GitHub Actions workflow commands: one annotation per result that matters.
 * `::error` for blocking failures, `::warning` for advisory failures and unknowns, `::notice` for
 * waived ones; passes print nothing. Annotations point at the resource's `.tf` block when it was
 * found (`--source-dir`), else they carry no file and show on the run summary.
 *
 * Escaping follows the runner's parser: in the message `%`, CR and LF are percent-encoded; in
 * property values `:` and `,` are too (they delimit properties).
 */
import { summaryLine } from "../check/exit.js";
import type { CheckedResult, Report, Verdict } from "../check/types.js";
import type { ModelSource } from "../plan/types.js";
import { detailLines, type RenderOptions } from "./common.js";
import { fixForm } from "./fix-form.js";

export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

const COMMAND: Readonly<Record<Verdict, "error" | "warning" | "notice" | undefined>> = {
  blocking: "error",
  advisory: "warning",
  unknown: "warning",
  waived: "notice",
  passed: undefined,
  not_applicable: undefined,
};

function annotation(r: CheckedResult, planFile: string, source: ModelSource): string | undefined {
  const cmd = COMMAND[r.verdict];
  if (!cmd) return undefined;
  const props: string[] = [];
  if (r.location) {
    props.push(`file=${escapeProperty(r.location.file)}`, `line=${r.location.line}`);
    if (r.location.column) props.push(`col=${r.location.column}`);
    if (r.location.endLine) props.push(`endLine=${r.location.endLine}`);
  }
  props.push(`title=${escapeProperty(`plangate ${r.rule} (${r.severity}, ${r.enforcement})`)}`);
  const where = r.location ? "" : ` [${planFile}]`;
  const form = fixForm(r, source);
  const message = [
    `${r.address}${where}: ${r.message}`,
    ...detailLines(r),
    ...(r.verdict === "blocking" && r.reason !== r.enforcement ? [r.reason] : []),
    ...(r.verdict === "waived" ? [r.reason] : []),
    ...(form ? ["fix:", form.text.replace(/\n+$/, "")] : []),
  ].join("\n");
  return `::${cmd} ${props.join(",")}::${escapeData(message)}`;
}

export function renderGithub(report: Report, opts: RenderOptions = {}): string {
  const out: string[] = [];
  for (const p of report.plans) {
    for (const w of p.warnings)
      out.push(`::warning title=${escapeProperty("plangate")}::${escapeData(`${p.file}: ${w}`)}`);
    for (const r of p.results) {
      if (opts.quiet && r.verdict === "unknown") continue;
      const a = annotation(r, p.file, p.source);
      if (a) out.push(a);
    }
  }
  for (const w of report.warnings) out.push(`::warning title=plangate::${escapeData(w)}`);
  // Plain text, not a command: the line log scrapers match on.
  out.push(summaryLine(report));
  return `${out.join("\n")}\n`;
}
