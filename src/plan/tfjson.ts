/**
 * Terraform JSON configuration (`*.tf.json`, cdktf synth output) -> the plan model, before any plan
 * exists. Pure: the documents are already read and parsed (`tfjson-read.ts` is the I/O edge).
 *
 * Each resource block becomes one record with `actions: ["create"]`; literal attributes are known
 * values, interpolated strings are unknown values whose references go into a `configuration`
 * section written exactly as `terraform show -json` prints one, so the plan reader's config index
 * and graph builder link resources without knowing where the model came from.
 */
import { posix } from "node:path";
import { resourceConfigKey } from "./address.js";
import { type ConfigIndex, indexConfiguration, isObject } from "./config.js";
import { indexModel } from "./model.js";
import { parseTemplate } from "./tfjson-expr.js";
import {
  type Action,
  InputError,
  type JsonObject,
  type JsonValue,
  type PlanModel,
  type ResourceInstance,
  type ResourceMode,
  type ValueMask,
} from "./types.js";
import { maskPaths } from "./values.js";

/** One parsed `.tf.json` document. */
export interface TerraformJsonDocument {
  /** Display path, used in errors and as the model's `file` when it is the only one. */
  readonly file: string;
  readonly doc: unknown;
  /**
   * Directory of the module the document belongs to, relative to the root module, with `/`:
   * `"."` (default) for the root, `"modules/s3"` for a local module. Local module sources resolve
   * against it.
   */
  readonly dir?: string;
}

/** What the builder needs of a provider schema block (structurally the shape of `schemas/providers`). */
export interface SchemaBlock {
  readonly attributes?: { readonly [name: string]: SchemaAttribute };
  readonly block_types?: {
    readonly [name: string]: { readonly nesting_mode: string; readonly block: SchemaBlock };
  };
}
export interface SchemaAttribute {
  readonly type?: unknown;
  readonly nested_type?: unknown;
  readonly computed?: boolean;
  readonly optional?: boolean;
  readonly sensitive?: boolean;
}

export interface TerraformJsonOptions {
  /** Display name of the model (default: the first document's file). */
  readonly file?: string;
  /**
   * Provider schema of a resource type, when known: it tells nested blocks from map attributes,
   * marks unset computed attributes unknown and sensitive ones sensitive. Without it, objects are
   * nested blocks unless the key is a well-known map attribute (`tags`, ...).
   */
  readonly schemaFor?: (mode: "managed" | "data", type: string) => SchemaBlock | undefined;
}

/** Top-level keys of a Terraform JSON configuration. */
const CONFIG_KEYS = ["resource", "data", "module", "terraform", "provider", "variable", "output", "locals"];
/** Keys only plan / state JSON has. */
const PLAN_KEYS = ["format_version", "resource_changes", "planned_values", "prior_state", "values"];

/** True when `doc` has the shape of a Terraform JSON configuration rather than a plan or state. */
export function isTerraformJsonConfig(doc: unknown): boolean {
  if (!isObject(doc)) return false;
  if (PLAN_KEYS.some((k) => Object.hasOwn(doc, k))) return false;
  return CONFIG_KEYS.some((k) => Object.hasOwn(doc, k));
}

/** Meta-arguments: not attributes of the resource. `//` is a JSON-syntax comment (cdktf metadata). */
const RESOURCE_META: ReadonlySet<string> = new Set([
  "count",
  "for_each",
  "provider",
  "depends_on",
  "lifecycle",
  "provisioner",
  "connection",
  "//",
]);
const MODULE_META: ReadonlySet<string> = new Set([
  "source",
  "version",
  "count",
  "for_each",
  "providers",
  "depends_on",
  "//",
]);

/**
 * Map-typed arguments that are easily mistaken for nested blocks when no schema is at hand: in JSON
 * both are objects. The list is the common AWS/Azure/GCP ones; a schema, when given, wins.
 */
const MAP_ATTRIBUTES: ReadonlySet<string> = new Set([
  "tags",
  "tags_all",
  "labels",
  "variables",
  "parameters",
  "triggers",
  "triggers_replace",
  "metadata",
  "annotations",
  "environment_variables",
  "default_tags",
  "attributes",
  "context",
  "options",
]);

// ---------------------------------------------------------------------------------------------
// Values: literal -> known, interpolated -> unknown with references

interface Converted {
  readonly value: JsonValue;
  /** `true` where unknown; `false` (or a structure of `false`) where known. */
  readonly unknown: ValueMask;
  readonly references: readonly string[];
}

function hasTrue(m: ValueMask): boolean {
  if (m === true) return true;
  if (Array.isArray(m)) return m.some(hasTrue);
  if (isObject(m)) return Object.values(m).some(hasTrue);
  return false;
}

/** An attribute value (not a block): strings are templates, collections are walked. */
function convertValue(v: JsonValue): Converted {
  if (typeof v === "string") {
    const t = parseTemplate(v);
    return t.kind === "literal"
      ? { value: t.value, unknown: false, references: [] }
      : { value: null, unknown: true, references: t.references };
  }
  if (Array.isArray(v)) {
    const parts = v.map(convertValue);
    return {
      value: parts.map((p) => p.value),
      unknown: parts.some((p) => hasTrue(p.unknown)) ? parts.map((p) => p.unknown) : false,
      references: parts.flatMap((p) => p.references),
    };
  }
  if (isObject(v)) {
    const value: JsonObject = {};
    const unknown: JsonObject = {};
    const references: string[] = [];
    for (const k of Object.keys(v)) {
      // An interpolated key (`"${var.k}" = ...`) has no name yet: the whole map is unknown.
      const key = parseTemplate(k);
      if (key.kind === "interpolated") return { value: null, unknown: true, references: mapReferences(v) };
      const c = convertValue(v[k] as JsonValue);
      define(value, key.value, c.value);
      if (hasTrue(c.unknown)) define(unknown, key.value, c.unknown);
      references.push(...c.references);
    }
    return { value, unknown: Object.keys(unknown).length > 0 ? unknown : false, references };
  }
  return { value: v, unknown: false, references: [] };
}

/** Every reference in a map's keys and values. */
function mapReferences(v: JsonObject): string[] {
  const out: string[] = [];
  for (const k of Object.keys(v)) {
    const key = parseTemplate(k);
    if (key.kind === "interpolated") out.push(...key.references);
    out.push(...convertValue(v[k] as JsonValue).references);
  }
  return out;
}

/** Own-property assignment that is safe for keys like `__proto__`. */
function define(o: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The `expressions` entry of one attribute, as plan JSON prints it. */
function attributeExpression(c: Converted): JsonObject {
  if (!hasTrue(c.unknown)) return { constant_value: c.value };
  const refs = [...new Set(c.references.map(unkeyed))];
  // Plan JSON omits `references` for expressions without any (a function of nothing, `${1+1}`).
  return refs.length > 0 ? { references: refs } : {};
}

const INSTANCE_KEY =
  /^((?:data\.[A-Za-z_][\w-]*|module|[A-Za-z_][\w-]*_[\w-]*)\.[A-Za-z_][\w-]*)\[(?:[0-9]+|"(?:[^"\\]|\\.)*")\]/;

/**
 * A block with `count` / `for_each` is one record without an instance key before a plan, so a
 * reference to one instance (`aws_s3_bucket.b[0].id`) refers to that record: drop the key.
 */
function unkeyed(ref: string): string {
  return ref.replace(INSTANCE_KEY, "$1");
}

interface Body {
  readonly value: JsonObject;
  readonly unknown: JsonObject;
  readonly sensitive: JsonObject;
  /** Plan JSON `expressions`: attribute -> expression; nested block -> list of expression maps. */
  readonly expressions: JsonObject;
}

/** A block body: attributes and nested blocks, told apart by the schema or by shape. */
function convertBody(
  raw: JsonObject,
  schema: SchemaBlock | undefined,
  skip: ReadonlySet<string>,
  markComputed: boolean,
): Body {
  const value: JsonObject = {};
  const unknown: JsonObject = {};
  const sensitive: JsonObject = {};
  const expressions: JsonObject = {};
  for (const key of Object.keys(raw)) {
    if (skip.has(key)) continue;
    const v = raw[key] as JsonValue;
    if (key === "dynamic" && isObject(v)) {
      convertDynamic(v, value, unknown, expressions);
      continue;
    }
    const blockType = schema?.block_types?.[key];
    const attr = schema?.attributes?.[key];
    const isBlock =
      blockType !== undefined ||
      (attr === undefined &&
        !MAP_ATTRIBUTES.has(key) &&
        (isObject(v) || (Array.isArray(v) && v.length > 0 && v.every(isObject))));
    if (isBlock && (isObject(v) || Array.isArray(v))) {
      const items = (Array.isArray(v) ? v : [v]).filter(isObject);
      const bodies = items.map((item) => convertBody(item, blockType?.block, BLOCK_META, markComputed));
      const single = blockType?.nesting_mode === "single" || blockType?.nesting_mode === "group";
      if (single && bodies.length === 1) {
        const b = bodies[0] as Body;
        define(value, key, b.value);
        if (Object.keys(b.unknown).length > 0) define(unknown, key, b.unknown);
        if (Object.keys(b.sensitive).length > 0) define(sensitive, key, b.sensitive);
      } else {
        define(
          value,
          key,
          bodies.map((b) => b.value),
        );
        if (bodies.some((b) => Object.keys(b.unknown).length > 0)) {
          define(
            unknown,
            key,
            bodies.map((b) => b.unknown),
          );
        }
        if (bodies.some((b) => Object.keys(b.sensitive).length > 0)) {
          define(
            sensitive,
            key,
            bodies.map((b) => b.sensitive),
          );
        }
      }
      define(
        expressions,
        key,
        bodies.map((b) => b.expressions),
      );
      continue;
    }
    const c = convertValue(v);
    define(value, key, c.value);
    if (hasTrue(c.unknown)) define(unknown, key, c.unknown);
    if (attr?.sensitive) define(sensitive, key, true);
    define(expressions, key, attributeExpression(c));
  }
  if (markComputed && schema?.attributes) {
    // Set nowhere in configuration and computed by the provider: unknown until apply, as in a plan.
    for (const [name, a] of Object.entries(schema.attributes)) {
      if (a.computed && !Object.hasOwn(value, name)) {
        define(value, name, null);
        define(unknown, name, true);
      }
    }
  }
  return { value, unknown, sensitive, expressions };
}

const BLOCK_META: ReadonlySet<string> = new Set(["//"]);

/** `dynamic "x" { for_each, content }`: the generated blocks exist only after evaluation. */
function convertDynamic(
  raw: JsonObject,
  value: JsonObject,
  unknown: JsonObject,
  expressions: JsonObject,
): void {
  for (const name of Object.keys(raw)) {
    if (name === "//") continue;
    const spec = raw[name] as JsonValue;
    const refs = convertValue(spec)
      .references.filter((r) => !/^[A-Za-z_][\w-]*\.(key|value)\b/.test(r))
      .map(unkeyed);
    define(value, name, null);
    define(unknown, name, true);
    define(expressions, name, refs.length > 0 ? { references: [...new Set(refs)] } : {});
  }
}

// ---------------------------------------------------------------------------------------------
// Documents -> modules

/** Labeled blocks may be objects or, in JSON syntax, lists of objects (repeated keys). */
function objects(v: JsonValue | undefined): JsonObject[] {
  if (isObject(v)) return [v];
  if (Array.isArray(v)) return v.filter(isObject);
  return [];
}

/** `{ label: body }` (or a list of such objects) -> entries, `//` comments dropped. */
function labeled(v: JsonValue | undefined): [string, JsonValue][] {
  const out: [string, JsonValue][] = [];
  for (const o of objects(v))
    for (const k of Object.keys(o)) if (k !== "//") out.push([k, o[k] as JsonValue]);
  return out;
}

interface RawResource {
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly body: JsonObject;
  readonly file: string;
}

interface RawModule {
  readonly dir: string;
  readonly resources: Map<string, RawResource>;
  readonly calls: Map<string, { readonly body: JsonObject; readonly file: string }>;
  readonly outputs: Map<string, JsonValue>;
  readonly providers: Map<string, string>;
}

/** `aws_s3_bucket_override.tf.json` / `override.tf.json`: merged into the blocks they name. */
function isOverride(file: string): boolean {
  const base = posix.basename(file.replace(/\\/g, "/"));
  return base === "override.tf.json" || base.endsWith("_override.tf.json");
}

function normalizeDir(dir: string | undefined): string {
  if (dir === undefined || dir === "") return ".";
  return posix.normalize(dir.replace(/\\/g, "/")).replace(/\/$/, "") || ".";
}

/** `hashicorp/aws` -> `registry.terraform.io/hashicorp/aws`; a bare `aws` -> the hashicorp namespace. */
function providerAddress(source: string): string {
  const parts = source.split("/");
  if (parts.length >= 3) return source;
  if (parts.length === 2) return `registry.terraform.io/${source}`;
  return `registry.terraform.io/hashicorp/${source}`;
}

function mergeBody(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(base)) define(out, k, base[k] as JsonValue);
  for (const k of Object.keys(over)) define(out, k, over[k] as JsonValue);
  return out;
}

function gatherModule(dir: string, docs: readonly TerraformJsonDocument[]): RawModule {
  const mod: RawModule = {
    dir,
    resources: new Map(),
    calls: new Map(),
    outputs: new Map(),
    providers: new Map(),
  };
  // Overrides apply after every primary file, as Terraform does.
  const ordered = [...docs.filter((d) => !isOverride(d.file)), ...docs.filter((d) => isOverride(d.file))];
  for (const { file, doc } of ordered) {
    if (!isObject(doc)) throw new InputError("a Terraform JSON configuration must be a JSON object", file);
    const override = isOverride(file);
    for (const [mode, key] of [
      ["managed", "resource"],
      ["data", "data"],
    ] as const) {
      for (const [type, byName] of labeled(doc[key])) {
        for (const [name, rawBody] of labeled(byName)) {
          const body = objects(rawBody)[0];
          if (!body) throw new InputError(`${key} "${type}" "${name}" must be an object`, file);
          const addr = resourceConfigKey(mode, type, name);
          const existing = mod.resources.get(addr);
          if (existing && !override) {
            throw new InputError(`duplicate ${key} "${type}" "${name}" (also in ${existing.file})`, file);
          }
          if (!existing && override) continue; // Terraform errors here; nothing to check either way.
          mod.resources.set(addr, {
            mode,
            type,
            name,
            body: existing ? mergeBody(existing.body, body) : body,
            file: existing?.file ?? file,
          });
        }
      }
    }
    for (const [name, rawBody] of labeled(doc.module)) {
      const body = objects(rawBody)[0];
      if (!body) throw new InputError(`module "${name}" must be an object`, file);
      const existing = mod.calls.get(name);
      if (existing && !override)
        throw new InputError(`duplicate module "${name}" (also in ${existing.file})`, file);
      mod.calls.set(name, {
        body: existing ? mergeBody(existing.body, body) : body,
        file: existing?.file ?? file,
      });
    }
    for (const [name, rawBody] of labeled(doc.output)) {
      const body = objects(rawBody)[0];
      if (body && Object.hasOwn(body, "value")) mod.outputs.set(name, body.value as JsonValue);
    }
    for (const t of objects(doc.terraform)) {
      for (const rp of objects(t.required_providers)) {
        for (const [local, spec] of Object.entries(rp)) {
          if (local === "//") continue;
          const source = isObject(spec) && typeof spec.source === "string" ? spec.source : undefined;
          if (source) mod.providers.set(local, providerAddress(source));
        }
      }
    }
  }
  return mod;
}

function isLocalSource(source: string): boolean {
  return source.startsWith("./") || source.startsWith("../") || source === "." || source === "..";
}

// ---------------------------------------------------------------------------------------------
// The model

interface BuildState {
  readonly resources: ResourceInstance[];
  readonly warnings: string[];
  readonly opts: TerraformJsonOptions;
  readonly byDir: ReadonlyMap<string, readonly TerraformJsonDocument[]>;
  readonly modules: Map<string, RawModule>;
}

function moduleFor(state: BuildState, dir: string): RawModule | undefined {
  const cached = state.modules.get(dir);
  if (cached) return cached;
  const docs = state.byDir.get(dir);
  if (!docs) return undefined;
  const mod = gatherModule(dir, docs);
  state.modules.set(dir, mod);
  return mod;
}

function countOrForEach(body: JsonObject, key: "count" | "for_each"): JsonObject | undefined {
  if (!Object.hasOwn(body, key)) return undefined;
  const c = convertValue(body[key] as JsonValue);
  return attributeExpression(c);
}

/**
 * `for_each = aws_s3_bucket.team` then `bucket = each.value.id`: before a plan there is no instance
 * key to bind `each.value` through, so its references are those of the `for_each` expression
 * (with the attribute read from each element) — the record stands for every instance anyway.
 */
function withEachValue(expressions: JsonObject, forEach: JsonObject): JsonObject {
  const targets = Array.isArray(forEach.references)
    ? forEach.references.filter((r): r is string => typeof r === "string" && !r.startsWith("each."))
    : [];
  if (targets.length === 0) return expressions;
  const bind = (e: JsonValue): JsonValue => {
    if (Array.isArray(e)) return e.map(bind);
    if (!isObject(e)) return e;
    const refs = e.references;
    if (Array.isArray(refs)) {
      const attrs = refs.flatMap((r) => {
        const m = typeof r === "string" ? /^each\.value(?:\.([A-Za-z_][\w-]*))?/.exec(r) : null;
        return m ? [m[1]] : [];
      });
      if (attrs.length === 0) return e;
      const added = attrs.flatMap((a) => targets.map((t) => (a ? `${t}.${a}` : t)));
      return { ...e, references: [...new Set([...refs, ...added, ...targets])] };
    }
    const out: JsonObject = {};
    for (const k of Object.keys(e)) define(out, k, bind(e[k] as JsonValue));
    return out;
  };
  return bind(expressions) as JsonObject;
}

const MAX_MODULE_DEPTH = 32;

/**
 * Walk one module: emit its resource records and return its plan-JSON `module` object
 * (`resources`, `module_calls`, `outputs`) for the config index.
 */
function walkModule(
  state: BuildState,
  mod: RawModule,
  path: readonly string[],
  repeatedAncestor: boolean,
  active: ReadonlySet<string>,
): JsonObject {
  const prefix = path.map((p) => `module.${p}.`).join("");
  const configResources: JsonValue[] = [];
  for (const r of mod.resources.values()) {
    const schema = state.opts.schemaFor?.(r.mode, r.type);
    const body = convertBody(r.body, schema, RESOURCE_META, r.mode === "managed" || schema !== undefined);
    const count = countOrForEach(r.body, "count");
    const forEach = countOrForEach(r.body, "for_each");
    const providerKey = typeof r.body.provider === "string" ? r.body.provider : undefined;
    const localProvider = (providerKey ?? r.type).split(/[._]/)[0] as string;
    const provider =
      mod.providers.get(localProvider) ??
      state.modules.get(".")?.providers.get(localProvider) ??
      providerAddress(localProvider);
    const address = resourceConfigKey(r.mode, r.type, r.name);
    const configEntry: JsonObject = {
      address,
      mode: r.mode,
      type: r.type,
      name: r.name,
      provider_config_key:
        path.length > 0 ? `${path.join(".")}:${localProvider}` : (providerKey ?? localProvider),
      expressions: forEach ? withEachValue(body.expressions, forEach) : body.expressions,
      ...(count ? { count_expression: count } : {}),
      ...(forEach ? { for_each_expression: forEach } : {}),
    };
    configResources.push(configEntry);
    const interpolated = Object.keys(body.unknown).length > 0;
    // A data source whose arguments are all literals is read during plan (a no-op in the plan);
    // one that depends on unknown values is read during apply.
    const actions: Action[] = r.mode === "managed" ? ["create"] : interpolated ? ["read"] : ["no-op"];
    const repeated = repeatedAncestor || count !== undefined || forEach !== undefined;
    state.resources.push({
      address: prefix + address,
      moduleAddress: path.map((p) => `module.${p}`).join("."),
      modulePath: path,
      configAddress: prefix + address,
      mode: r.mode as ResourceMode,
      type: r.type,
      name: r.name,
      provider,
      actions,
      before: { value: null, unknown: {}, sensitive: {} },
      after: { value: body.value, unknown: body.unknown, sensitive: body.sensitive },
      unknownPaths: maskPaths(body.unknown),
      sensitivePaths: maskPaths(body.sensitive),
      replacePaths: [],
      ...(repeated ? { repeated: true } : {}),
    });
  }
  const calls: JsonObject = {};
  for (const [name, call] of mod.calls) {
    const source = typeof call.body.source === "string" ? call.body.source : undefined;
    const version = typeof call.body.version === "string" ? call.body.version : undefined;
    const expressions: JsonObject = {};
    for (const key of Object.keys(call.body)) {
      if (MODULE_META.has(key)) continue;
      const v = call.body[key] as JsonValue;
      define(expressions, key, attributeExpression(convertValue(v)));
    }
    const count = countOrForEach(call.body, "count");
    const forEach = countOrForEach(call.body, "for_each");
    const entry: JsonObject = {
      ...(source !== undefined ? { source } : {}),
      ...(version !== undefined ? { version_constraint: version } : {}),
      expressions,
      ...(count ? { count_expression: count } : {}),
      ...(forEach ? { for_each_expression: forEach } : {}),
    };
    const childPath = [...path, name];
    if (source !== undefined && isLocalSource(source)) {
      const childDir = normalizeDir(posix.join(mod.dir, source));
      const child = moduleFor(state, childDir);
      if (!child) {
        state.warnings.push(
          `module.${childPath.join(".module.")}: local source "${source}" has no .tf.json files here; its resources are not checked`,
        );
      } else if (active.has(childDir) || childPath.length > MAX_MODULE_DEPTH) {
        state.warnings.push(
          `module.${childPath.join(".module.")}: module calls itself (${source}); not followed`,
        );
      } else {
        entry.module = walkModule(
          state,
          child,
          childPath,
          repeatedAncestor || count !== undefined || forEach !== undefined,
          new Set([...active, childDir]),
        );
      }
    } else if (source !== undefined) {
      state.warnings.push(
        `module.${childPath.join(".module.")}: source "${source}" is not local; its resources are not checked before a plan`,
      );
    }
    define(calls, name, entry);
  }
  const outputs: JsonObject = {};
  for (const [name, v] of mod.outputs)
    define(outputs, name, { expression: attributeExpression(convertValue(v)) });
  return { resources: configResources, module_calls: calls, outputs };
}

/** Attach each record's config block from the index, exactly as the plan reader does. */
function withConfig(resources: readonly ResourceInstance[], config: ConfigIndex): ResourceInstance[] {
  return resources.map((r) => {
    const block = config.modules
      .get(r.modulePath.join("."))
      ?.resources.get(resourceConfigKey(r.mode, r.type, r.name));
    return block ? { ...r, config: block } : r;
  });
}

/**
 * Build the plan model of a Terraform JSON configuration. `docs` are the root module's documents
 * (`dir` absent or `"."`) and those of local modules (`dir` relative to the root); modules that are
 * never called are ignored. Throws `InputError` for documents that are not configurations.
 */
export function buildModelFromTerraformJson(
  docs: readonly TerraformJsonDocument[],
  opts: TerraformJsonOptions = {},
): PlanModel {
  if (docs.length === 0) throw new InputError("no Terraform JSON documents to read", opts.file);
  const byDir = new Map<string, TerraformJsonDocument[]>();
  for (const d of docs) {
    if (!isObject(d.doc))
      throw new InputError("a Terraform JSON configuration must be a JSON object", d.file);
    if (!isTerraformJsonConfig(d.doc) && Object.keys(d.doc).some((k) => PLAN_KEYS.includes(k))) {
      throw new InputError("this is plan or state JSON, not a Terraform JSON configuration", d.file);
    }
    const dir = normalizeDir(d.dir);
    const list = byDir.get(dir);
    if (list) list.push(d);
    else byDir.set(dir, [d]);
  }
  const state: BuildState = { resources: [], warnings: [], opts, byDir, modules: new Map() };
  const root = moduleFor(state, ".");
  if (!root) throw new InputError("no documents for the root module", opts.file ?? docs[0]?.file);
  const rootModule = walkModule(state, root, [], false, new Set(["."]));
  const config = indexConfiguration({ root_module: rootModule });
  const resources = withConfig(state.resources, config);
  return {
    file: opts.file ?? (docs[0] as TerraformJsonDocument).file,
    source: "configuration",
    formatVersion: "config",
    complete: null,
    errored: false,
    applyable: null,
    ...indexModel(resources, config),
    // Values computed by the provider or by expressions are not known before a plan.
    partial: false,
    warnings: state.warnings,
  };
}
