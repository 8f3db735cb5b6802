/**
 * Text: for a terminal or a CI log. Grouped by plan, then by resource; the fix under each failure;
 * the last line is the summary line (`— PASSED` / `— BLOCKED` / `— ERROR`), which tools match on.
 */
import { summaryLine } from "../check/exit.js";
import type { CheckedResult, PlanReport, Report, Verdict } from "../check/types.js";
import type { ModelSource } from "../plan/types.js";
import {
  detailLines,
  groupByResource,
  notableReason,
  type RenderOptions,
  VERDICT_LABEL,
  VERDICT_ORDER,
  visible,
} from "./common.js";
import { fixForm } from "./fix-form.js";

type Paint = (code: string, s: string) => string;

const COLOR: Readonly<Record<Verdict, string>> = {
  blocking: "31",
  advisory: "33",
  waived: "36",
  unknown: "33",
  passed: "32",
  not_applicable: "2",
};

function painter(color: boolean | undefined): Paint {
  return color ? (code, s) => `\u001b[${code}m${s}\u001b[0m` : (_code, s) => s;
}

function indent(text: string, pad: string): string[] {
  return text
    .replace(/\n+$/, "")
    .split("\n")
    .map((l) => `${pad}${l}`);
}

function resultLines(r: CheckedResult, paint: Paint, source: ModelSource): string[] {
  const label = VERDICT_LABEL[r.verdict].padEnd(7);
  const head = `    ${paint(COLOR[r.verdict], label)} ${r.rule}  ${paint("2", `[${r.severity}, ${r.enforcement}]`)} ${r.title}`;
  const out = [head];
  for (const d of detailLines(r)) out.push(`            ${d}`);
  const reason = notableReason(r);
  if (reason) out.push(`            ${paint("2", reason)}`);
  if (r.waiver) {
    out.push(
      `            ${paint("2", `waiver: ${r.waiver.reason} (owner ${r.waiver.owner}${r.waiver.ticket ? `, ${r.waiver.ticket}` : ""})`)}`,
    );
  }
  if (r.status === "fail" && r.fix) {
    const form = fixForm(r, source);
    if (form) {
      out.push(`            ${paint("2", "fix:")}`);
      for (const line of indent(form.text, "              ")) {
        const t = line.trimStart();
        out.push(t.startsWith("+") ? paint("32", line) : t.startsWith("-") ? paint("31", line) : line);
      }
    }
    for (const h of r.fix.hints) out.push(`            ${paint("2", `hint: ${h}`)}`);
  }
  return out;
}

function planHeader(p: PlanReport): string {
  const tf = p.terraformVersion ? `terraform ${p.terraformVersion}, ` : "";
  const kind = p.prePlan ? "pre-plan configuration, " : "";
  return `${p.file} (${kind}${tf}format ${p.formatVersion}, ${p.resources} resources)`;
}

/** Lines per piece of `renderTextChunks`: a resource's lines are never split across pieces. */
const CHUNK_LINES = 4096;

export function renderText(report: Report, opts: RenderOptions = {}): string {
  return [...renderTextChunks(report, opts)].join("");
}

/**
 * `renderText` in pieces, each ending with a newline (joined: the whole text): the text of a big
 * plan is tens of MB, and the CLI writes each piece as it comes instead of holding it all.
 */
export function* renderTextChunks(report: Report, opts: RenderOptions = {}): Generator<string> {
  const paint = painter(opts.color);
  let out: string[] = [];
  const flush = (): string => {
    const text = `${out.join("\n")}\n`;
    out = [];
    return text;
  };
  for (const p of report.plans) {
    out.push(paint("1", planHeader(p)));
    for (const w of p.warnings) out.push(`  ${paint("33", "!")} ${w}`);
    const groups = groupByResource(p, visible(opts.quiet));
    for (const [address, results] of groups) {
      const passed = results.filter((r) => r.verdict === "passed");
      const shown = results
        .filter((r) => r.verdict !== "passed")
        .sort((a, b) => VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict]);
      out.push(`  ${address}`);
      for (const r of shown) out.push(...resultLines(r, paint, p.source));
      if (passed.length > 0) {
        out.push(
          `    ${paint(COLOR.passed, VERDICT_LABEL.passed.padEnd(7))} ${passed.map((r) => r.rule).join(", ")}`,
        );
      }
      if (out.length >= CHUNK_LINES) yield flush();
    }
    if (groups.size === 0) out.push(opts.quiet ? "  no failures" : "  no rule applied");
    out.push("");
  }
  for (const w of report.waivers) {
    if (w.state === "active") continue;
    out.push(
      `${paint("33", "!")} ${w.state} waiver${w.where ? ` at ${w.where}` : ""}: ${w.rule} on ${w.address} (owner ${w.owner}, expires ${w.expires})`,
    );
  }
  for (const w of report.warnings) {
    if (w.startsWith("stale waiver") || w.startsWith("expired waiver")) continue;
    out.push(`${paint("33", "!")} ${w}`);
  }
  out.push(summaryLine(report));
  yield flush();
}
