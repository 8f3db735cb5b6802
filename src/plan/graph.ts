/**
 * The resource graph: which instance refers to which, and through which attribute (`via`).
 *
 * Links come from `configuration` references (module-aware: `var.X` is followed into the module
 * call in the parent, `module.M.OUT` into the child's output), bound to instances by explicit keys,
 * `count.index` / `each.key` (same key), or else to every instance in the same module instance.
 * Then transitive links (through a companion's `id`, e.g. a bucket policy's) and links by known
 * value (a literal bucket name). Linear in the size of the plan: everything is looked up in maps.
 */
import {
  formatModuleAddress,
  type InstanceKey,
  type ModuleStep,
  parseAddress,
  parseReference,
  resourceConfigKey,
} from "./address.js";
import { type ConfigIndex, isObject } from "./config.js";
import { InputError, type JsonValue, type Link, type ResourceInstance } from "./types.js";
import { lookup } from "./values.js";

/** A module instance: its steps, address (`module.a["k"]`) and config path (`a`). */
interface ModuleCtx {
  readonly steps: readonly ModuleStep[];
  readonly address: string;
  readonly path: string;
}

/** A resolved reference: the instance referred to and the attribute of it that was named. */
interface Target {
  readonly instance: ResourceInstance;
  readonly attribute?: string;
}

const MAX_DEPTH = 64;
const SEP = "\u0000";

function ctxOf(steps: readonly ModuleStep[]): ModuleCtx {
  return { steps, address: formatModuleAddress(steps), path: steps.map((s) => s.name).join(".") };
}

/** Every `references` list under an expression (nested blocks are objects or arrays of them). */
function referenceLists(expr: JsonValue | undefined, out: string[][] = []): string[][] {
  if (Array.isArray(expr)) {
    for (const e of expr) referenceLists(e, out);
  } else if (isObject(expr)) {
    const refs = expr.references;
    if (Array.isArray(refs) && refs.every((r) => typeof r === "string")) out.push(refs as string[]);
    for (const [k, v] of Object.entries(expr))
      if (k !== "references" && typeof v === "object") referenceLists(v, out);
  }
  return out;
}

function keyId(key: InstanceKey | undefined): string {
  return key === undefined ? "" : typeof key === "number" ? `#${key}` : `$${key}`;
}

/** Members of one group (instances of a block, or of a module call), also by instance key. */
class Keyed<T> {
  readonly all: T[] = [];
  private readonly byKey = new Map<string, T[]>();
  add(t: T, key: InstanceKey | undefined): void {
    this.all.push(t);
    const id = keyId(key);
    const list = this.byKey.get(id);
    if (list) list.push(t);
    else this.byKey.set(id, [t]);
  }
  /** Explicit keys win; else the member with the referrer's own key (count.index / each.key); else all. */
  bind(keys: readonly InstanceKey[], sameKey: InstanceKey | undefined): readonly T[] {
    if (keys.length > 0) {
      const ids = [...new Set(keys.map(keyId))];
      return ids.flatMap((id) => this.byKey.get(id) ?? []);
    }
    if (sameKey !== undefined) {
      const same = this.byKey.get(keyId(sameKey));
      if (same) return same;
    }
    return this.all;
  }
}

function addTo<T>(map: Map<string, Keyed<T>>, group: string, t: T, key: InstanceKey | undefined): void {
  let g = map.get(group);
  if (!g) {
    g = new Keyed<T>();
    map.set(group, g);
  }
  g.add(t, key);
}

class Resolver {
  /** module instance address + config key -> instances (plan order). */
  private readonly instances = new Map<string, Keyed<ResourceInstance>>();
  /** parent module instance address + call name -> child module instances. */
  private readonly children = new Map<string, Keyed<ModuleCtx>>();
  private readonly memo = new Map<string, Target[]>();

  constructor(
    resources: readonly ResourceInstance[],
    private readonly config: ConfigIndex,
  ) {
    const seenModules = new Set<string>();
    for (const r of resources) {
      if (r.deposed !== undefined) continue;
      const parsed = parseAddress(r.address);
      if (!parsed) continue;
      const key = `${formatModuleAddress(parsed.modules)}${SEP}${resourceConfigKey(r.mode, r.type, r.name)}`;
      addTo(this.instances, key, r, r.index);
      for (let i = 1; i <= parsed.modules.length; i++) {
        const child = ctxOf(parsed.modules.slice(0, i));
        if (seenModules.has(child.address)) continue;
        seenModules.add(child.address);
        const parent = formatModuleAddress(parsed.modules.slice(0, i - 1));
        const step = parsed.modules[i - 1];
        addTo(this.children, `${parent}${SEP}${step?.name ?? ""}`, child, step?.key);
      }
    }
  }

  /** Resolve one `references` list in module instance `ctx`; `selfKey` binds count.index / each.key. */
  resolveList(
    refs: readonly string[],
    ctx: ModuleCtx,
    selfKey: InstanceKey | undefined,
    depth: number,
  ): Target[] {
    if (depth > MAX_DEPTH) return [];
    const bindSame = refs.some((r) => r === "count.index" || r === "each.key" || r === "each.value");
    const resources = new Map<string, { keys: InstanceKey[]; attrs: Set<string> }>();
    const modules = new Map<string, { name: string; keys: InstanceKey[]; outputs: Set<string> }>();
    const out: Target[] = [];
    for (const text of refs) {
      const ref = parseReference(text);
      if (!ref) continue;
      if (ref.kind === "resource") {
        let g = resources.get(ref.target);
        if (!g) {
          g = { keys: [], attrs: new Set() };
          resources.set(ref.target, g);
        }
        if (ref.key !== undefined) g.keys.push(ref.key);
        if (ref.attribute !== undefined) g.attrs.add(ref.attribute);
      } else if (ref.kind === "module") {
        let g = modules.get(ref.name);
        if (!g) {
          g = { name: ref.name, keys: [], outputs: new Set() };
          modules.set(ref.name, g);
        }
        if (ref.key !== undefined) g.keys.push(ref.key);
        if (ref.output !== undefined) g.outputs.add(ref.output);
      } else out.push(...this.resolveVar(ctx, ref.name, depth));
    }
    for (const [target, g] of resources) {
      const group = this.instances.get(`${ctx.address}${SEP}${target}`);
      const chosen = group ? group.bind(g.keys, bindSame ? selfKey : undefined) : [];
      const attrs = g.attrs.size > 0 ? [...g.attrs] : [undefined];
      for (const instance of chosen)
        for (const attribute of attrs) out.push(attribute ? { instance, attribute } : { instance });
    }
    for (const g of modules.values()) {
      const group = this.children.get(`${ctx.address}${SEP}${g.name}`);
      const chosen = group ? group.bind(g.keys, bindSame ? selfKey : undefined) : [];
      for (const child of chosen)
        for (const output of g.outputs) out.push(...this.resolveOutput(child, output, depth));
    }
    return out;
  }

  /**
   * `resolveList`, plus `each.value`: with `for_each = aws_s3_bucket.team` and `bucket =
   * each.value.id` the references name only `each.value`, so the instance is found through the
   * `for_each` expression, by the same key.
   */
  resolveBound(
    refs: readonly string[],
    ctx: ModuleCtx,
    selfKey: InstanceKey | undefined,
    forEach: readonly string[] | undefined,
    depth: number,
  ): Target[] {
    const targets = this.resolveList(refs, ctx, selfKey, depth);
    if (
      !forEach ||
      selfKey === undefined ||
      !refs.some((x) => x === "each.value" || x.startsWith("each.value."))
    ) {
      return targets;
    }
    const attribute = refs
      .map((x) => /^each\.value\.([A-Za-z_][\w-]*)/.exec(x)?.[1])
      .find((a) => a !== undefined);
    for (const t of this.resolveList([...forEach, "each.key"], ctx, selfKey, depth)) {
      targets.push(attribute ? { instance: t.instance, attribute } : { instance: t.instance });
    }
    return targets;
  }

  /** `var.NAME` inside module instance `ctx`: the call's expression for NAME, in the parent. */
  private resolveVar(ctx: ModuleCtx, name: string, depth: number): Target[] {
    const last = ctx.steps[ctx.steps.length - 1];
    if (!last) return [];
    const memoKey = `v${SEP}${ctx.address}${SEP}${name}`;
    const hit = this.memo.get(memoKey);
    if (hit) return hit;
    this.memo.set(memoKey, []);
    const parent = ctxOf(ctx.steps.slice(0, -1));
    const call = this.config.modules.get(parent.path)?.calls.get(last.name);
    const result: Target[] = [];
    for (const refs of referenceLists(call?.expressions[name])) {
      result.push(...this.resolveBound(refs, parent, last.key, call?.forEach, depth + 1));
    }
    this.memo.set(memoKey, result);
    return result;
  }

  /** `module.M.OUT` seen from the parent: the output's expression inside child instance `child`. */
  private resolveOutput(child: ModuleCtx, output: string, depth: number): Target[] {
    const memoKey = `o${SEP}${child.address}${SEP}${output}`;
    const hit = this.memo.get(memoKey);
    if (hit) return hit;
    this.memo.set(memoKey, []);
    const expr = this.config.modules.get(child.path)?.outputs.get(output);
    const result: Target[] = [];
    for (const refs of referenceLists(expr))
      result.push(...this.resolveList(refs, child, undefined, depth + 1));
    this.memo.set(memoKey, result);
    return result;
  }
}

interface Direct {
  readonly to: ResourceInstance;
  readonly via: string;
  readonly attributes: ReadonlySet<string>;
}

/**
 * Most reference links a plan may have. Real plans have a few per resource; a plan where thousands
 * of instances each refer to thousands of others (a counted resource referring to a whole counted
 * resource) makes millions, and every stage after multiplies them (2,000 x 2,000 ended in
 * "Invalid string length" in the reporters after 35 s). Such a graph is refused, early.
 */
export function maxLinks(resources: number): number {
  return Math.max(200_000, 50 * resources);
}

function directLinks(
  resources: readonly ResourceInstance[],
  resolver: Resolver,
  file: string | undefined,
): Map<string, Direct[]> {
  const direct = new Map<string, Direct[]>();
  const limit = maxLinks(resources.length);
  let total = 0;
  for (const r of resources) {
    if (!r.config || r.deposed !== undefined) continue;
    const parsed = parseAddress(r.address);
    if (!parsed) continue;
    const ctx = ctxOf(parsed.modules);
    const byTarget = new Map<string, { to: ResourceInstance; via: string; attributes: Set<string> }>();
    for (const [via, expr] of Object.entries(r.config.expressions)) {
      for (const refs of referenceLists(expr)) {
        for (const t of resolver.resolveBound(
          refs,
          ctx,
          r.index,
          r.config.forEachExpression?.references,
          0,
        )) {
          if (t.instance === r) continue;
          const k = `${t.instance.address}${SEP}${via}`;
          let d = byTarget.get(k);
          if (!d) {
            d = { to: t.instance, via, attributes: new Set() };
            byTarget.set(k, d);
          }
          if (t.attribute) d.attributes.add(t.attribute);
        }
      }
    }
    if (byTarget.size > 0) direct.set(r.address, [...byTarget.values()]);
    total += byTarget.size;
    if (total > limit) {
      throw new InputError(
        `the plan's references make more than ${limit} links between ${resources.length} resources (at ${r.address}); plangate does not judge a graph this dense`,
        file,
      );
    }
  }
  return direct;
}

/**
 * A refers to B's attribute X, and B's X came from a reference to C: A refers to C as well.
 * For `id` (which providers derive from the parent, e.g. a bucket policy's id is its bucket) B's
 * link through the same `via` as A's is followed: `bucket = aws_s3_bucket_policy.this[0].id`.
 */
function transitiveLinks(
  from: ResourceInstance,
  links: readonly Direct[],
  direct: ReadonlyMap<string, readonly Direct[]>,
): Link[] {
  const out: Link[] = [];
  for (const d of links) {
    const next = direct.get(d.to.address);
    if (!next) continue;
    const through = new Set<string>();
    for (const a of d.attributes) {
      if (d.to.config && Object.hasOwn(d.to.config.expressions, a)) through.add(a);
      if (a === "id") through.add(d.via);
    }
    for (const n of next) {
      // Only through a companion of the target (`aws_s3_bucket_policy` of `aws_s3_bucket`): a
      // bucket's name built from a random_id does not make its policy a companion of the random_id.
      if (through.has(n.via) && n.to !== from && d.to.type.startsWith(`${n.to.type}_`)) {
        out.push({ from: from.address, to: n.to.address, via: d.via, kind: "transitive" });
      }
    }
  }
  return out;
}

/** Attributes whose known value names a resource; `bucket` only on bucket types (elsewhere it points at one). */
function identityAttributes(type: string): readonly string[] {
  return type.endsWith("_bucket") ? ["bucket", "id", "arn", "name"] : ["id", "arn", "name"];
}

/**
 * What a resource is known by. A data source's id and name are often not identities at all
 * (`data.aws_region` has name and id `us-east-1`, `data.aws_partition` id `aws`).
 */
function indexedAttributes(r: ResourceInstance): readonly string[] {
  const all = identityAttributes(r.type);
  return r.mode === "data" ? all.filter((a) => a !== "id" && a !== "name") : all;
}

function knownString(r: ResourceInstance, attr: string): string | undefined {
  const v = lookup(r.after, [attr]);
  return v.state === "known" && !v.sensitive && typeof v.value === "string" && v.value !== ""
    ? v.value
    : undefined;
}

interface Named {
  readonly resource: ResourceInstance;
  readonly attribute: string;
  /** Position in the index: candidates from several groups come back in index order. */
  readonly order: number;
}

/**
 * Names collide across kinds (a Lambda function and its role often share one), so a name only
 * links when the referring attribute speaks of the target's kind (`bucket`, `target_bucket` ->
 * `aws_s3_bucket`; `role` -> `aws_iam_role`). ARNs are unique and always link. Targets are grouped
 * by that kind (ARNs in a group of their own, a name no kind can have: kinds hold no `_`).
 */
const ARN_GROUP = "_arn";

/** Most resources one value may link to by value; real names are unique. */
export const MAX_VALUE_TARGETS = 32;

function groupOf(t: Pick<Named, "resource" | "attribute">): string {
  return t.attribute === "arn" ? ARN_GROUP : t.resource.type.slice(t.resource.type.lastIndexOf("_") + 1);
}

/**
 * The resources known by `value` that `attr` can plausibly name, in index order. Grouped by kind so
 * that a value many resources share (every security group named `default`) costs the groups it
 * has, not its length: scanning the whole list for every attribute that holds it was quadratic.
 */
function plausibleTargets(groups: ReadonlyMap<string, readonly Named[]>, attr: string): readonly Named[] {
  // A value that many resources are known by names none of them: link none. Linking every pair is
  // quadratic (a hostile plan of 2,000 buckets and 2,000 companions sharing one name made 4 million
  // links and crashed the reporters).
  let total = 0;
  for (const [group, list] of groups) {
    if (group !== ARN_GROUP && (group === "" || !attr.includes(group))) continue;
    total += list.length;
  }
  if (total > MAX_VALUE_TARGETS) return [];
  let hit: readonly Named[] | undefined;
  let merged: Named[] | undefined;
  for (const [group, list] of groups) {
    if (group !== ARN_GROUP && (group === "" || !attr.includes(group))) continue;
    if (hit === undefined) hit = list;
    else {
      merged ??= [...hit];
      merged.push(...list);
    }
  }
  return merged ? merged.sort((a, b) => a.order - b.order) : (hit ?? []);
}

function valueLinks(resources: readonly ResourceInstance[]): Link[] {
  const index = new Map<string, Map<string, Named[]>>();
  let order = 0;
  for (const r of resources) {
    if (r.deposed !== undefined || r.mode === "ephemeral") continue;
    const seen = new Set<string>();
    for (const attribute of indexedAttributes(r)) {
      const v = knownString(r, attribute);
      if (v === undefined || seen.has(v)) continue;
      seen.add(v);
      const named: Named = { resource: r, attribute, order: order++ };
      const groups = index.get(v) ?? new Map<string, Named[]>();
      index.set(v, groups);
      const group = groupOf(named);
      const list = groups.get(group);
      if (list) list.push(named);
      else groups.set(group, [named]);
    }
  }
  const out: Link[] = [];
  for (const r of resources) {
    if (r.deposed !== undefined || r.mode === "ephemeral" || !isObject(r.after.value)) continue;
    const own = new Set(identityAttributes(r.type));
    for (const attr of Object.keys(r.after.value)) {
      // A resource's own name is not a reference to anything.
      if (own.has(attr)) continue;
      const v = knownString(r, attr);
      const groups = v === undefined ? undefined : index.get(v);
      if (!groups) continue;
      const targets = plausibleTargets(groups, attr)
        .filter((t) => t.resource !== r)
        .map((t) => t.resource);
      for (const t of preferParents(r, targets))
        out.push({ from: r.address, to: t.address, via: attr, kind: "value" });
    }
  }
  return out;
}

/**
 * Companions often share the parent's name as their id (an S3 bucket's versioning has the bucket's
 * name as id): when a candidate's type is a prefix of the referrer's (`aws_s3_bucket` for
 * `aws_s3_bucket_versioning`), keep only such parents.
 */
function preferParents(r: ResourceInstance, targets: readonly ResourceInstance[]): ResourceInstance[] {
  const parents = targets.filter((t) => r.type.startsWith(`${t.type}_`));
  return parents.length > 0 ? parents : [...targets];
}

/**
 * Every link of the plan, deduplicated by (from, to, via); reference links first. Deterministic.
 * Throws `InputError` (naming `file`) for a graph denser than `maxLinks`.
 */
export function buildLinks(
  resources: readonly ResourceInstance[],
  config: ConfigIndex,
  file?: string,
): Link[] {
  const direct = directLinks(resources, new Resolver(resources, config), file);
  const all: Link[] = [];
  for (const r of resources) {
    const links = direct.get(r.address);
    if (!links || r.deposed !== undefined) continue;
    for (const d of links) all.push({ from: r.address, to: d.to.address, via: d.via, kind: "reference" });
    all.push(...transitiveLinks(r, links, direct));
  }
  // By value only where configuration did not say: a literal name, or a plan without configuration.
  const referenced = new Set(all.map((l) => `${l.from}${SEP}${l.via}`));
  // A loop, not push(...spread): a plan without configuration can have more value links than
  // a call can take arguments.
  for (const l of valueLinks(resources)) if (!referenced.has(`${l.from}${SEP}${l.via}`)) all.push(l);
  const seen = new Set<string>();
  const byFrom = new Map<string, Link[]>();
  for (const l of all) {
    const k = `${l.from}${SEP}${l.to}${SEP}${l.via}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const list = byFrom.get(l.from);
    if (list) list.push(l);
    else byFrom.set(l.from, [l]);
  }
  // Group by source in plan order so `outgoing` and the flat list agree.
  const out: Link[] = [];
  const emitted = new Set<string>();
  for (const r of resources) {
    if (emitted.has(r.address)) continue;
    emitted.add(r.address);
    out.push(...(byFrom.get(r.address) ?? []));
  }
  return out;
}
