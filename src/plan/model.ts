/**
 * Plan JSON (as `terraform show -json` / `tofu show -json` print it) -> the plan model.
 * Pure: the caller has already read and parsed the document.
 */
import {
  formatModuleAddress,
  type InstanceKey,
  isResourceAddress,
  type ParsedAddress,
  parseAddress,
  parseModuleAddress,
  resourceConfigKey,
} from "./address.js";
import { type ConfigIndex, indexConfiguration, isObject } from "./config.js";
import { buildLinkIndex } from "./graph.js";
import { MaskShapes } from "./mask-shapes.js";
import type { ModuleOf } from "./references.js";
import {
  type Action,
  type AttributeValues,
  type AttrPath,
  InputError,
  type JsonObject,
  type JsonValue,
  type PlanModel,
  type ResourceInstance,
  type ResourceMode,
} from "./types.js";
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

/** The mask of a side that has none: shared, frozen (a mutation would throw, not leak). */
const NO_MASK: JsonObject = Object.freeze({});
const NO_PATHS: readonly never[] = Object.freeze([]);
const NO_OP: readonly Action[] = Object.freeze(["no-op"]);

function hasKeys(o: JsonObject): boolean {
  for (const _ in o) return true;
  return false;
}

/** An empty mask marks nothing: every empty one (`after_sensitive: {}` on most resources) is NO_MASK. */
function mask(m: JsonValue | undefined): JsonValue {
  return m === undefined || (isObject(m) && !hasKeys(m)) ? NO_MASK : m;
}

/** The side of a change that has no value (a create's `before`), as most plans print it: one for all. */
const NOTHING: AttributeValues = Object.freeze({ value: null, unknown: NO_MASK, sensitive: false });

function values(
  value: JsonValue | undefined,
  unknown: JsonValue | undefined,
  sensitive: JsonValue | undefined,
): AttributeValues {
  if (value == null && unknown === undefined && sensitive === false) return NOTHING;
  return { value: value ?? null, unknown: mask(unknown), sensitive: mask(sensitive) };
}

function replacePaths(raw: JsonValue | undefined): readonly AttrPath[] {
  if (!Array.isArray(raw) || raw.length === 0) return NO_PATHS;
  const out: AttrPath[] = [];
  for (const p of raw) {
    if (Array.isArray(p))
      out.push(p.filter((s): s is string | number => typeof s === "string" || typeof s === "number"));
  }
  return out;
}

/** A module's config path (`["s3", "inner"]`): shared by every instance of the module. */
interface ModulePath {
  readonly path: readonly string[];
  /** `path` joined with `.`: the key of `ConfigIndex.modules`. */
  readonly key: string;
  /** `configAddress` by config key (`aws_s3_bucket.b` -> `module.s3.module.inner.aws_s3_bucket.b`). */
  readonly configAddresses: Map<string, string>;
}

/** A module instance (`module.s3["logs"]`): shared by every resource in it. */
interface ModuleInfo extends ModuleOf {
  readonly address: string;
  readonly path: ModulePath;
}

/**
 * Strings and lists that many resources of a plan hold alike (module addresses and paths, config
 * addresses, provider names, unknown paths), made once per plan. Each resource holding its own
 * copy made the model a third larger than the whole parsed plan.
 */
class Shared {
  private readonly modules = new Map<string, ModuleInfo>();
  /** The root module instance, once asked (`root`). */
  private rootModule: ModuleInfo | undefined;
  /** Module instances by the `module_address` a plan prints with their resources (null: not one). */
  private readonly byModuleText = new Map<string, ModuleInfo | null>();
  /** The last `moduleNamed` asked and its answer: a module instance's resources come one after another. */
  private lastModuleText: string | undefined;
  private lastModule: ModuleInfo | null = null;
  private readonly paths = new Map<string, ModulePath>();
  private readonly texts = new Map<string, string>();
  private readonly lists = new Map<string, readonly string[]>();
  /** Unknown and sensitive paths, one list per mask shape. */
  readonly masks = new MaskShapes((paths) => this.list(paths));

  module(steps: ParsedAddress["modules"]): ModuleInfo {
    const address = formatModuleAddress(steps);
    let info = this.modules.get(address);
    if (!info) {
      const names = steps.map((m) => m.name);
      const key = names.join(".");
      let path = this.paths.get(key);
      if (!path) {
        path = { path: names, key, configAddresses: new Map() };
        this.paths.set(key, path);
      }
      info = { steps, address, path };
      this.modules.set(address, info);
    }
    return info;
  }

  /** The root module instance. */
  root(): ModuleInfo {
    this.rootModule ??= this.module(NO_STEPS);
    return this.rootModule;
  }

  /** The module instance a plan prints as `text`, parsed once per text; undefined when it is not one. */
  moduleNamed(text: string): ModuleInfo | undefined {
    // Comparing with the last text costs less than hashing a new one (each resource's is a copy).
    if (text !== this.lastModuleText) {
      let info = this.byModuleText.get(text);
      if (info === undefined) {
        const steps = parseModuleAddress(text);
        info = steps ? this.module(steps) : null;
        this.byModuleText.set(text, info);
      }
      this.lastModuleText = text;
      this.lastModule = info;
    }
    return this.lastModule ?? undefined;
  }

  configAddress(mod: ModuleInfo, configKey: string): string {
    const { path, configAddresses } = mod.path;
    let address = configAddresses.get(configKey);
    if (address === undefined) {
      address = path.map((n) => `module.${n}.`).join("") + configKey;
      configAddresses.set(configKey, address);
    }
    return address;
  }

  /** `s`, or the equal string seen before (JSON.parse makes a copy of every long string value). */
  text(s: string): string {
    const seen = this.texts.get(s);
    if (seen !== undefined) return seen;
    this.texts.set(s, s);
    return s;
  }

  /** `list`, or an equal list seen before. */
  list<T extends string>(list: readonly T[]): readonly T[] {
    if (list.length === 0) return NO_PATHS;
    const key = list.join(SEP);
    const seen = this.lists.get(key) as readonly T[] | undefined;
    if (seen) return seen;
    this.lists.set(key, list);
    return list;
  }
}

/** Joins list members into a map key: a character no path or address holds. */
const SEP = "\u0000";

interface Located {
  /** The address parsed; its `modules` may be left out (see `module`). */
  readonly parsed: ParsedAddress;
  readonly module: ModuleInfo;
  readonly configKey: string;
  readonly configAddress: string;
}

const NO_STEPS: ParsedAddress["modules"] = Object.freeze([]);

/** The instance key a resource change prints as `index`. */
function printedIndex(raw: JsonObject): InstanceKey | undefined {
  return typeof raw.index === "string" || typeof raw.index === "number" ? raw.index : undefined;
}

/**
 * Parse the `address` of resource change `raw` (at position `change` of `resource_changes`) with
 * what the plan prints next to it: `module_address`, `mode`, `type`, `name`, `index`. Without
 * `raw`, the address is parsed alone (a data source of `prior_state`).
 *
 * Three paths, cheapest first. All give what parsing the whole address gives; the later ones are
 * there for plans the earlier ones cannot read.
 * - Printed parts: the module instance is the printed `module_address`, parsed once per module
 *   instance (`Shared.moduleNamed`: all its resources print the same text), or the root when none
 *   is printed; the rest of the address is only checked against the printed `mode`, `type`,
 *   `name` and `index` (`isResourceAddress`). Nearly every resource Terraform prints takes this
 *   path: a few comparisons, where parsing made tokens and strings for every resource.
 * - Module prefix, rest parsed: the address starts with the printed `module_address`, but the
 *   rest is not the printed parts as `isResourceAddress` expects them (a part not printed, or a
 *   key written another way). The module instance is still the one parsed once; only the rest of
 *   the address is parsed.
 * - Full parse, for everything else: no `raw`; no `module_address` printed (a root resource whose
 *   printed parts do not match, or a resource in a module printed without it); a `module_address`
 *   the address does not start with; or a rest that is not a resource address on its own. The
 *   address alone decides, and one that does not parse is an input error.
 */
function locate(
  address: string,
  raw: JsonObject | undefined,
  shared: Shared,
  file: string,
  change: number | undefined,
): Located {
  const moduleText = raw && str(raw.module_address);
  const type = raw && str(raw.type);
  const name = raw && str(raw.name);
  // The three paths of the doc comment: printed parts, module prefix plus the rest parsed, full parse.
  const start = moduleText ? moduleText.length + 1 : 0;
  const module = !moduleText
    ? shared.root()
    : address.charCodeAt(moduleText.length) === 0x2e && address.startsWith(moduleText)
      ? shared.moduleNamed(moduleText)
      : undefined;
  const mode = (raw && str(raw.mode)) ?? "managed";
  const key = raw && printedIndex(raw);
  if (
    module &&
    type !== undefined &&
    name !== undefined &&
    isResourceAddress(address, start, mode, type, name, key)
  ) {
    const m = mode as ResourceMode;
    const parsed =
      key === undefined
        ? { modules: NO_STEPS, mode: m, type, name }
        : { modules: NO_STEPS, mode: m, type, name, key };
    return located(parsed, module, shared);
  }
  if (module && moduleText) {
    const rest = parseAddress(address.slice(start));
    if (rest && rest.modules.length === 0) return located(rest, module, shared);
  }
  const parsed = parseAddress(address);
  if (!parsed) {
    const where = change === undefined ? ["prior_state", "values"] : changeAt(change, "address");
    throw new InputError(`cannot parse resource address "${address}"`, at(file, where));
  }
  return located(parsed, shared.module(parsed.modules), shared);
}

function located(parsed: ParsedAddress, module: ModuleInfo, shared: Shared): Located {
  const configKey = resourceConfigKey(parsed.mode, parsed.type, parsed.name);
  return { parsed, module, configKey, configAddress: shared.configAddress(module, configKey) };
}

function configFor(config: ConfigIndex, loc: Located) {
  return config.modules.get(loc.module.path.key)?.resources.get(loc.configKey);
}

/** Where resource change `i` (or a member of it) is in the document, for errors. */
function changeAt(i: number, ...more: string[]): (string | number)[] {
  return ["resource_changes", i, ...more];
}

function allStrings(list: readonly JsonValue[]): list is string[] {
  for (const v of list) if (typeof v !== "string") return false;
  return true;
}

/** Resources in plan order, each with its module instance (the graph needs it, parsed once). */
interface Entries {
  readonly resources: ResourceInstance[];
  readonly modules: ModuleOf[];
}

function fromResourceChange(
  raw: JsonValue,
  i: number,
  file: string,
  config: ConfigIndex,
  shared: Shared,
  warn: (w: string) => void,
  out: Entries,
): void {
  if (!isObject(raw)) throw new InputError("resource change is not an object", at(file, changeAt(i)));
  const address = str(raw.address);
  if (address === undefined) throw new InputError("resource change has no `address`", at(file, changeAt(i)));
  const change = raw.change;
  if (!isObject(change))
    throw new InputError(`resource change ${address} has no \`change\` object`, at(file, changeAt(i)));
  const actions = change.actions;
  if (!Array.isArray(actions) || actions.length === 0 || !allStrings(actions)) {
    throw new InputError(
      `resource change ${address}: \`actions\` must be a list of strings`,
      at(file, changeAt(i, "change", "actions")),
    );
  }
  for (const a of actions) if (!KNOWN_ACTIONS.has(a)) warn(`${address}: unknown action "${a}"`);
  const moduleAddress = str(raw.module_address);
  const loc = locate(address, raw, shared, file, i);
  const mode = str(raw.mode) ?? loc.parsed.mode;
  if (!MODES.has(mode))
    throw new InputError(`resource change ${address}: unknown mode "${mode}"`, at(file, changeAt(i, "mode")));
  const type = shared.text(str(raw.type) ?? loc.parsed.type);
  const name = shared.text(str(raw.name) ?? loc.parsed.name);
  const index = printedIndex(raw) ?? loc.parsed.key;
  const before = values(change.before, undefined, change.before_sensitive);
  const after = values(change.after, change.after_unknown, change.after_sensitive);
  const cfg = configFor(config, loc);
  const deposed = str(raw.deposed);
  const reason = str(raw.action_reason);
  out.modules.push(loc.module);
  // Built step by step, not as one literal with `...(x ? { x } : {})` spreads: those cost a
  // temporary object and a copy each, a third of this function's time on a 50,000-resource plan.
  // Optional fields are set only when present, in the order of `ResourceInstance`.
  const r: Writable<ResourceInstance> = {
    address,
    // The printed `module_address`. It is nearly always the module instance's own address, and then
    // that shared string is kept rather than each resource's copy. An odd plan may print something
    // else; that text is kept as printed. Not printed, it is the module instance's address.
    moduleAddress:
      moduleAddress === undefined || moduleAddress === loc.module.address
        ? loc.module.address
        : shared.text(moduleAddress),
    modulePath: loc.module.path.path,
    configAddress: loc.configAddress,
    mode: mode as ResourceMode,
    type,
    name,
  } as Writable<ResourceInstance>;
  if (index !== undefined) r.index = index;
  r.provider = shared.text(str(raw.provider_name) ?? "");
  if (deposed !== undefined) r.deposed = deposed;
  r.actions = shared.list(actions as Action[]);
  if (reason !== undefined) r.actionReason = reason;
  r.before = before;
  r.after = after;
  r.unknownPaths = shared.masks.paths(after.unknown);
  r.sensitivePaths = shared.masks.union(before.sensitive, after.sensitive);
  r.replacePaths = replacePaths(change.replace_paths);
  if (cfg) r.config = cfg;
  out.resources.push(r);
}

/** A record being built field by field (see `fromResourceChange`). */
type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Data sources read during planning are absent from `resource_changes` in format 1.x: their
 * results sit in `prior_state`. They are added as no-op reads so rules and links can see them.
 */
function priorStateDataSources(
  doc: JsonObject,
  file: string,
  config: ConfigIndex,
  shared: Shared,
  out: Entries,
): void {
  const prior = doc.prior_state;
  const root = isObject(prior) && isObject(prior.values) ? prior.values.root_module : undefined;
  const queue: JsonValue[] = root === undefined ? [] : [root];
  // The addresses of `resource_changes`, made only if there is a data source to look up.
  let seen: ReadonlySet<string> | undefined;
  const changes = out.resources.length;
  for (let q = 0; q < queue.length; q++) {
    const mod = queue[q];
    if (!isObject(mod)) continue;
    for (const r of Array.isArray(mod.resources) ? mod.resources : []) {
      if (!isObject(r) || r.mode !== "data") continue;
      const address = qualify(str(r.address), str(mod.address));
      if (address === undefined) continue;
      seen ??= new Set(out.resources.slice(0, changes).map((c) => c.address));
      if (seen.has(address)) continue;
      const loc = locate(address, undefined, shared, file, undefined);
      const value = values(r.values, undefined, r.sensitive_values);
      const cfg = configFor(config, loc);
      const index = typeof r.index === "string" || typeof r.index === "number" ? r.index : loc.parsed.key;
      out.modules.push(loc.module);
      out.resources.push({
        address,
        moduleAddress: loc.module.address,
        modulePath: loc.module.path.path,
        configAddress: loc.configAddress,
        mode: "data",
        type: shared.text(str(r.type) ?? loc.parsed.type),
        name: shared.text(str(r.name) ?? loc.parsed.name),
        ...(index !== undefined ? { index } : {}),
        provider: shared.text(str(r.provider_name) ?? ""),
        actions: NO_OP,
        before: value,
        after: value,
        unknownPaths: NO_PATHS,
        sensitivePaths: shared.masks.paths(value.sensitive),
        replacePaths: NO_PATHS,
        ...(cfg ? { config: cfg } : {}),
      });
    }
    if (Array.isArray(mod.child_modules)) for (const child of mod.child_modules) queue.push(child);
  }
}

/**
 * Terraform 0.12 (format 0.1) printed child-module resources in `prior_state` with addresses
 * relative to their module; later versions print them absolute. Qualify the relative ones.
 */
function qualify(address: string | undefined, moduleAddress: string | undefined): string | undefined {
  if (address === undefined || moduleAddress === undefined || moduleAddress === "") return address;
  return address.startsWith(`${moduleAddress}.`) ? address : `${moduleAddress}.${address}`;
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
  /** Each resource's module instance, when the caller parsed the addresses already. */
  modules?: readonly ModuleOf[],
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
  const { links, outgoing, incoming } = buildLinkIndex(resources, config, file, modules, byAddress);
  return {
    resources,
    byAddress,
    byType,
    links,
    outgoing,
    incoming,
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
  const shared = new Shared();
  const entries: Entries = { resources: [], modules: [] };
  changes.forEach((raw, i) => {
    fromResourceChange(raw, i, file, config, shared, warn, entries);
  });
  priorStateDataSources(doc, file, config, shared, entries);

  const indexes = indexModel(entries.resources, config, file, entries.modules);
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
