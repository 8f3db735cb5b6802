/**
 * `plangate validate PACK...`: load and compile every pack (schema, semantics, provider types) and
 * list every problem as `file:line:column: message`. Exit 0 when there is no error, 2 otherwise.
 */
import type { Argv } from "yargs";
import { InputError } from "../../plan/types.js";
import { compilePack } from "../../policy/compile.js";
import { type Diagnostic, formatDiagnostic, hasErrors } from "../../policy/diagnostic.js";
import { loadPacks } from "../../policy/load.js";
import { loadSchemaIndex } from "../../policy/provider-schema/index.js";
import type { PackSource } from "../../policy/source.js";
import { defineCommand } from "../command.js";

interface ValidateArgs {
  readonly packs: readonly string[];
}

/** Pack names must be unique in a run: report every later pack that reuses one. */
function duplicateNames(sources: readonly PackSource[]): Diagnostic[] {
  const seen = new Map<string, string>();
  const out: Diagnostic[] = [];
  for (const s of sources) {
    const meta = (s.data as { metadata?: { name?: unknown } } | undefined)?.metadata;
    if (typeof meta?.name !== "string") continue;
    const first = seen.get(meta.name);
    if (first === undefined) {
      seen.set(meta.name, s.file);
      continue;
    }
    const pos = s.locate("/metadata/name");
    out.push({
      severity: "error",
      code: "duplicate-pack-name",
      message: `pack name "${meta.name}" is already used by ${first}`,
      file: s.file,
      line: pos.line,
      column: pos.column,
      instancePath: "/metadata/name",
    });
  }
  return out;
}

export default defineCommand<ValidateArgs>({
  command: "validate <packs..>",
  describe: "Validate policy packs (schema, attribute paths, operators, regexes)",
  builder: (y: Argv) =>
    y.positional("packs", {
      type: "string",
      array: true,
      demandOption: true,
      describe: "pack files, directories, built-in pack names or npm packages",
    }) as unknown as Argv<ValidateArgs>,
  handler: async (args) => {
    const lines: string[] = [];
    const sources: PackSource[] = [];
    for (const spec of args.packs) {
      try {
        sources.push(...(await loadPacks([spec])));
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        lines.push(err.oneLine());
      }
    }
    const index = loadSchemaIndex();
    const diagnostics: Diagnostic[] = [];
    let rules = 0;
    for (const source of sources) {
      const result = compilePack(source, { schemaIndex: index });
      diagnostics.push(...result.diagnostics);
      rules += result.pack?.rules.length ?? 0;
    }
    diagnostics.push(...duplicateNames(sources));
    lines.push(...diagnostics.map(formatDiagnostic));
    if (lines.length > 0) process.stderr.write(`${lines.join("\n")}\n`);
    const failed = hasErrors(diagnostics) || lines.length > diagnostics.length;
    if (failed) {
      const errors =
        diagnostics.filter((d) => d.severity === "error").length + (lines.length - diagnostics.length);
      process.stderr.write(
        `plangate: ${errors} error${errors === 1 ? "" : "s"} in ${args.packs.length} pack spec(s)\n`,
      );
      return 2;
    }
    process.stdout.write(`${sources.length} pack${sources.length === 1 ? "" : "s"} valid (${rules} rules)\n`);
    return 0;
  },
});
