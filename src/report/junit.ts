/**
 * JUnit XML: one test suite per plan, one test case per (rule, resource). Blocking and advisory
 * failures are `<failure>` (with `type` saying which), unknowns and waived failures `<skipped>`
 * (they are neither a pass nor a failure of the gate); not-applicable pairs are left out.
 */
import type { CheckedResult, PlanReport, Report } from "../check/types.js";
import type { ModelSource } from "../plan/types.js";
import { detailLines, type RenderOptions } from "./common.js";
import { fixForm } from "./fix-form.js";

/** XML 1.0's Char production. */
function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    cp >= 0x10000
  );
}

/** Drops characters XML 1.0 cannot hold; scans first, since almost every string has none. */
function xmlChars(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const suspect =
      c < 0x20 ? c !== 0x9 && c !== 0xa && c !== 0xd : c >= 0xd800 && (c <= 0xdfff || c >= 0xfffe);
    if (suspect) {
      return Array.from(s)
        .filter((ch) => isXmlChar(ch.codePointAt(0) ?? 0))
        .join("");
    }
  }
  return s;
}

const XML_ENTITY: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/** Escape for XML text and attribute values; drops characters XML 1.0 cannot hold. */
export function xmlEscape(s: string): string {
  return xmlChars(s).replace(/[&<>"']/g, (c) => XML_ENTITY[c] ?? c);
}

function testcase(r: CheckedResult, source: ModelSource): string {
  const attrs = `name="${xmlEscape(r.rule)}" classname="${xmlEscape(r.address)}"`;
  const form = fixForm(r, source);
  const body = [`${r.address}: ${r.message}`, ...detailLines(r), ...(form ? ["fix:", form.text] : [])].join(
    "\n",
  );
  switch (r.verdict) {
    case "blocking":
    case "advisory":
      return `    <testcase ${attrs}>\n      <failure type="${r.verdict}" message="${xmlEscape(`${r.message} (${r.reason})`)}">${xmlEscape(body)}</failure>\n    </testcase>`;
    case "unknown":
      return `    <testcase ${attrs}>\n      <skipped message="${xmlEscape(`unknown: ${detailLines(r).join("; ") || r.message}`)}"/>\n    </testcase>`;
    case "waived":
      return `    <testcase ${attrs}>\n      <skipped message="${xmlEscape(`waived: ${r.reason}`)}"/>\n    </testcase>`;
    default:
      return `    <testcase ${attrs}/>`;
  }
}

function suite(p: PlanReport, quiet: boolean | undefined): string {
  const cases = p.results.filter((r) => r.verdict !== "not_applicable" && (!quiet || r.verdict !== "passed"));
  const failures = cases.filter((r) => r.verdict === "blocking" || r.verdict === "advisory").length;
  const skipped = cases.filter((r) => r.verdict === "unknown" || r.verdict === "waived").length;
  const props = [
    `      <property name="formatVersion" value="${xmlEscape(p.formatVersion)}"/>`,
    `      <property name="provisional" value="${p.provisional}"/>`,
    ...(p.terraformVersion
      ? [`      <property name="terraformVersion" value="${xmlEscape(p.terraformVersion)}"/>`]
      : []),
  ];
  return [
    `  <testsuite name="${xmlEscape(p.file)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">`,
    "    <properties>",
    ...props,
    "    </properties>",
    ...cases.map((r) => testcase(r, p.source)),
    "  </testsuite>",
  ].join("\n");
}

export function renderJunit(report: Report, opts: RenderOptions = {}): string {
  const suites = report.plans.map((p) => suite(p, opts.quiet));
  const c = report.counts;
  const tests = report.plans.reduce(
    (n, p) =>
      n +
      p.results.filter((r) => r.verdict !== "not_applicable" && (!opts.quiet || r.verdict !== "passed"))
        .length,
    0,
  );
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="plangate" tests="${tests}" failures="${c.blocking + c.advisory}" errors="0" skipped="${c.unknown + c.waived}">`,
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
}
