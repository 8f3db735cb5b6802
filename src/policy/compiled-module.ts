/**
 * The module `plangate compile` writes: the validated pack as a JSON literal plus the source
 * positions of its nodes, so that loading it needs neither YAML parsing nor schema compilation and
 * diagnostics (e.g. with other parameters) still point into the original YAML.
 *
 * Every pack value enters the module through JSON.stringify (with U+2028/U+2029 escaped): the
 * module is data, whatever the pack holds.
 */
import type { PackSource } from "./source.js";
import { positionTable, sourceFromData } from "./source.js";

export const COMPILED_FORMAT = "plangate-compiled-pack/1";

export interface CompiledModule {
  readonly format: typeof COMPILED_FORMAT;
  /** The pack file it was compiled from, as given to `plangate compile`. */
  readonly source: string;
  readonly pack: unknown;
  readonly positions: Readonly<Record<string, readonly [number, number]>>;
}

function literal(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** ES module text and its declaration file. */
export function renderCompiledModule(source: PackSource, version: string): { js: string; dts: string } {
  const banner = `// Compiled by plangate ${version} from ${source.file.replace(/[\r\n]/g, " ")}. Do not edit: recompile the pack.\n`;
  const js =
    `${banner}const compiled = {\n` +
    `  format: ${literal(COMPILED_FORMAT)},\n` +
    `  source: ${literal(source.file)},\n` +
    `  pack: ${literal(source.data)},\n` +
    `  positions: ${literal(positionTable(source))},\n` +
    "};\nexport default compiled;\n";
  const dts =
    `${banner}declare const compiled: {\n` +
    `  readonly format: ${literal(COMPILED_FORMAT)};\n` +
    "  readonly source: string;\n" +
    "  readonly pack: { readonly apiVersion: string; readonly metadata: { readonly name: string; readonly version: string }; readonly [key: string]: unknown };\n" +
    "  readonly positions: Readonly<Record<string, readonly [number, number]>>;\n" +
    "};\nexport default compiled;\n";
  return { js, dts };
}

function isCompiledModule(v: unknown): v is CompiledModule {
  if (typeof v !== "object" || v === null) return false;
  const m = v as Record<string, unknown>;
  return (
    m.format === COMPILED_FORMAT &&
    typeof m.source === "string" &&
    typeof m.positions === "object" &&
    m.positions !== null
  );
}

/**
 * A loaded module's default export -> a pack source. Positions refer to the original pack file,
 * so the source is named after it (with the module noted).
 */
export function sourceFromCompiledModule(exported: unknown, moduleFile: string): PackSource | string {
  if (!isCompiledModule(exported))
    return `${moduleFile} is not a pack compiled by plangate compile (${COMPILED_FORMAT})`;
  return sourceFromData(exported.source, exported.pack, exported.positions);
}
