/**
 * Plan JSON (as `terraform show -json` / `tofu show -json` print it) -> the plan model.
 * Pure: the caller has already read and parsed the document.
 */
import { formatModuleAddress, type ParsedAddress, parseAddress, resourceConfigKey } from "./address.js";
import { type ConfigIndex, indexConfiguration, isObject } from "./config.js";
import { buildLinks } from "./graph.js";
import {
  type Action,
  type AttributeValues,
  type AttrPath,
  InputError,
  type JsonObject,
  type JsonValue,
  type Link,
  type PlanModel,
  type ResourceInstance,
  type ResourceMode,
} from "./types.js";
import { maskPaths } from "./values.js";
import { checkFormatVersion } from "./version.js";

const KNOWN_ACTIONS: ReadonlySet<string> = new Set([
  "no-op",
  "create",
  "read",
  "update",
  "delete",
  "forget",
  "open",
]);
const MODES: ReadonlySet<string> = new Set(["managed", "data", "ephemeral"]);

/** Where in the document: `file#/json/pointer`. */
function at(file: string, pointer: readonly (string | number)[]): string {
  const p = pointer.map((s) => `/${String(s).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
  return `${file}#${p}`;
}

function str(v: JsonValue | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** Reject documents that are not plans, with what they are instead. */
function checkIsPlan(doc: unknown, file: string): asserts doc is JsonObject {
  if (!isObject(doc)) {
    throw new InputError(
      `not a Terraform plan: expected a JSON object, got ${Array.isArray(doc) ? "an array" : typeof doc}`,
      file,
    );
  }
  const hasChanges = Object.hasOwn(doc, "resource_changes") || Object.hasOwn(doc, "planned_values");
  if (!hasChanges && Object.hasOwn(doc, "values")) {
    throw new InputError(
      "this is a state file, not a plan (it has `values` but no `resource_changes`); run `terraform show -json PLANFILE` on a saved plan",
      file,
    );
  }
  if (!hasChanges) {
    throw new InputError(
      "not a Terraform plan: no `resource_changes` or `planned_values` (expected the output of `terraform show -json PLANFILE`)",
      file,
    );
  }
  if (typeof doc.format_version !== "string") {
    throw new InputError("not a Terraform plan: `format_version` is missing or not a string", file);
  }
}

function values(
  value: JsonValue | undefined,
  unknown: JsonValue | undefined,
  sensitive: JsonValue | undefined,
) {
  const v: AttributeValues = {
    value: value ?? null,
    unknown: unknown ?? {},
    sensitive: sensitive ?? {},
  };
  return v;
}

function replacePaths(raw: JsonValue | undefined): AttrPath[] {
  if (!Array.isArray(raw)) return [];
  const out: AttrPath[] = [];
  for (const p of raw) {
    if (Array.isArray(p))
      out.push(p.filter((s): s is string | number => typeof s === "string" || typeof s === "number"));
  }
  return out;
}

function sortedUnion(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

interface Located {
  readonly parsed: ParsedAddress;
  readonly moduleAddress: string;
  readonly modulePath: string[];
  readonly configAddress: string;
}

function locate(address: string, file: string, pointer: (string | number)[]): Located {
  const parsed = parseAddress(address);
  if (!parsed) throw new InputError(`cannot parse resource address "${address}"`, at(file, pointer));
  const modulePath = parsed.modules.map((m) => m.name);
  const prefix = modulePath.map((n) => `module.${n}.`).join("");
  return {
    parsed,
    moduleAddress: formatModuleAddress(parsed.modules),
    modulePath,
    configAddress: prefix + resourceConfigKey(parsed.mode, parsed.type, parsed.name),
  };
}

function configFor(config: ConfigIndex, loc: Located) {
  const mod = config.modules.get(loc.modulePath.join("."));
  return mod?.resources.get(resourceConfigKey(loc.parsed.mode, loc.parsed.type, loc.parsed.name));
}

function fromResourceChange(
  raw: JsonValue,
  i: number,
  file: string,
  config: ConfigIndex,
  warn: (w: string) => void,
): ResourceInstance {
  const ptr: (string | number)[] = ["resource_changes", i];
  if (!isObject(raw)) throw new InputError("resource change is not an object", at(file, ptr));
  const address = str(raw.address);
  if (address === undefined) throw new InputError("resource change has no `address`", at(file, ptr));
  const change = raw.change;
  if (!isObject(change))
    throw new InputError(`resource change ${address} has no \`change\` object`, at(file, ptr));
  const actions = change.actions;
  if (!Array.isArray(actions) || actions.length === 0 || !actions.every((a) => typeof a === "string")) {
    throw new InputError(
      `resource change ${address}: \`actions\` must be a list of strings`,
      at(file, [...ptr, "change", "actions"]),
    );
  }
  for (const a of actions) if (!KNOWN_ACTIONS.has(a)) warn(`${address}: unknown action "${a}"`);
  const loc = locate(address, file, [...ptr, "address"]);
  const mode = str(raw.mode) ?? loc.parsed.mode;
  if (!MODES.has(mode))
    throw new InputError(`resource change ${address}: unknown mode "${mode}"`, at(file, [...ptr, "mode"]));
  const type = str(raw.type) ?? loc.parsed.type;
  const name = str(raw.name) ?? loc.parsed.name;
  const index = typeof raw.index === "string" || typeof raw.index === "number" ? raw.index : loc.parsed.key;
  const before = values(change.before, {}, change.before_sensitive);
  const after = values(change.after, change.after_unknown, change.after_sensitive);
  const cfg = configFor(config, loc);
  const deposed = str(raw.deposed);
  const reason = str(raw.action_reason);
  return {
    address,
    moduleAddress: str(raw.module_address) ?? loc.moduleAddress,
    modulePath: loc.modulePath,
    configAddress: loc.configAddress,
    mode: mode as ResourceMode,
    type,
    name,
    ...(index !== undefined ? { index } : {}),
    provider: str(raw.provider_name) ?? "",
    ...(deposed !== undefined ? { deposed } : {}),
    actions: actions as Action[],
    ...(reason !== undefined ? { actionReason: reason } : {}),
    before,
    after,
    unknownPaths: maskPaths(after.unknown),
    sensitivePaths: sortedUnion(maskPaths(before.sensitive), maskPaths(after.sensitive)),
    replacePaths: replacePaths(change.replace_paths),
    ...(cfg ? { config: cfg } : {}),
  };
}

/**
 * Data sources read during planning are absent from `resource_changes` in format 1.x: their
 * results sit in `prior_state`. They are added as no-op reads so rules and links can see them.
 */
function priorStateDataSources(
  doc: JsonObject,
  seen: ReadonlySet<string>,
  file: string,
  config: ConfigIndex,
) {
  const out: ResourceInstance[] = [];
  const prior = doc.prior_state;
  const root = isObject(prior) && isObject(prior.values) ? prior.values.root_module : undefined;
  const queue: JsonValue[] = root === undefined ? [] : [root];
  for (let q = 0; q < queue.length; q++) {
    const mod = queue[q];
    if (!isObject(mod)) continue;
    for (const r of Array.isArray(mod.resources) ? mod.resources : []) {
      if (!isObject(r) || r.mode !== "data") continue;
      const address = qualify(str(r.address), str(mod.address));
      if (address === undefined || seen.has(address)) continue;
      const loc = locate(address, file, ["prior_state", "values"]);
      const value = values(r.values, {}, r.sensitive_values);
      const cfg = configFor(config, loc);
      const index = typeof r.index === "string" || typeof r.index === "number" ? r.index : loc.parsed.key;
      out.push({
        address,
        moduleAddress: loc.moduleAddress,
        modulePath: loc.modulePath,
        configAddress: loc.configAddress,
        mode: "data",
        type: str(r.type) ?? loc.parsed.type,
        name: str(r.name) ?? loc.parsed.name,
        ...(index !== undefined ? { index } : {}),
        provider: str(r.provider_name) ?? "",
        actions: ["no-op"],
        before: value,
        after: value,
        unknownPaths: [],
        sensitivePaths: maskPaths(value.sensitive),
        replacePaths: [],
        ...(cfg ? { config: cfg } : {}),
      });
    }
    if (Array.isArray(mod.child_modules)) queue.push(...mod.child_modules);
  }
  return out;
}

/**
 * Terraform 0.12 (format 0.1) printed child-module resources in `prior_state` with addresses
 * relative to their module; later versions print them absolute. Qualify the relative ones.
 */
function qualify(address: string | undefined, moduleAddress: string | undefined): string | undefined {
  if (address === undefined || moduleAddress === undefined || moduleAddress === "") return address;
  return address.startsWith(`${moduleAddress}.`) ? address : `${moduleAddress}.${address}`;
}

function groupBy(links: readonly Link[], key: "from" | "to"): Map<string, Link[]> {
  const m = new Map<string, Link[]>();
  for (const l of links) {
    const list = m.get(l[key]);
    if (list) list.push(l);
    else m.set(l[key], [l]);
  }
  return m;
}

/** The part of a model built from its resources and configuration: indexes and reference graph. */
export type ModelIndexes = Pick<
  PlanModel,
  "resources" | "byAddress" | "byType" | "links" | "outgoing" | "incoming" | "moduleCalls"
>;

/**
 * Index resources by address and type and build their reference graph: shared by the plan reader
 * and the Terraform JSON reader, so both models are indexed the same way.
 */
export function indexModel(
  resources: readonly ResourceInstance[],
  config: ConfigIndex,
  /** Display name for errors (a graph too dense to judge). */
  file?: string,
): ModelIndexes {
  const byAddress = new Map<string, ResourceInstance>();
  const byType = new Map<string, ResourceInstance[]>();
  for (const r of resources) {
    // `address` + `deposed` is the unique key; the current object wins the address.
    if (r.deposed === undefined || !byAddress.has(r.address)) byAddress.set(r.address, r);
    const list = byType.get(r.type);
    if (list) list.push(r);
    else byType.set(r.type, [r]);
  }
  const links = buildLinks(resources, config, file);
  return {
    resources,
    byAddress,
    byType,
    links,
    outgoing: groupBy(links, "from"),
    incoming: groupBy(links, "to"),
    moduleCalls: config.moduleCalls,
  };
}

/** Build the plan model from a parsed plan document; throws `InputError` naming `file`. */
export function buildPlanModel(doc: unknown, file: string): PlanModel {
  checkIsPlan(doc, file);
  const warnings: string[] = [];
  const warned = new Set<string>();
  const warn = (w: string): void => {
    if (!warned.has(w)) {
      warned.add(w);
      warnings.push(w);
    }
  };
  const formatVersion = checkFormatVersion(doc.format_version as string, file, warn);
  const changes = doc.resource_changes ?? [];
  if (!Array.isArray(changes))
    throw new InputError("`resource_changes` must be a list", at(file, ["resource_changes"]));
  const config = indexConfiguration(doc.configuration);
  const resources = changes.map((raw, i) => fromResourceChange(raw, i, file, config, warn));
  const seen = new Set(resources.map((r) => r.address));
  resources.push(...priorStateDataSources(doc, seen, file, config));

  const indexes = indexModel(resources, config, file);
  const complete = typeof doc.complete === "boolean" ? doc.complete : null;
  const errored = doc.errored === true;
  const terraformVersion = str(doc.terraform_version);
  return {
    file,
    source: "plan",
    formatVersion,
    ...(terraformVersion !== undefined ? { terraformVersion } : {}),
    complete,
    errored,
    applyable: typeof doc.applyable === "boolean" ? doc.applyable : null,
    ...indexes,
    partial: complete === false || errored,
    warnings,
  };
}
