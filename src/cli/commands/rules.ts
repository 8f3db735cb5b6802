/**
 * `plangate rules [--pack NAME|PATH ...] [--format text|json]`: the rules of the loaded packs as a
 * table (pack, id, severity, enforcement, controls, title). Without --pack: the built-in packs.
 * Also home of the pack loading that `explain` and `docs` share.
 */
import { renderRulesTable, ruleRows } from "../../docs/text.js";
import type { PolicyPack } from "../../generated/policy-pack.types.js";
import { InputError } from "../../plan/types.js";
import { compilePack } from "../../policy/compile.js";
import { formatDiagnostic, hasErrors } from "../../policy/diagnostic.js";
import { builtinPackNames, loadPacks } from "../../policy/load.js";
import { defineCommand } from "../command.js";

/**
 * Load and check packs for the documentation commands: a pack with errors is refused (its docs
 * would describe rules that never run). Without specs, the built-in packs.
 */
export async function loadDocPacks(specs: readonly string[] | undefined): Promise<PolicyPack[]> {
  const sources = await loadPacks(specs && specs.length > 0 ? specs : builtinPackNames());
  const packs: PolicyPack[] = [];
  for (const source of sources) {
    const { diagnostics } = compilePack(source);
    const first = diagnostics.find((d) => d.severity === "error");
    if (hasErrors(diagnostics) && first) {
      const more = diagnostics.filter((d) => d.severity === "error").length - 1;
      throw new InputError(
        `${formatDiagnostic(first)}${more > 0 ? ` (and ${more} more; run plangate validate)` : ""}`,
      );
    }
    packs.push(source.data as PolicyPack);
  }
  return packs;
}

/** The `--pack` option, shared by rules, explain and docs. */
export const PACK_OPTION = {
  type: "string",
  array: true,
  describe:
    "pack file, directory, built-in pack name or npm package (repeatable; default: the built-in packs)",
} as const;

interface RulesArgs {
  readonly pack?: readonly string[];
  readonly format: string;
}

export default defineCommand<RulesArgs>({
  command: "rules",
  describe: "List the rules of the loaded packs",
  builder: (y) =>
    y.option("pack", PACK_OPTION).option("format", {
      type: "string",
      default: "text",
      choices: ["text", "json"],
      describe: "output format",
    }),
  handler: async (args) => {
    const rows = ruleRows(await loadDocPacks(args.pack));
    process.stdout.write(
      args.format === "json" ? `${JSON.stringify(rows, null, 2)}\n` : renderRulesTable(rows),
    );
    return 0;
  },
});
