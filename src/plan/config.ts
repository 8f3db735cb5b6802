/**
 * The `configuration` section of a plan, indexed by module config path (`""`, `"s3"`, `"s3.inner"`):
 * resource blocks, module calls and outputs. Keys are stripped: configuration has one block per
 * config address, shared by every instance.
 */
import { resourceConfigKey } from "./address.js";
import type {
  ConfigExpression,
  ConfigResource,
  JsonObject,
  JsonValue,
  ModuleCallInfo,
  ResourceMode,
} from "./types.js";

export interface ConfigModuleCall {
  readonly name: string;
  readonly source?: string;
  readonly version?: string;
  /** Raw `expressions` of the call (one per input variable). */
  readonly expressions: JsonObject;
  readonly repeated: boolean;
  /** References of the call's `for_each` expression (to bind `each.value`). */
  readonly forEach?: readonly string[];
}

export interface ConfigModule {
  readonly path: readonly string[];
  readonly resources: ReadonlyMap<string, ConfigResource>;
  readonly calls: ReadonlyMap<string, ConfigModuleCall>;
  /** Output name -> its expression. */
  readonly outputs: ReadonlyMap<string, JsonValue>;
}

export interface ConfigIndex {
  /** By module config path joined with `.` (`""` for the root). */
  readonly modules: ReadonlyMap<string, ConfigModule>;
  readonly moduleCalls: readonly ModuleCallInfo[];
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: JsonValue | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function expr(v: JsonValue | undefined): ConfigExpression | undefined {
  if (!isObject(v)) return undefined;
  const refs = Array.isArray(v.references)
    ? v.references.filter((r): r is string => typeof r === "string")
    : undefined;
  return {
    ...(Object.hasOwn(v, "constant_value") ? { constant_value: v.constant_value as JsonValue } : {}),
    ...(refs ? { references: refs } : {}),
  };
}

const MODES: ReadonlySet<string> = new Set(["managed", "data", "ephemeral"]);

function configResource(raw: JsonObject): ConfigResource | undefined {
  const type = str(raw.type);
  const name = str(raw.name);
  const mode = str(raw.mode) ?? "managed";
  if (type === undefined || name === undefined || !MODES.has(mode)) return undefined;
  const count = expr(raw.count_expression);
  const forEach = expr(raw.for_each_expression);
  const provider = str(raw.provider_config_key);
  return {
    // The printed `address` of a child module's block is module-less already in 1.x, but 0.1 plans
    // were inconsistent; rebuild it from its parts.
    address: resourceConfigKey(mode, type, name),
    mode: mode as ResourceMode,
    type,
    name,
    ...(provider !== undefined ? { providerConfigKey: provider } : {}),
    expressions: isObject(raw.expressions) ? raw.expressions : {},
    ...(count ? { countExpression: count } : {}),
    ...(forEach ? { forEachExpression: forEach } : {}),
  };
}

/** Index `configuration.root_module` and every module it calls, recursively. */
export function indexConfiguration(configuration: JsonValue | undefined): ConfigIndex {
  const modules = new Map<string, ConfigModule>();
  const moduleCalls: ModuleCallInfo[] = [];
  const root =
    isObject(configuration) && isObject(configuration.root_module) ? configuration.root_module : undefined;
  // Iterative walk: deep module trees must not blow the stack.
  const queue: { path: string[]; mod: JsonObject }[] = root ? [{ path: [], mod: root }] : [];
  for (let q = 0; q < queue.length; q++) {
    const item = queue[q];
    if (!item) continue;
    const { path, mod } = item;
    const resources = new Map<string, ConfigResource>();
    for (const raw of Array.isArray(mod.resources) ? mod.resources : []) {
      const r = isObject(raw) ? configResource(raw) : undefined;
      if (r && !resources.has(r.address)) resources.set(r.address, r);
    }
    const calls = new Map<string, ConfigModuleCall>();
    const rawCalls = isObject(mod.module_calls) ? mod.module_calls : {};
    for (const name of Object.keys(rawCalls).sort()) {
      const call = rawCalls[name];
      if (!isObject(call)) continue;
      const repeated = isObject(call.count_expression) || isObject(call.for_each_expression);
      const source = str(call.source);
      const version = str(call.version_constraint) ?? str(call.version);
      const forEach = expr(call.for_each_expression)?.references;
      const info: ConfigModuleCall = {
        name,
        ...(forEach ? { forEach } : {}),
        expressions: isObject(call.expressions) ? call.expressions : {},
        repeated,
        ...(source !== undefined ? { source } : {}),
        ...(version !== undefined ? { version } : {}),
      };
      calls.set(name, info);
      const childPath = [...path, name];
      moduleCalls.push({
        path: childPath,
        repeated,
        ...(source !== undefined ? { source } : {}),
        ...(version !== undefined ? { version } : {}),
      });
      if (isObject(call.module)) queue.push({ path: childPath, mod: call.module });
    }
    const outputs = new Map<string, JsonValue>();
    const rawOutputs = isObject(mod.outputs) ? mod.outputs : {};
    for (const name of Object.keys(rawOutputs)) {
      const out = rawOutputs[name];
      if (isObject(out) && out.expression !== undefined) outputs.set(name, out.expression);
    }
    modules.set(path.join("."), { path, resources, calls, outputs });
  }
  moduleCalls.sort((a, b) => a.path.join(".").localeCompare(b.path.join(".")));
  return { modules, moduleCalls };
}
