/**
 * `plangate compile PACK --out DIR`: check a pack completely, then write it as an ES module (+ .d.ts)
 * that `--pack DIR/<name>.js` loads without YAML parsing or schema compilation. Written atomically.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Argv } from "yargs";
import { compilePack } from "../../policy/compile.js";
import { renderCompiledModule } from "../../policy/compiled-module.js";
import { formatDiagnostic, hasErrors } from "../../policy/diagnostic.js";
import { loadPacks } from "../../policy/load.js";
import { loadSchemaIndex } from "../../policy/provider-schema/index.js";
import { writeFilesAtomically } from "../../policy/provider-schema/write.js";
import { defineCommand } from "../command.js";

interface CompileArgs {
  readonly pack: string;
  readonly out: string;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
      version?: string;
    };
    return pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
}

export default defineCommand<CompileArgs>({
  command: "compile <pack>",
  describe: "Compile a policy pack into an ES module that loads without YAML or schema compilation",
  builder: (y: Argv) =>
    y
      .positional("pack", {
        type: "string",
        demandOption: true,
        describe: "pack file, directory or built-in name",
      })
      .option("out", {
        type: "string",
        demandOption: true,
        describe: "directory to write <name>.js and <name>.d.ts into",
      }) as unknown as Argv<CompileArgs>,
  handler: async (args) => {
    const sources = await loadPacks([args.pack]);
    const index = loadSchemaIndex();
    const files = new Map<string, string>();
    const problems: string[] = [];
    const version = packageVersion();
    for (const source of sources) {
      const result = compilePack(source, { schemaIndex: index });
      problems.push(...result.diagnostics.map(formatDiagnostic));
      if (hasErrors(result.diagnostics) || !result.pack) continue;
      if (files.has(`${result.pack.name}.js`)) {
        problems.push(
          `${source.file}: pack name "${result.pack.name}" is used by another pack of ${args.pack}`,
        );
        continue;
      }
      const { js, dts } = renderCompiledModule(source, version);
      files.set(`${result.pack.name}.js`, js);
      files.set(`${result.pack.name}.d.ts`, dts);
    }
    if (problems.length > 0) process.stderr.write(`${problems.join("\n")}\n`);
    if (files.size !== sources.length * 2) return 2;
    const out = resolve(args.out);
    await writeFilesAtomically(out, files);
    for (const name of files.keys())
      if (name.endsWith(".js")) process.stdout.write(`wrote ${resolve(out, name)}\n`);
    return 0;
  },
});
