/**
 * The pack under test, through the real pipeline: load (YAML/JSON with positions) -> compile with
 * the case's parameters (cached per parameter set) -> evaluate -> deriveFixes when a case expects
 * a fix. Nothing here is test-specific, so a test passes only if `plangate check` would agree.
 */

import { evaluate } from "../engine/evaluate.js";
import type { RuleResult } from "../engine/types.js";
import { deriveFixes } from "../fix/derive.js";
import type { PlanModel } from "../plan/types.js";
import { InputError } from "../plan/types.js";
import { compilePack } from "../policy/compile.js";
import type { CompiledPack } from "../policy/compiled-pack.js";
import { type Diagnostic, formatDiagnostic, hasErrors } from "../policy/diagnostic.js";
import { loadPacks } from "../policy/load.js";
import type { SchemaIndex } from "../policy/provider-schema/index.js";
import type { PackSource } from "../policy/source.js";
import type { PackUnderTest } from "./run.js";
import type { ParamValues } from "./types.js";

export interface PackLoadOptions {
  /** Provider schemas to type-check the pack against (as `plangate check` does). */
  readonly schemaIndex?: SchemaIndex;
}

function firstError(diagnostics: readonly Diagnostic[]): InputError {
  const errors = diagnostics.filter((d) => d.severity === "error");
  const first = errors[0];
  const more = errors.length > 1 ? ` (${errors.length - 1} more error(s); run \`plangate validate\`)` : "";
  return new InputError(first ? `${formatDiagnostic(first)}${more}` : "the pack does not compile");
}

/** A pack under test from an already loaded source (the library entry; `loadPackUnderTest` reads it). */
export function packUnderTest(source: PackSource, options: PackLoadOptions = {}): PackUnderTest {
  const compile = (params: ParamValues): CompiledPack => {
    const result = compilePack(source, {
      params,
      ...(options.schemaIndex ? { schemaIndex: options.schemaIndex } : {}),
    });
    if (!result.pack || hasErrors(result.diagnostics)) throw firstError(result.diagnostics);
    return result.pack;
  };
  const base = compile({});
  const cache = new Map<string, CompiledPack>([["{}", base]]);
  return {
    name: base.name,
    rules: base.rules.map((r) => r.id),
    evaluate(model: PlanModel, params: ParamValues, withFixes: boolean): readonly RuleResult[] {
      const key = JSON.stringify(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1)));
      const cacheKey = key === "[]" ? "{}" : key;
      let pack = cache.get(cacheKey);
      if (!pack) {
        pack = compile(params);
        cache.set(cacheKey, pack);
      }
      const results = evaluate(model, [pack]);
      return withFixes ? deriveFixes(results, model) : results;
    },
  };
}

/** Read and compile the pack a test file names; a pack error is the test file's error (exit 2). */
export async function loadPackUnderTest(
  path: string,
  where: string,
  options: PackLoadOptions = {},
): Promise<PackUnderTest> {
  let sources: PackSource[];
  try {
    sources = await loadPacks([path]);
  } catch (err) {
    if (err instanceof InputError) throw new InputError(`pack ${path}: ${err.oneLine()}`, where);
    throw err;
  }
  const source = sources[0];
  if (sources.length !== 1 || !source) {
    throw new InputError(`\`pack\` must name one pack file, ${path} holds ${sources.length}`, where);
  }
  return packUnderTest(source, options);
}
