/**
 * Terminal renderings: the `plangate rules` table and one rule's `plangate explain` page. Pure.
 */
import type { PolicyPack } from "../generated/policy-pack.types.js";
import type { DocLine } from "./describe.js";
import type { RuleDoc } from "./rule-doc.js";

export interface RuleRow {
  readonly pack: string;
  readonly id: string;
  readonly severity: string;
  readonly enforcement: string;
  readonly controls: readonly string[];
  readonly title: string;
}

export function ruleRows(packs: readonly PolicyPack[]): RuleRow[] {
  return packs.flatMap((p) =>
    p.rules.map((r) => ({
      pack: p.metadata.name,
      id: r.id,
      severity: r.severity,
      enforcement: r.enforcement,
      controls: r.controls ?? [],
      title: r.title,
    })),
  );
}

/** A plain table padded to the widest cell; the last column is not padded. */
export function renderRulesTable(rows: readonly RuleRow[]): string {
  const header = ["PACK", "RULE", "SEVERITY", "ENFORCEMENT", "CONTROLS", "TITLE"];
  const cells = rows.map((r) => [
    r.pack,
    r.id,
    r.severity,
    r.enforcement,
    r.controls.join(",") || "-",
    r.title,
  ]);
  const all = [header, ...cells];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? "").length)));
  const lines = all.map((row) =>
    row
      .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
  return `${lines.join("\n")}\n`;
}

function indent(lines: readonly DocLine[], depth: number): string[] {
  return lines.flatMap((l) => [`${"  ".repeat(depth)}- ${l.text}`, ...indent(l.children, depth + 1)]);
}

/** Wrap prose at `width` columns, for terminals. */
function wrap(text: string, width = 100, prefix = "  "): string[] {
  const words = text.trim().split(/\s+/);
  const out: string[] = [];
  let cur = "";
  for (const w of words) {
    if (cur && cur.length + 1 + w.length > width - prefix.length) {
      out.push(prefix + cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) out.push(prefix + cur);
  return out;
}

export function renderRuleText(doc: RuleDoc): string {
  const out: string[] = [`${doc.pack}/${doc.id}`, `  ${doc.title}`, ""];
  if (doc.description) out.push(...wrap(doc.description), "");
  const field = (label: string, value: string) => `${`${label}:`.padEnd(14)}${value}`;
  out.push(
    field("Severity", doc.severity),
    field("Enforcement", doc.enforcement),
    field("Controls", doc.controls.join(", ") || "-"),
    field(doc.mode === "data" ? "Data sources" : "Resources", doc.resourceTypes.join(", ")),
  );
  if (doc.actions) out.push(field("Actions", doc.actions.join(", ")));
  if (doc.unknown) out.push(field("Unknown", `counts as ${doc.unknown}`));
  if (doc.url) out.push(field("Docs", doc.url));
  out.push("");
  if (doc.appliesWhen.length > 0) out.push("Applies when:", ...indent(doc.appliesWhen, 1), "");
  if (doc.passes) out.push("What passes:", ...wrap(doc.passes), "");
  out.push("Fix:", ...indent(doc.fix, 1));
  if (doc.hint) out.push("", "Hint:", ...wrap(doc.hint));
  if (doc.parameters.length > 0) {
    out.push("", "Parameters:");
    for (const [name, p] of doc.parameters) {
      out.push(`  ${name} (${p.type}, default ${JSON.stringify(p.default)})`);
      if (p.description) out.push(...wrap(p.description, 100, "    "));
    }
  }
  return `${out.join("\n")}\n`;
}
