/**
 * `plangate inspect PLAN`: what plangate sees in a plan (resources, unknown / sensitive paths,
 * links). It prints no attribute values, so nothing sensitive can leak.
 */
import { isCheckable } from "../../plan/actions.js";
import { readPlanInput } from "../../plan/read.js";
import { InputError, type PlanModel } from "../../plan/types.js";
import { printableOutput } from "../../safety/text.js";
import { defineCommand } from "../command.js";

interface InspectArgs {
  readonly plan: string;
  readonly format: string;
  readonly "terraform-bin"?: string;
}

export interface InspectResource {
  readonly address: string;
  readonly type: string;
  readonly mode: string;
  readonly actions: readonly string[];
  readonly action_reason?: string;
  readonly deposed?: string;
  readonly checked: boolean;
  readonly unknown: readonly string[];
  readonly sensitive: readonly string[];
  readonly links: readonly { readonly to: string; readonly via: string; readonly kind: string }[];
}

export interface InspectReport {
  readonly format_version: string;
  readonly terraform_version: string | null;
  readonly complete: boolean | null;
  readonly partial: boolean;
  readonly warnings: readonly string[];
  readonly resources: readonly InspectResource[];
  readonly module_calls: readonly {
    readonly path: string;
    readonly source?: string;
    readonly version?: string;
  }[];
}

/** The JSON shape of `inspect` (issue 2): names are a contract for users' scripts. */
export function inspectReport(model: PlanModel): InspectReport {
  return {
    format_version: model.formatVersion,
    terraform_version: model.terraformVersion ?? null,
    complete: model.complete,
    partial: model.partial,
    warnings: model.warnings,
    resources: model.resources.map((r) => ({
      address: r.address,
      type: r.type,
      mode: r.mode,
      actions: r.actions,
      ...(r.actionReason !== undefined ? { action_reason: r.actionReason } : {}),
      ...(r.deposed !== undefined ? { deposed: r.deposed } : {}),
      checked: isCheckable(r),
      unknown: r.unknownPaths,
      sensitive: r.sensitivePaths,
      links:
        r.deposed !== undefined
          ? []
          : (model.outgoing.get(r.address) ?? []).map((l) => ({ to: l.to, via: l.via, kind: l.kind })),
    })),
    module_calls: model.moduleCalls.map((m) => ({
      path: m.path.map((n) => `module.${n}`).join("."),
      ...(m.source !== undefined ? { source: m.source } : {}),
      ...(m.version !== undefined ? { version: m.version } : {}),
    })),
  };
}

/** A readable listing: one block per resource, links indented under it. */
export function inspectText(report: InspectReport, file: string): string {
  const lines: string[] = [];
  const complete = report.complete === null ? "not stated" : String(report.complete);
  lines.push(
    `${file}: format ${report.format_version}, terraform ${report.terraform_version ?? "?"}, complete: ${complete}, ${report.resources.length} resources`,
  );
  for (const w of report.warnings) lines.push(`warning: ${w}`);
  for (const r of report.resources) {
    const notes = [
      r.actions.join("+"),
      r.mode === "managed" ? "" : r.mode,
      r.action_reason ?? "",
      r.deposed ? `deposed ${r.deposed}` : "",
      r.checked ? "" : "not checked",
    ]
      .filter((s) => s !== "")
      .join(", ");
    lines.push("", `${r.address}  (${notes})`);
    if (r.unknown.length > 0) lines.push(`  unknown:   ${r.unknown.join(", ")}`);
    if (r.sensitive.length > 0) lines.push(`  sensitive: ${r.sensitive.join(", ")}`);
    for (const l of r.links)
      lines.push(`  -> ${l.to}  via ${l.via}${l.kind === "reference" ? "" : ` (${l.kind})`}`);
  }
  if (report.module_calls.length > 0) {
    lines.push("", "module calls:");
    for (const m of report.module_calls) {
      lines.push(`  ${m.path}  ${m.source ?? ""}${m.version ? ` ${m.version}` : ""}`.trimEnd());
    }
  }
  return `${lines.join("\n")}\n`;
}

export default defineCommand<InspectArgs>({
  command: "inspect <plan>",
  describe: "Show the resources, unknown/sensitive paths and links plangate sees in a plan",
  builder: (y) =>
    y
      .positional("plan", {
        type: "string",
        demandOption: true,
        describe: "plan JSON, `-` for stdin, or a binary plan file",
      })
      .option("format", {
        type: "string",
        default: "text",
        choices: ["text", "json"],
        describe: "output format",
      })
      .option("terraform-bin", {
        type: "string",
        describe: "terraform or tofu binary for binary plan files",
      }),
  handler: async (args) => {
    if (args.format !== "text" && args.format !== "json")
      throw new InputError(`unknown --format "${args.format}"`);
    // yargs turns a lone `-` positional into "": that is stdin.
    const plan = args.plan === "" ? "-" : args.plan;
    const model = await readPlanInput(
      plan,
      args["terraform-bin"] ? { terraformBin: args["terraform-bin"] } : {},
    );
    const report = inspectReport(model);
    process.stdout.write(
      printableOutput(
        args.format === "json" ? `${JSON.stringify(report, null, 2)}\n` : inspectText(report, model.file),
      ),
    );
    return 0;
  },
});
