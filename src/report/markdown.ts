/**
 * Markdown: a pull-request comment. A verdict heading, the summary line, a counts table per plan,
 * then one collapsible `<details>` per resource with something to say, fixes in ```diff blocks.
 * GitHub rejects comments over 65536 characters, so sections stop before the limit and a note says
 * how many resources were left out (the summary and table always fit).
 */
import { outcome, summaryLine } from "../check/exit.js";
import type { CheckedResult, Counts, PlanReport, Report, Suggestion } from "../check/types.js";
import type { ModelSource } from "../plan/types.js";
import {
  detailLines,
  groupByResource,
  notableReason,
  type RenderOptions,
  VERDICT_LABEL,
  VERDICT_ORDER,
} from "./common.js";
import { fixForm } from "./fix-form.js";

export const GITHUB_COMMENT_LIMIT = 65536;

const MAX_NOTES = 20;

const ICON = { PASSED: "✅", BLOCKED: "❌", ERROR: "⛔" } as const;

const MD_ESCAPE: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "@": "@\u200b",
};

/** Text safe in Markdown and inline HTML: no tags, no entities, no accidental mentions. */
export function mdEscape(s: string): string {
  return s.replace(/[&<>@]/g, (c) => MD_ESCAPE[c] ?? c);
}

/** An inline code span that survives backticks inside the text. */
function code(s: string): string {
  const ticks = s.includes("`") ? "``" : "`";
  const pad = s.startsWith("`") || s.endsWith("`") ? " " : "";
  return `${ticks}${pad}${s}${pad}${ticks}`;
}

/** A fenced block whose fence is longer than any backtick run inside. */
function fence(lang: string, body: string): string {
  const longest = Math.max(2, ...(body.match(/`+/g) ?? []).map((m) => m.length));
  const f = "`".repeat(longest + 1);
  return `${f}${lang}\n${body.replace(/\n+$/, "")}\n${f}`;
}

/**
 * Fix HCL as a ```diff body. The fix stage already writes a marker column (` `, `+`, `-` in column
 * 0), which passes through; HCL with markers inside the indent gets them moved to column 0.
 */
export function hclToDiff(hcl: string): string {
  const lines = hcl.replace(/\n+$/, "").split("\n");
  if (lines.every((l) => l === "" || /^[ +-]/.test(l))) return lines.join("\n");
  return lines
    .map((line) => {
      const m = /^(\s*)([+-])(.*)$/.exec(line);
      return m ? `${m[2]}${m[1]}${m[3]}` : ` ${line}`;
    })
    .join("\n");
}

/** A GitHub suggestion block, with the lines it replaces named (a comment is not anchored on them). */
export function suggestionBlock(s: Suggestion): string {
  const lines = s.startLine === s.endLine ? `line ${s.startLine}` : `lines ${s.startLine}–${s.endLine}`;
  // Not `fence`: the lines are exact (a trailing empty line is part of the replacement), and no
  // lines at all means "delete these lines".
  const body = s.lines.map((l) => `${l}\n`).join("");
  const f = "`".repeat(Math.max(2, ...(body.match(/`+/g) ?? []).map((m) => m.length)) + 1);
  return `${code(s.file)} ${lines}:\n\n${f}suggestion\n${body}${f}`;
}

function countsRow(label: string, c: Counts): string {
  return `| ${label} | ${c.blocking} | ${c.advisory} | ${c.unknown} | ${c.waived} | ${c.passed} |`;
}

function resultBlock(r: CheckedResult, source: ModelSource): string {
  const parts = [
    `**${VERDICT_LABEL[r.verdict]}** ${code(r.rule)} — ${mdEscape(r.title)} (${r.severity}, ${r.enforcement})`,
  ];
  const lines = detailLines(r);
  if (lines.length > 0) parts.push(lines.map((l) => `- ${mdEscape(l)}`).join("\n"));
  const reason = notableReason(r);
  if (reason) parts.push(`<sub>${mdEscape(reason)}</sub>`);
  if (r.waiver) {
    parts.push(
      `<sub>waiver: ${mdEscape(r.waiver.reason)} — owner ${mdEscape(r.waiver.owner)}, expires ${r.waiver.expires}${r.waiver.ticket ? `, ${mdEscape(r.waiver.ticket)}` : ""}</sub>`,
    );
  }
  const form = fixForm(r, source);
  if (r.status === "fail" && r.suggestions && r.suggestions.length > 0) {
    // The fix lands whole on lines the PR's files have: GitHub can apply these with one click.
    for (const s of r.suggestions) parts.push(suggestionBlock(s));
  } else if (form) {
    parts.push(form.kind === "hcl" ? fence("diff", hclToDiff(form.text)) : fence("", form.text));
  }
  if (r.status === "fail" && r.fix) for (const h of r.fix.hints) parts.push(`> ${mdEscape(h)}`);
  return parts.join("\n\n");
}

function resourceSection(address: string, results: CheckedResult[], source: ModelSource): string {
  const sorted = [...results].sort((a, b) => VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict]);
  const tally = new Map<string, number>();
  for (const r of sorted) tally.set(r.verdict, (tally.get(r.verdict) ?? 0) + 1);
  const summary = [...tally].map(([v, n]) => `${n} ${v}`).join(", ");
  const icon = tally.has("blocking") ? "❌" : tally.has("advisory") || tally.has("unknown") ? "⚠️" : "➖";
  return [
    `<details><summary>${icon} <code>${mdEscape(address)}</code>: ${summary}</summary>`,
    "",
    sorted.map((r) => resultBlock(r, source)).join("\n\n"),
    "",
    "</details>",
    "",
    "",
  ].join("\n");
}

/** Resources with something to say, grouped; rendered one at a time so truncation stops the work. */
function planGroups(p: PlanReport, quiet: boolean | undefined): Map<string, CheckedResult[]> {
  const keep = (r: CheckedResult): boolean =>
    r.verdict === "blocking" ||
    r.verdict === "advisory" ||
    r.verdict === "waived" ||
    (!quiet && r.verdict === "unknown");
  return groupByResource(p, keep);
}

export function renderMarkdown(report: Report, opts: RenderOptions = {}): string {
  const limit = opts.maxLength ?? GITHUB_COMMENT_LIMIT - 536;
  const verdict = outcome(report);
  const head: string[] = [`## ${ICON[verdict]} plangate: ${verdict}`, "", code(summaryLine(report)), ""];
  head.push("| plan | blocking | advisory | unknown | waived | passed |", "|---|---:|---:|---:|---:|---:|");
  for (const p of report.plans)
    head.push(countsRow(`${code(p.file)}${p.provisional ? " (provisional)" : ""}`, p.counts));
  if (report.plans.length > 1) head.push(countsRow("**total**", report.counts));
  head.push("");
  const notes = [
    ...report.plans.flatMap((p) => p.warnings.map((w) => `${p.file}: ${w}`)),
    ...report.warnings,
  ];
  if (notes.length > 0) {
    // Capped so that the head always fits the comment, whatever the config holds.
    const shown = notes.slice(0, MAX_NOTES).map((n) => `> - ${mdEscape(n.slice(0, 500))}`);
    if (notes.length > MAX_NOTES) shown.push(`> - … and ${notes.length - MAX_NOTES} more`);
    head.push("> [!WARNING]", ...shown, "");
  }
  let out = `${head.join("\n")}\n`;
  let omitted = 0;
  let any = false;
  const noteFor = (n: number): string =>
    `\n> ${n} more resource(s) not shown: a comment holds ${GITHUB_COMMENT_LIMIT} characters. The full report is in the job's text, JSON or SARIF output.\n`;
  const reserve = noteFor(999_999).length;
  for (const p of report.plans) {
    const groups = planGroups(p, opts.quiet);
    if (groups.size === 0) continue;
    any = true;
    const title = `### ${code(p.file)}\n\n`;
    if (omitted > 0 || out.length + title.length + reserve > limit) {
      omitted += groups.size;
      continue;
    }
    out += title;
    for (const [address, results] of groups) {
      if (omitted > 0) {
        omitted++;
        continue;
      }
      const s = resourceSection(address, results, p.source);
      if (out.length + s.length + reserve <= limit) out += s;
      else omitted++;
    }
  }
  if (omitted > 0) out += noteFor(omitted);
  else if (!any) out += "No failures.\n";
  return out.endsWith("\n") ? out : `${out}\n`;
}
