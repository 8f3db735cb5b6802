/**
 * `plangate schema import FILE`: convert `terraform providers schema -json` output (any provider) into
 * the per-type schema files packs are type-checked against.
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Argv } from "yargs";
import { InputError } from "../../plan/types.js";
import { providerFiles } from "../../policy/provider-schema/files.js";
import { importProviderSchema } from "../../policy/provider-schema/import.js";
import type { ImportedProvider, ImportedProviders } from "../../policy/provider-schema/types.js";
import { writeFilesAtomically } from "../../policy/provider-schema/write.js";
import { defineCommand } from "../command.js";

const STDIN = "<stdin>";

interface ImportArgs {
  readonly file: string;
  readonly out: string;
  readonly provider?: string;
  readonly types?: string;
}

export default defineCommand<Record<string, unknown>>({
  command: "schema",
  describe: "Import provider schemas (`terraform providers schema -json`) for type-checked packs",
  builder: (y: Argv) =>
    y.command(
      "import <file>",
      "Convert `terraform providers schema -json` output (`-` for stdin) into per-type schema files",
      (sub) =>
        sub
          .positional("file", {
            type: "string",
            demandOption: true,
            describe: "schema JSON file, or - for stdin",
          })
          .option("out", {
            type: "string",
            default: "./schemas/providers",
            describe: "directory to write <provider>/<type>.json files into",
          })
          .option("provider", {
            type: "string",
            describe: "import only this provider (short name such as aws, or source address)",
          })
          .option("types", {
            type: "string",
            describe: "also write TypeScript interfaces of planned values into this directory",
          }),
      async (args) => {
        await importCommand(args as unknown as ImportArgs);
      },
    ),
  // Subcommands run their own handlers; yargs reaches this one only when none was named.
  handler: async () => {
    throw new InputError("a subcommand is required: plangate schema import FILE");
  },
});

async function importCommand(args: ImportArgs): Promise<void> {
  if (args.types === "") throw new InputError("--types needs a directory");
  // yargs hands a lone `-` positional over as "".
  const file = args.file === "" || args.file === "-" ? STDIN : args.file;
  const imported = selectProvider(importFrom(await readDocument(file), file), args.provider);
  const out = resolve(args.out);
  const files = providerFiles(imported);
  await writeFilesAtomically(out, files);
  let typeCount = 0;
  if (args.types !== undefined) {
    const { providerTypeFiles } = await import("../../policy/provider-schema/typescript.js");
    const types = await providerTypeFiles(imported);
    await writeFilesAtomically(resolve(args.types), types);
    typeCount = types.size;
  }
  process.stdout.write(summary(imported, out, files.size, typeCount));
}

async function readDocument(file: string): Promise<unknown> {
  let text: string;
  try {
    text = file === STDIN ? await readStdin() : await readFile(file, "utf8");
  } catch (err) {
    throw new InputError(
      `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      file,
    );
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    throw new InputError(
      `not JSON (expected \`terraform providers schema -json\` output): ${(err as Error).message}`,
      file,
    );
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Import errors name a JSON Pointer; prefix the file so the one line says where. */
function importFrom(doc: unknown, file: string): ImportedProviders {
  try {
    return importProviderSchema(doc);
  } catch (err) {
    if (err instanceof InputError) throw new InputError(err.message, `${file}#${err.where ?? ""}`);
    throw err;
  }
}

function selectProvider(imported: ImportedProviders, wanted: string | undefined): ImportedProviders {
  if (imported.providers.length === 0) throw new InputError("the document holds no provider schemas");
  if (wanted === undefined) return imported;
  const providers = imported.providers.filter((p) => p.name === wanted || p.source === wanted);
  if (providers.length === 0) {
    const names = imported.providers.map((p) => p.name).join(", ");
    throw new InputError(`no provider "${wanted}" in the document (it has: ${names})`);
  }
  return { ...imported, providers };
}

function summary(imported: ImportedProviders, out: string, fileCount: number, typeCount: number): string {
  const lines = imported.providers.map(
    (p) =>
      `${p.name} (${p.source}): ${p.resources.length} resource types, ${p.dataSources.length} data sources -> ${join(out, p.name)}` +
      prefixNote(p),
  );
  const types = typeCount > 0 ? `, ${typeCount} TypeScript files` : "";
  lines.push(`wrote ${fileCount} schema files${types}`);
  return `${lines.join("\n")}\n`;
}

/** Packs find a type's provider by its prefix (`aws_`); say so when a provider's types do not match its name. */
function prefixNote(p: ImportedProvider): string {
  const odd = [...p.resources, ...p.dataSources].filter((s) => !s.type.startsWith(`${p.name}_`));
  if (odd.length === 0) return "";
  return ` (note: ${odd.length} types, e.g. ${odd[0]!.type}, do not start with "${p.name}_" and will not be found by packs)`;
}
