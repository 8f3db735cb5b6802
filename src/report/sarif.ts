/**
 * SARIF 2.1.0, in the subset GitHub code scanning ingests:
 * - URIs are relative to the working directory (GitHub resolves them against the repository root);
 * - every result has at least one location with `physicalLocation.artifactLocation.uri` (the upload
 *   rejects the whole file otherwise): the resource's `.tf` block when `--source-dir` found it, else
 *   the plan file itself at line 1, always with a logical location naming the resource address;
 * - rules carry short/full descriptions, help text (and markdown), and `security-severity` with a
 *   `security` tag, which is what GitHub maps to critical/high/medium/low;
 * - `partialFingerprints` from the engine's fingerprint (stable across runs and reorderings);
 * - waived failures keep their level and carry an accepted external suppression.
 * - at most SARIF_MAX_RESULTS results: code scanning rejects a run with more, so past that the most
 *   severe are kept and the run says, in a tool notification, how many were left out.
 * Passes and not-applicable results are left out: code scanning has no use for them.
 */
import type { CheckedResult, PlanReport, Report, RuleInfo, Verdict } from "../check/types.js";
import { SEVERITIES, type Severity } from "../engine/types.js";
import { detailLines, type RenderOptions } from "./common.js";

type Level = "error" | "warning" | "note" | "none";

const LEVEL: Readonly<Record<Verdict, Level | undefined>> = {
  blocking: "error",
  advisory: "warning",
  waived: "warning",
  unknown: "note",
  passed: undefined,
  not_applicable: undefined,
};

/** GitHub reads >= 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low; `info` gets none. */
const SECURITY_SEVERITY: Readonly<Record<Severity, string | undefined>> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: undefined,
};

const FINGERPRINT_KEY = "plangateFingerprint/v1";

/** GitHub code scanning rejects a SARIF run with more results than this (it shows 5,000). */
export const SARIF_MAX_RESULTS = 25_000;

const LEVEL_RANK: Readonly<Record<Level, number>> = { error: 3, warning: 2, note: 1, none: 0 };

interface Entry {
  readonly r: CheckedResult;
  readonly plan: PlanReport;
  readonly level: Level;
}

/** What goes into the run: every reported result, or past the cap the most severe, in report order. */
function kept(entries: readonly Entry[]): readonly Entry[] {
  if (entries.length <= SARIF_MAX_RESULTS) return entries;
  const rank = (e: Entry): number =>
    LEVEL_RANK[e.level] * SEVERITIES.length + SEVERITIES.indexOf(e.r.severity);
  // Array.prototype.sort is stable: equal ranks stay in report order.
  const top = new Set([...entries].sort((a, b) => rank(b) - rank(a)).slice(0, SARIF_MAX_RESULTS));
  return entries.filter((e) => top.has(e));
}

/**
 * What the SARIF of `report` says about results it leaves out (see SARIF_MAX_RESULTS), or
 * undefined when it has them all.
 */
export function sarifOmission(report: Report): string | undefined {
  const n = reported(report).length;
  return n > SARIF_MAX_RESULTS ? omittedNote(n, n - SARIF_MAX_RESULTS) : undefined;
}

/** The results SARIF reports (not passes or not-applicable ones), in report order, with their level. */
function reported(report: Report): Entry[] {
  const entries: Entry[] = [];
  for (const plan of report.plans) {
    for (const r of plan.results) {
      const level = LEVEL[r.verdict];
      if (level) entries.push({ r, plan, level });
    }
  }
  return entries;
}

/**
 * A URI for a file as given: relative paths stay relative (GitHub resolves them against the
 * repository root, so run from there), absolute ones become `file://` URIs; forward slashes, no
 * `./`, percent-encoded where URIs need it.
 */
export function toUri(file: string): string {
  const f = file === "<stdin>" ? "plan.json" : file.replace(/\\/g, "/").replace(/^\.\//, "");
  const encoded = encodeURI(f).replace(/[?#]/g, (c) => encodeURIComponent(c));
  if (encoded.startsWith("/")) return `file://${encoded}`;
  if (/^[A-Za-z]:\//.test(encoded)) return `file:///${encoded}`;
  return encoded;
}

function ruleHelp(r: RuleInfo): { text: string; markdown: string } {
  const lines = [
    r.description ?? r.title,
    "",
    `Pack: ${r.pack}. Severity: ${r.severity}. Enforcement: ${r.enforcement}.`,
    ...(r.controls.length > 0 ? [`Controls: ${r.controls.join(", ")}.`] : []),
    ...(r.docsUrl ? [`Documentation: ${r.docsUrl}`] : []),
  ];
  const md = [
    `**${r.title}**`,
    "",
    r.description ?? "",
    "",
    `| pack | severity | enforcement | controls |`,
    `|---|---|---|---|`,
    `| ${r.pack} | ${r.severity} | ${r.enforcement} | ${r.controls.join(", ") || "—"} |`,
    ...(r.docsUrl ? ["", `[Documentation](${r.docsUrl})`] : []),
  ];
  return { text: lines.join("\n"), markdown: md.join("\n") };
}

function ruleDescriptor(r: RuleInfo): Record<string, unknown> {
  const sev = SECURITY_SEVERITY[r.severity];
  return {
    id: r.id,
    name: r.id,
    shortDescription: { text: r.title },
    fullDescription: { text: r.description ?? r.title },
    ...(r.docsUrl ? { helpUri: r.docsUrl } : {}),
    help: ruleHelp(r),
    defaultConfiguration: { level: r.enforcement === "advisory" ? "warning" : "error" },
    properties: {
      tags: ["security", "terraform", r.pack, ...r.controls],
      precision: "very-high",
      ...(sev ? { "security-severity": sev } : {}),
      pack: r.pack,
      severity: r.severity,
      enforcement: r.enforcement,
    },
  };
}

/** Rules of the report, plus any a result names that the report's rule list lacks. */
function collectRules(report: Report): RuleInfo[] {
  const byId = new Map<string, RuleInfo>();
  for (const r of report.rules) if (!byId.has(r.id)) byId.set(r.id, r);
  for (const p of report.plans) {
    for (const r of p.results) {
      if (!byId.has(r.rule)) {
        byId.set(r.rule, {
          id: r.rule,
          pack: r.pack,
          title: r.title,
          severity: r.severity,
          enforcement: r.enforcement,
          controls: r.controls,
        });
      }
    }
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function location(r: CheckedResult, planFile: string): Record<string, unknown> {
  const logical = [{ fullyQualifiedName: r.address, kind: "resource" }];
  if (r.location) {
    return {
      physicalLocation: {
        artifactLocation: { uri: toUri(r.location.file) },
        region: {
          startLine: r.location.line,
          ...(r.location.column ? { startColumn: r.location.column } : {}),
          ...(r.location.endLine ? { endLine: r.location.endLine } : {}),
        },
      },
      logicalLocations: logical,
    };
  }
  return {
    physicalLocation: { artifactLocation: { uri: toUri(planFile) }, region: { startLine: 1 } },
    logicalLocations: logical,
  };
}

export function renderSarif(report: Report, _opts: RenderOptions = {}): string {
  const rules = collectRules(report);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const multi = report.plans.length > 1;
  const entries = reported(report);
  const chosen = kept(entries);
  const omitted = entries.length - chosen.length;
  const results = chosen.map(({ r, plan, level }) => {
    const details = detailLines(r);
    const text = [`${r.address}: ${r.message}`, ...details.map((d) => `- ${d}`)].join("\n");
    return {
      ruleId: r.rule,
      ruleIndex: ruleIndex.get(r.rule),
      level,
      message: { text },
      locations: [location(r, plan.file)],
      // Two plans of one run (workspaces) can hold the same address: keep their alerts apart.
      partialFingerprints: { [FINGERPRINT_KEY]: multi ? `${r.fingerprint}:${plan.file}` : r.fingerprint },
      ...(r.verdict === "waived" && r.waiver
        ? {
            suppressions: [
              {
                kind: "external",
                status: "accepted",
                justification: `${r.waiver.reason} (owner ${r.waiver.owner}, expires ${r.waiver.expires}${r.waiver.ticket ? `, ${r.waiver.ticket}` : ""})`,
              },
            ],
          }
        : {}),
      properties: {
        verdict: r.verdict,
        status: r.status,
        severity: r.severity,
        enforcement: r.enforcement,
        plan: plan.file,
        provisional: plan.provisional,
      },
    };
  });
  const doc = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "plangate",
            version: report.tool.version,
            semanticVersion: report.tool.version,
            rules: rules.map(ruleDescriptor),
          },
        },
        ...(omitted > 0
          ? {
              invocations: [
                {
                  executionSuccessful: true,
                  toolExecutionNotifications: [
                    {
                      level: "warning",
                      message: { text: omittedNote(entries.length, omitted) },
                    },
                  ],
                },
              ],
            }
          : {}),
        results,
        properties: {
          plans: report.plans.map((p) => p.file),
          counts: report.counts,
          ...(omitted > 0 ? { omittedResults: omitted } : {}),
        },
      },
    ],
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Said in the SARIF run and, by the CLI, on stderr. */
function omittedNote(total: number, omitted: number): string {
  return (
    `${omitted} of ${total} results left out of the SARIF: GitHub code scanning rejects a run of more than ` +
    `${SARIF_MAX_RESULTS}, so the most severe are kept (blocking first, then by severity); the other formats ` +
    "and the exit code count every result"
  );
}
