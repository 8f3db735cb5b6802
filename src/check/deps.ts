/**
 * The real stages behind `runCheck`: plan reader, pack loader + compiler, engine, fix stage and
 * source locations. Kept apart from `run.ts` so the orchestration stays testable with fakes.
 */
import path from "node:path";
import { evaluate } from "../engine/evaluate.js";
import { deriveFixes } from "../fix/derive.js";
import { deriveFixesIterated } from "../fix/iterate.js";
import { nodeSourceFs } from "../fix/node-fs.js";
import { locateResourceBlock, type SourceFs } from "../fix/source.js";
import { readPlanInput } from "../plan/read.js";
import { terraformJsonLocation } from "../plan/tfjson-read.js";
import { InputError, type JsonValue } from "../plan/types.js";
import { compilePack } from "../policy/compile.js";
import type { CompiledPack } from "../policy/compiled-pack.js";
import { type Diagnostic, formatDiagnostic } from "../policy/diagnostic.js";
import { loadPacks } from "../policy/load.js";
import { loadSchemaIndex, type SchemaIndex } from "../policy/provider-schema/index.js";
import type { CheckDeps, LoadedPack } from "./run.js";
import { suggestFixes } from "./suggest.js";
import type { RuleInfo } from "./types.js";

export interface DepsOptions {
  readonly cwd: string;
  readonly terraformBin?: string;
  /** `--input-kind`: force reading inputs as plans or as Terraform JSON configuration. */
  readonly inputKind?: "auto" | "plan" | "config";
  /** `--source-dir`: where the `.tf` files are, for SARIF / GitHub locations. */
  readonly sourceDir?: string;
}

function packName(data: unknown): string | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const meta = (data as { metadata?: unknown }).metadata;
  if (typeof meta !== "object" || meta === null) return undefined;
  const name = (meta as { name?: unknown }).name;
  return typeof name === "string" ? name : undefined;
}

/**
 * A parameter value the config sets wrongly is the config's error: point at the config, not at the
 * pack that declares the parameter.
 */
function configParameterError(
  d: Diagnostic,
  pack: string,
  paramWhere: (pack: string, name: string) => string | undefined,
): { message: string; where: string } | undefined {
  const fromConfig =
    d.code === "unknown-parameter" || (d.code === "parameter-type" && d.message.startsWith("the config"));
  const name = /parameter "([^"]+)"/.exec(d.message)?.[1];
  const where = fromConfig && name !== undefined ? paramWhere(pack, name) : undefined;
  return where ? { message: d.message, where } : undefined;
}

function rulesOf(pack: CompiledPack): RuleInfo[] {
  return pack.rules.map((r) => ({
    id: r.id,
    pack: pack.name,
    title: r.title,
    severity: r.severity,
    enforcement: r.enforcement,
    controls: r.controls,
    ...(r.description ? { description: r.description } : {}),
    ...(r.docsUrl ? { docsUrl: r.docsUrl } : pack.homepage ? { docsUrl: `${pack.homepage}#${r.id}` } : {}),
    ...(r.unknown ? { unknown: r.unknown } : {}),
  }));
}

/** Reads each file once: several failing resources of one module would otherwise re-read its files. */
function cachingFs(fs: SourceFs): SourceFs {
  const texts = new Map<string, string>();
  const dirs = new Map<string, string[]>();
  const reals = new Map<string, string | undefined>();
  return {
    realpath(p) {
      if (!reals.has(p)) reals.set(p, fs.realpath(p));
      return reals.get(p);
    },
    readDir(p) {
      const cached = dirs.get(p);
      if (cached) return cached;
      const d = fs.readDir(p);
      dirs.set(p, d);
      return d;
    },
    isSymlink: (p) => fs.isSymlink(p),
    isFile: (p) => fs.isFile(p),
    readFile(p) {
      const cached = texts.get(p);
      if (cached !== undefined) return cached;
      const t = fs.readFile(p);
      texts.set(p, t);
      return t;
    },
  };
}

export function defaultCheckDeps(opts: DepsOptions): CheckDeps<CompiledPack> {
  const sourceFs = cachingFs(nodeSourceFs);
  const sourceRoot = opts.sourceDir ? sourceFs.realpath(path.resolve(opts.cwd, opts.sourceDir)) : undefined;
  if (opts.sourceDir && !sourceRoot) throw new InputError("--source-dir: no such directory", opts.sourceDir);
  const cwdReal = sourceFs.realpath(opts.cwd) ?? opts.cwd;
  // A path under --source-dir as reports show it: relative to the working directory, with `/`.
  const display = (rel: string): string =>
    path
      .relative(cwdReal, path.join(sourceRoot ?? cwdReal, rel))
      .split(path.sep)
      .join("/");
  // One index for compile and fix stages: it caches the provider schemas it has read.
  let index: SchemaIndex | undefined;
  const schemas = (): SchemaIndex => {
    index ??= loadSchemaIndex();
    return index;
  };
  return {
    readPlan: (file) =>
      readPlanInput(file, {
        ...(opts.terraformBin ? { terraformBin: opts.terraformBin } : {}),
        ...(opts.inputKind ? { inputKind: opts.inputKind } : {}),
      }),
    async loadPacks(specs, params, paramWhere) {
      const sources = await loadPacks(specs, { cwd: opts.cwd });
      const schemaIndex = schemas();
      const out: LoadedPack<CompiledPack>[] = [];
      for (const source of sources) {
        const name = packName(source.data);
        const own = name ? (params[name] as Record<string, JsonValue> | undefined) : undefined;
        const { pack, diagnostics } = compilePack(source, { schemaIndex, ...(own ? { params: own } : {}) });
        const errors = diagnostics.filter((d) => d.severity === "error");
        const first = errors[0];
        if (!pack || first) {
          const more = errors.length > 1 ? ` (and ${errors.length - 1} more; run plangate validate)` : "";
          const inConfig =
            first && name && paramWhere ? configParameterError(first, name, paramWhere) : undefined;
          if (inConfig) throw new InputError(`${inConfig.message}${more}`, inConfig.where);
          throw new InputError(
            first ? `${formatDiagnostic(first)}${more}` : `${source.file}: the pack does not compile`,
          );
        }
        out.push({
          info: { name: pack.name, version: pack.version, source: source.file },
          rules: rulesOf(pack),
          compiled: pack,
        });
      }
      return out;
    },
    evaluate: (model, packs, o) =>
      evaluate(model, packs, {
        unknownPolicy: o.unknownPolicy,
        ...(o.rules ? { rules: o.rules } : {}),
        ...(o.only ? { only: o.only } : {}),
        ...(o.decisionsOnly ? { decisionsOnly: true } : {}),
      }),
    // Same fix stage as `plangate fix`: provider schemas turn a new companion's underivable
    // required arguments into hints, and fix passes fold in a companion's own requirements.
    deriveFixes: (results, model, evaluateRules) =>
      evaluateRules
        ? deriveFixesIterated(results, model, evaluateRules, { schemas: schemas() })
        : deriveFixes(results, model, { schemas: schemas() }),
    locate(model, address) {
      // A configuration model knows where its blocks are (its reader kept their lines): SARIF and
      // GitHub annotations point into the .tf.json, with or without --source-dir.
      if (model.source === "configuration") return terraformJsonLocation(model, address);
      if (!sourceRoot) return undefined;
      const loc = locateResourceBlock(model, address, sourceRoot, sourceFs);
      if (!loc) return undefined;
      return { file: display(loc.file), line: loc.line, endLine: loc.endLine };
    },
    ...(sourceRoot
      ? {
          suggest: (model, results) => suggestFixes(model, results, sourceRoot, sourceFs, schemas(), display),
        }
      : {}),
  };
}
