/**
 * `compilePack`: a loaded pack -> compiled rules (closures) plus every diagnostic, before any plan
 * is read. Pure: the schema validator is generated ahead of time, provider schemas come in through
 * `schemaIndex` (read lazily by the caller's index), and nothing from the pack is evaluated as code.
 *
 * Order of checks: parse errors, then the JSON Schema (stop there when it fails: later checks
 * assume the shape), then semantics (parameters, duplicate ids, operators, paths, regexes), then
 * the type check against provider schemas. A pack with any error compiles to nothing.
 */

import type { PolicyPack, Rule } from "../generated/policy-pack.types.js";
import { DEFAULT_SCOPES } from "../plan/actions.js";
import type { ActionScope, JsonValue } from "../plan/types.js";
import { type AssertionEnv, compileAssertion } from "./compile-assertion.js";
import type { CompiledPack, CompiledRule } from "./compiled-pack.js";
import { CompileContext } from "./context.js";
import { type Diagnostic, hasErrors, pointerSegment, sortDiagnostics } from "./diagnostic.js";
import type { SchemaIndex } from "./provider-schema/index.js";
import { checkSchema } from "./schema-check.js";
import type { PackSource } from "./source.js";
import { typeCheckPack } from "./typecheck.js";

export interface CompileOptions {
  /** Parameter values for this pack (from the config file); they override the pack's defaults. */
  readonly params?: Readonly<Record<string, JsonValue>>;
  /** Provider schemas to type-check attribute paths and operands against. */
  readonly schemaIndex?: SchemaIndex;
}

export interface CompileResult {
  /** Present when there is no error (warnings allowed). */
  readonly pack?: CompiledPack;
  /** Errors and warnings, sorted by position. */
  readonly diagnostics: readonly Diagnostic[];
}

type ParamType = "string" | "number" | "boolean" | "string[]" | "number[]";

function hasType(value: unknown, type: ParamType): boolean {
  switch (type) {
    case "string":
    case "number":
    case "boolean":
      return typeof value === type;
    case "string[]":
      return Array.isArray(value) && value.every((v) => typeof v === "string");
    case "number[]":
      return Array.isArray(value) && value.every((v) => typeof v === "number");
  }
}

function resolveParams(
  pack: PolicyPack,
  overrides: Readonly<Record<string, JsonValue>>,
  ctx: CompileContext,
): Map<string, JsonValue> {
  const params = new Map<string, JsonValue>();
  const declared = pack.parameters ?? {};
  for (const [name, p] of Object.entries(declared)) {
    const at = `/parameters/${pointerSegment(name)}`;
    if (!hasType(p.default, p.type))
      ctx.error(`${at}/default`, "parameter-type", `default of parameter "${name}" is not a ${p.type}`);
    params.set(name, p.default as JsonValue);
  }
  for (const [name, value] of Object.entries(overrides)) {
    const p = Object.hasOwn(declared, name) ? declared[name] : undefined;
    if (!p) {
      ctx.error(
        pack.parameters ? "/parameters" : "/metadata/name",
        "unknown-parameter",
        `the config sets parameter "${name}", which pack "${pack.metadata.name}" does not declare`,
      );
      continue;
    }
    if (!hasType(value, p.type)) {
      ctx.error(
        `/parameters/${pointerSegment(name)}`,
        "parameter-type",
        `the config sets parameter "${name}" to a value that is not a ${p.type}`,
      );
      continue;
    }
    params.set(name, value);
  }
  return params;
}

function compileRule(rule: Rule, index: number, pack: PolicyPack, env: AssertionEnv): CompiledRule {
  const at = `/rules/${index}`;
  const mode = rule.mode ?? "managed";
  const actions: readonly ActionScope[] =
    rule.actions ?? (mode === "data" ? [...DEFAULT_SCOPES, "read"] : DEFAULT_SCOPES);
  const where = rule.where ? compileAssertion(rule.where, `${at}/where`, false, env).node : undefined;
  const require = compileAssertion(rule.require, `${at}/require`, false, env).node;
  const docsUrl =
    rule.docs?.url ?? (pack.metadata.homepage ? `${pack.metadata.homepage}#${rule.id}` : undefined);
  return {
    id: rule.id,
    title: rule.title,
    ...(rule.description !== undefined ? { description: rule.description } : {}),
    severity: rule.severity,
    enforcement: rule.enforcement,
    controls: rule.controls ?? [],
    types: typeof rule.resource === "string" ? [rule.resource] : rule.resource,
    mode,
    actions,
    ...(rule.unknown !== undefined ? { unknown: rule.unknown } : {}),
    ...(rule.message !== undefined ? { message: rule.message } : {}),
    ...(rule.fix?.hint !== undefined ? { hint: rule.fix.hint } : {}),
    ...(docsUrl !== undefined ? { docsUrl } : {}),
    ...(where ? { where } : {}),
    require,
  };
}

function checkDuplicateIds(pack: PolicyPack, ctx: CompileContext): void {
  const first = new Map<string, number>();
  pack.rules.forEach((rule, i) => {
    const prev = first.get(rule.id);
    if (prev === undefined) {
      first.set(rule.id, i);
      return;
    }
    const pos = ctx.source.locate(`/rules/${prev}/id`);
    ctx.error(
      `/rules/${i}/id`,
      "duplicate-rule-id",
      `duplicate rule id "${rule.id}" (first defined at line ${pos.line})`,
    );
  });
}

export function compilePack(source: PackSource, options: CompileOptions = {}): CompileResult {
  if (hasErrors(source.diagnostics)) return { diagnostics: sortDiagnostics(source.diagnostics) };
  const schemaErrors = checkSchema(source);
  if (schemaErrors.length > 0)
    return { diagnostics: sortDiagnostics([...source.diagnostics, ...schemaErrors]) };
  const pack = source.data as PolicyPack;
  const bootstrap = new CompileContext(source, new Map());
  const params = resolveParams(pack, options.params ?? {}, bootstrap);
  const ctx = new CompileContext(source, params);
  ctx.diagnostics.push(...bootstrap.diagnostics);
  checkDuplicateIds(pack, ctx);
  const env: AssertionEnv = { ctx, inRelated: false };
  const rules = pack.rules.map((rule, i) => compileRule(rule, i, pack, env));
  if (options.schemaIndex) ctx.diagnostics.push(...typeCheckPack(pack, ctx, options.schemaIndex));
  const diagnostics = sortDiagnostics([...source.diagnostics, ...ctx.diagnostics]);
  if (hasErrors(diagnostics)) return { diagnostics };
  const compiled: CompiledPack = {
    name: pack.metadata.name,
    version: pack.metadata.version,
    ...(pack.metadata.description !== undefined ? { description: pack.metadata.description } : {}),
    ...(pack.metadata.homepage !== undefined ? { homepage: pack.metadata.homepage } : {}),
    file: source.file,
    rules,
  };
  return { pack: compiled, diagnostics };
}
