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
  type InstanceKey,
  type ModuleStep,
  parseAddress,
  parseReference,
  resourceConfigKey,
} from "./address.js";
import { type ConfigIndex, isObject } from "./config.js";
import {
  type ConfigResource,
  InputError,
  type JsonValue,
  type Link,
  type ResourceInstance,
} from "./types.js";
import { valueLinks } from "./value-links.js";

/**
 * A module instance (`module.a["k"]`): its steps, address, config path (`a`), and what is in it:
 * resource instances by config key, child module instances by call name. One object per address.
 */
interface ModuleCtx {
  readonly parent: ModuleCtx | undefined;
  /** The last step (`a`, `"k"` of `module.a["k"]`); undefined for the root. */
  readonly step: ModuleStep | undefined;
  readonly instances: Map<string, Keyed<ResourceInstance>>;
  /** Child module instances by call name, to bind keys. */
  readonly children: Map<string, Keyed<ModuleCtx>>;
  /**
   * Child module instances by call name and key: the tree is walked down step by step. Keyed by
   * whole addresses, a hostile address 20,000 modules deep made 20,000 prefixes (gigabytes).
   */
  readonly byStep: Map<string, Map<InstanceKey | undefined, ModuleCtx>>;
}

function newModuleCtx(parent: ModuleCtx | undefined, step: ModuleStep | undefined): ModuleCtx {
  return { parent, step, instances: new Map(), children: new Map(), byStep: new Map() };
}

/** A resource's module instance, from a caller that parsed its address already: one object per instance. */
export interface ModuleOf {
  readonly steps: readonly ModuleStep[];
}

/** A resolved reference: the instance referred to and the attribute of it that was named. */
interface Target {
  readonly instance: ResourceInstance;
  readonly attribute?: string;
}

const MAX_DEPTH = 64;
const SEP = "\u0000";

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

/** Groups up to this size are scanned for a key; bigger ones keep a map of their keys. */
const SCAN_KEYED = 8;

/**
 * Members of one group (instances of a block, or of a module call), also by instance key. Most
 * groups hold an instance or three: they are scanned, and only a big group keeps a map by key (a
 * map for every group was one per resource, most of the resolver's memory).
 */
class Keyed<T> {
  readonly all: T[] = [];
  /** Each member's key, by position: `0` and `"0"` are different keys; `undefined` is a single instance's. */
  private readonly keys: (InstanceKey | undefined)[] = [];
  /** By key, once asked of a group bigger than SCAN_KEYED. */
  private byKey: Map<InstanceKey | undefined, T[]> | undefined;

  add(t: T, key: InstanceKey | undefined): void {
    this.all.push(t);
    this.keys.push(key);
    if (this.byKey) addMember(this.byKey, key, t);
  }

  /** Explicit keys win; else the member with the referrer's own key (count.index / each.key); else all. */
  bind(keys: readonly InstanceKey[], sameKey: InstanceKey | undefined): readonly T[] {
    if (keys.length > 0) return [...new Set(keys)].flatMap((k) => this.withKey(k));
    if (sameKey !== undefined) {
      const same = this.withKey(sameKey);
      if (same.length > 0) return same;
    }
    return this.all;
  }

  private withKey(key: InstanceKey): readonly T[] {
    if (this.all.length <= SCAN_KEYED) return this.all.filter((_, i) => this.keys[i] === key);
    if (!this.byKey) {
      const byKey = new Map<InstanceKey | undefined, T[]>();
      this.all.forEach((t, i) => {
        addMember(byKey, this.keys[i], t);
      });
      this.byKey = byKey;
    }
    return this.byKey.get(key) ?? [];
  }
}

function addMember<T>(map: Map<InstanceKey | undefined, T[]>, key: InstanceKey | undefined, t: T): void {
  const list = map.get(key);
  if (list) list.push(t);
  else map.set(key, [t]);
}

function addTo<T>(map: Map<string, Keyed<T>>, group: string, t: T, key: InstanceKey | undefined): void {
  let g = map.get(group);
  if (!g) {
    g = new Keyed<T>();
    map.set(group, g);
  }
  g.add(t, key);
}

/**
 * One `references` list, parsed and grouped once: the same lists (a block's expressions) are
 * resolved again for every instance of the block.
 */
interface ParsedRefs {
  /** `count.index` / `each.*` is among them: bind to the referrer's own key. */
  readonly bindSame: boolean;
  /** `each.value` (or below it) is among them. */
  readonly eachValue: boolean;
  /** `X` of the first `each.value.X`. */
  readonly eachValueAttribute: string | undefined;
  /** `var.NAME`s, in order. */
  readonly vars: readonly string[];
  /** Referenced resource blocks (config key), with the explicit keys and attributes named. */
  readonly resources: readonly {
    target: string;
    keys: InstanceKey[];
    attrs: readonly (string | undefined)[];
  }[];
  /** Referenced module calls, with the explicit keys and outputs named. */
  readonly modules: readonly { name: string; keys: InstanceKey[]; outputs: readonly string[] }[];
}

/** Targets named in one list (resource blocks or module calls), with the keys and members named. */
type NamedTargets = Map<string, { keys: InstanceKey[]; members: Set<string> }>;

function note(
  named: NamedTargets,
  target: string,
  key: InstanceKey | undefined,
  member: string | undefined,
): void {
  let g = named.get(target);
  if (!g) {
    g = { keys: [], members: new Set() };
    named.set(target, g);
  }
  if (key !== undefined) g.keys.push(key);
  if (member !== undefined) g.members.add(member);
}

function parseRefs(refs: readonly string[]): ParsedRefs {
  const resources: NamedTargets = new Map();
  const modules: NamedTargets = new Map();
  const vars: string[] = [];
  for (const text of refs) {
    const ref = parseReference(text);
    if (!ref) continue;
    if (ref.kind === "resource") note(resources, ref.target, ref.key, ref.attribute);
    else if (ref.kind === "module") note(modules, ref.name, ref.key, ref.output);
    else vars.push(ref.name);
  }
  return {
    bindSame: refs.some((r) => r === "count.index" || r === "each.key" || r === "each.value"),
    eachValue: refs.some((x) => x === "each.value" || x.startsWith("each.value.")),
    eachValueAttribute: refs
      .map((x) => /^each\.value\.([A-Za-z_][\w-]*)/.exec(x)?.[1])
      .find((a) => a !== undefined),
    vars,
    resources: [...resources].map(([target, g]) => ({
      target,
      keys: g.keys,
      attrs: g.members.size > 0 ? [...g.members] : [undefined],
    })),
    modules: [...modules].map(([name, g]) => ({ name, keys: g.keys, outputs: [...g.members] })),
  };
}

class Resolver {
  private readonly root = newModuleCtx(undefined, undefined);
  /** The module instance of each of the caller's module objects. */
  private readonly known = new Map<ModuleOf, ModuleCtx>();
  /** Results of `var.NAME` (`v` + NAME) in a module instance, and of its outputs (`o` + OUT). */
  private readonly memo = new Map<ModuleCtx, Map<string, Target[]>>();
  /** Config paths (`a.b`) of module instances, as asked. */
  private readonly paths = new Map<ModuleCtx, string>();
  private readonly parsed = new Map<readonly string[], ParsedRefs>();
  /** A `for_each` expression's references plus `each.key`, by the expression's list. */
  private readonly forEachKeyed = new Map<readonly string[], readonly string[]>();

  /** Each resource's module instance (by position); undefined when deposed or unreadable. */
  readonly ctxs: readonly (ModuleCtx | undefined)[];

  constructor(
    resources: readonly ResourceInstance[],
    private readonly config: ConfigIndex,
    known: readonly (ModuleOf | undefined)[] | undefined,
  ) {
    this.ctxs = resources.map((r, i) => {
      if (r.deposed !== undefined) return undefined;
      const ctx = this.moduleOf(r.address, known?.[i]);
      if (!ctx) return undefined;
      addTo(ctx.instances, resourceConfigKey(r.mode, r.type, r.name), r, r.index);
      return ctx;
    });
  }

  /**
   * The module instance of `steps`. A new one is added to its parent's children, parents first,
   * so children come in the order their first resource does.
   */
  module(steps: readonly ModuleStep[]): ModuleCtx {
    let ctx = this.root;
    for (const step of steps) {
      let byKey = ctx.byStep.get(step.name);
      if (!byKey) {
        byKey = new Map();
        ctx.byStep.set(step.name, byKey);
      }
      let child = byKey.get(step.key);
      if (!child) {
        child = newModuleCtx(ctx, step);
        byKey.set(step.key, child);
        addTo(ctx.children, step.name, child, step.key);
      }
      ctx = child;
    }
    return ctx;
  }

  /** The module instance of the resource at `address`; undefined when the address does not parse. */
  private moduleOf(address: string, known: ModuleOf | undefined): ModuleCtx | undefined {
    if (known) {
      let ctx = this.known.get(known);
      if (!ctx) {
        ctx = this.module(known.steps);
        this.known.set(known, ctx);
      }
      return ctx;
    }
    const parsed = parseAddress(address);
    return parsed ? this.module(parsed.modules) : undefined;
  }

  /** The config path of a module instance (`a.b` for `module.a["k"].module.b`): keys configuration. */
  private path(ctx: ModuleCtx): string {
    let path = this.paths.get(ctx);
    if (path === undefined) {
      const names: string[] = [];
      for (let c: ModuleCtx | undefined = ctx; c?.step; c = c.parent) names.push(c.step.name);
      path = names.reverse().join(".");
      this.paths.set(ctx, path);
    }
    return path;
  }

  /** Memoised `resolve` for `key` in `ctx`; a cycle (a module output naming itself) resolves to nothing. */
  private memoised(ctx: ModuleCtx, key: string, resolve: () => Target[]): Target[] {
    let memo = this.memo.get(ctx);
    if (!memo) {
      memo = new Map();
      this.memo.set(ctx, memo);
    }
    const hit = memo.get(key);
    if (hit) return hit;
    memo.set(key, []);
    const result = resolve();
    memo.set(key, result);
    return result;
  }

  private parse(refs: readonly string[]): ParsedRefs {
    let p = this.parsed.get(refs);
    if (!p) {
      p = parseRefs(refs);
      this.parsed.set(refs, p);
    }
    return p;
  }

  /** Resolve one `references` list in module instance `ctx`; `selfKey` binds count.index / each.key. */
  resolveList(
    refs: readonly string[],
    ctx: ModuleCtx,
    selfKey: InstanceKey | undefined,
    depth: number,
  ): Target[] {
    if (depth > MAX_DEPTH) return [];
    const p = this.parse(refs);
    const sameKey = p.bindSame ? selfKey : undefined;
    const out: Target[] = [];
    for (const name of p.vars) for (const t of this.resolveVar(ctx, name, depth)) out.push(t);
    for (const g of p.resources) {
      const chosen = ctx.instances.get(g.target)?.bind(g.keys, sameKey) ?? [];
      for (const instance of chosen)
        for (const attribute of g.attrs) out.push(attribute ? { instance, attribute } : { instance });
    }
    for (const g of p.modules) {
      const chosen = ctx.children.get(g.name)?.bind(g.keys, sameKey) ?? [];
      for (const child of chosen)
        for (const output of g.outputs) for (const t of this.resolveOutput(child, output, depth)) out.push(t);
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
    const p = this.parse(refs);
    if (!forEach || selfKey === undefined || !p.eachValue) return targets;
    const attribute = p.eachValueAttribute;
    let keyed = this.forEachKeyed.get(forEach);
    if (!keyed) {
      keyed = [...forEach, "each.key"];
      this.forEachKeyed.set(forEach, keyed);
    }
    for (const t of this.resolveList(keyed, ctx, selfKey, depth)) {
      targets.push(attribute ? { instance: t.instance, attribute } : { instance: t.instance });
    }
    return targets;
  }

  /** `var.NAME` inside module instance `ctx`: the call's expression for NAME, in the parent. */
  private resolveVar(ctx: ModuleCtx, name: string, depth: number): Target[] {
    const { step, parent } = ctx;
    if (!step || !parent) return [];
    return this.memoised(ctx, `v${name}`, () => {
      const call = this.config.modules.get(this.path(parent))?.calls.get(step.name);
      const result: Target[] = [];
      for (const refs of referenceLists(call?.expressions[name])) {
        for (const t of this.resolveBound(refs, parent, step.key, call?.forEach, depth + 1)) result.push(t);
      }
      return result;
    });
  }

  /** `module.M.OUT` seen from the parent: the output's expression inside child instance `child`. */
  private resolveOutput(child: ModuleCtx, output: string, depth: number): Target[] {
    return this.memoised(child, `o${output}`, () => {
      const expr = this.config.modules.get(this.path(child))?.outputs.get(output);
      const result: Target[] = [];
      for (const refs of referenceLists(expr))
        for (const t of this.resolveList(refs, child, undefined, depth + 1)) result.push(t);
      return result;
    });
  }
}

interface Direct {
  readonly to: ResourceInstance;
  readonly via: string;
  /** The attributes of `to` named (a few: those a block's references name), each once. */
  readonly attributes: readonly string[];
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
  /** The references of each block's expressions, by attribute: walked once per block, not per instance. */
  const blockRefs = new Map<ConfigResource, [via: string, lists: string[][]][]>();
  /** One attribute's links by target address (reused: cleared for each attribute). */
  const byTarget = new Map<string, { to: ResourceInstance; via: string; attributes: string[] }>();
  let total = 0;
  resources.forEach((r, i) => {
    const ctx = resolver.ctxs[i];
    if (!r.config || !ctx) return;
    let refs = blockRefs.get(r.config);
    if (!refs) {
      refs = Object.entries(r.config.expressions).map(([via, expr]) => [via, referenceLists(expr)]);
      blockRefs.set(r.config, refs);
    }
    const forEach = r.config.forEachExpression?.references;
    const links: Direct[] = [];
    for (const [via, lists] of refs) {
      byTarget.clear();
      for (const list of lists) {
        for (const t of resolver.resolveBound(list, ctx, r.index, forEach, 0)) {
          if (t.instance === r) continue;
          let d = byTarget.get(t.instance.address);
          if (!d) {
            d = { to: t.instance, via, attributes: [] };
            byTarget.set(t.instance.address, d);
          }
          if (t.attribute && !d.attributes.includes(t.attribute)) d.attributes.push(t.attribute);
        }
      }
      for (const d of byTarget.values()) links.push(d);
    }
    if (links.length > 0) direct.set(r.address, links);
    total += links.length;
    if (total > limit) {
      throw new InputError(
        `the plan's references make more than ${limit} links between ${resources.length} resources (at ${r.address}); plangate does not judge a graph this dense`,
        file,
      );
    }
  });
  return direct;
}

/** A target's direct links, and the positions among them of those a link to it is followed through, by `via`. */
interface Followed {
  readonly links: readonly Direct[];
  readonly byVia: ReadonlyMap<string, readonly number[]>;
}

/**
 * Which direct links of a target a link to it can be followed through: only those to a
 * companion's parent (`aws_s3_bucket` for an `aws_s3_bucket_policy`), by `via`. Indexed once per
 * target: a hub that thousands refer to, itself linked to thousands, made every referrer scan all
 * of the hub's links (quadratic: 20,000 x 20,000 took 12 s and made no link at all).
 */
class Companions {
  private readonly byTarget = new Map<ResourceInstance, Followed>();
  constructor(private readonly direct: ReadonlyMap<string, readonly Direct[]>) {}

  of(target: ResourceInstance): Followed {
    let f = this.byTarget.get(target);
    if (!f) {
      const links = this.direct.get(target.address) ?? [];
      const byVia = new Map<string, number[]>();
      links.forEach((n, i) => {
        // A bucket's name built from a random_id does not make its policy a companion of the random_id.
        if (!target.type.startsWith(`${n.to.type}_`)) return;
        const list = byVia.get(n.via);
        if (list) list.push(i);
        else byVia.set(n.via, [i]);
      });
      f = { links, byVia };
      this.byTarget.set(target, f);
    }
    return f;
  }
}

/**
 * A refers to B's attribute X, and B's X came from a reference to C: A refers to C as well.
 * For `id` (which providers derive from the parent, e.g. a bucket policy's id is its bucket) B's
 * link through the same `via` as A's is followed: `bucket = aws_s3_bucket_policy.this[0].id`.
 */
function transitiveLinks(from: ResourceInstance, links: readonly Direct[], companions: Companions): Link[] {
  const out: Link[] = [];
  for (const d of links) {
    const next = companions.of(d.to);
    if (next.byVia.size === 0) continue;
    const through = new Set<string>();
    for (const a of d.attributes) {
      if (d.to.config && Object.hasOwn(d.to.config.expressions, a)) through.add(a);
      if (a === "id") through.add(d.via);
    }
    const found: number[] = [];
    for (const via of through) for (const i of next.byVia.get(via) ?? []) found.push(i);
    // In the order of the target's links (each has one `via`: no position comes twice).
    if (through.size > 1) found.sort((a, b) => a - b);
    for (const i of found) {
      const n = next.links[i];
      if (n && n.to !== from)
        out.push({ from: from.address, to: n.to.address, via: d.via, kind: "transitive" });
    }
  }
  return out;
}

/**
 * Every link of the plan, deduplicated by (from, to, via); reference links first. Deterministic.
 * Throws `InputError` (naming `file`) for a graph denser than `maxLinks`.
 */
export function buildLinks(
  resources: readonly ResourceInstance[],
  config: ConfigIndex,
  file?: string,
  /** Each resource's module instance (by position), when the caller has it: saves parsing addresses again. */
  modules?: readonly (ModuleOf | undefined)[],
): Link[] {
  return buildLinkIndex(resources, config, file, modules).links;
}

/** The plan's links (as `buildLinks` gives them), and the same link objects by source and by target. */
export interface LinkIndex {
  readonly links: Link[];
  /** By `from`, keys in the order of `links`: what grouping `links` by `from` gives. */
  readonly outgoing: Map<string, Link[]>;
  /** By `to`, each list in the order of `links`. */
  readonly incoming: Map<string, Link[]>;
}

/**
 * `buildLinks` with the model's indexes by source and target, made while the links are put in
 * plan order: grouping the flat list again afterwards was a pass and a map lookup per link.
 */
export function buildLinkIndex(
  resources: readonly ResourceInstance[],
  config: ConfigIndex,
  file?: string,
  modules?: readonly (ModuleOf | undefined)[],
): LinkIndex {
  const direct = directLinks(resources, new Resolver(resources, config, modules), file);
  const companions = new Companions(direct);
  const limit = maxLinks(resources.length);
  const links = new LinkGroups();
  for (const r of resources) {
    const ds = direct.get(r.address);
    if (!ds || r.deposed !== undefined) continue;
    for (const d of ds) links.add({ from: r.address, to: d.to.address, via: d.via, kind: "reference" });
    for (const l of transitiveLinks(r, ds, companions)) links.add(l);
    // Transitive links multiply: N referrers of a hub linked to M make N x M of them.
    if (links.size > limit) {
      throw new InputError(
        `the plan's references make more than ${limit} links between ${resources.length} resources (at ${r.address}); plangate does not judge a graph this dense`,
        file,
      );
    }
  }
  // By value only where configuration did not say: a literal name, or a plan without configuration.
  for (const l of valueLinks(resources)) if (!links.refersThrough(l.from, l.via)) links.add(l);
  return links.inPlanOrder(resources);
}

/** Links of one source, each (to, via) once, in the order added. */
interface LinkGroup {
  readonly links: Link[];
  /** `to` + `via` of every link, once the group is too big to scan (most hold a link or two). */
  keys?: Set<string>;
  /** `via`s of the reference and transitive links, once asked. */
  referenced?: ReadonlySet<string>;
  /** Put in plan order already (entries that share an address share a group). */
  placed?: boolean;
}

/** Groups up to this size are scanned for a duplicate; bigger ones keep a set of keys. */
const SCAN = 8;

const linkKey = (l: Link): string => `${l.to}${SEP}${l.via}`;

/** Links by source address, each (from, to, via) once, in the order added. */
class LinkGroups {
  private readonly byFrom = new Map<string, LinkGroup>();
  /** Links held. */
  size = 0;

  add(l: Link): void {
    let g = this.byFrom.get(l.from);
    if (!g) {
      g = { links: [] };
      this.byFrom.set(l.from, g);
    }
    if (g.keys ? g.keys.has(linkKey(l)) : g.links.some((x) => x.to === l.to && x.via === l.via)) return;
    g.links.push(l);
    g.keys?.add(linkKey(l));
    if (!g.keys && g.links.length > SCAN) g.keys = new Set(g.links.map(linkKey));
    this.size++;
  }

  /** `from` has a reference or transitive link through `via`. Asked only once those are all added. */
  refersThrough(from: string, via: string): boolean {
    const g = this.byFrom.get(from);
    if (!g) return false;
    g.referenced ??= new Set(g.links.filter((l) => l.kind !== "value").map((l) => l.via));
    return g.referenced.has(via);
  }

  /** Grouped by source in plan order, so `outgoing` and the flat list agree; indexed by source and target. */
  inPlanOrder(resources: readonly ResourceInstance[]): LinkIndex {
    const links: Link[] = [];
    const outgoing = new Map<string, Link[]>();
    const incoming = new Map<string, Link[]>();
    for (const r of resources) {
      const g = this.byFrom.get(r.address);
      // Marked, not deleted: deleting from a map of every source cost more than the flag.
      if (!g || g.placed) continue;
      g.placed = true;
      // A group is never empty, and is not changed after this: it is the source's list.
      outgoing.set(r.address, g.links);
      // A loop, not push(...spread): one source can have more links than a call can take arguments.
      for (const l of g.links) {
        links.push(l);
        const to = incoming.get(l.to);
        if (to) to.push(l);
        else incoming.set(l.to, [l]);
      }
    }
    return { links, outgoing, incoming };
  }
}
