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
import { type ValueLinkSink, valueLinks } from "./value-links.js";

/**
 * A module instance (`module.a["k"]`): its steps, address, config path (`a`), and what is in it:
 * resource instances by config key, child module instances by call name. One object per address.
 */
interface ModuleCtx {
  readonly parent: ModuleCtx | undefined;
  /** The last step (`a`, `"k"` of `module.a["k"]`); undefined for the root. */
  readonly step: ModuleStep | undefined;
  /**
   * Resource instances (their positions in the plan) by config key: the position itself while a
   * block has one instance here (most do: a group object and two lists for each was most of what
   * the resolver held), a group from the second on.
   */
  readonly instances: Map<string, number | Keyed<number>>;
  /** Child module instances by call name, to bind keys. */
  readonly children: Map<string, Keyed<ModuleCtx>>;
  /**
   * Child module instances by call name and key: the tree is walked down step by step. Keyed by
   * whole addresses, a hostile address 20,000 modules deep made 20,000 prefixes (gigabytes).
   */
  readonly byStep: Map<string, Map<InstanceKey | undefined, ModuleCtx>>;
  /** Config path (`a.b`), once asked. */
  path?: string;
  /** What `var.NAME` resolves to in this instance, by NAME, once asked. */
  vars?: Map<string, Targets>;
  /** What `module.M.OUT` resolves to when this is an instance of M, by OUT, once asked. */
  outputs?: Map<string, Targets>;
}

function newModuleCtx(parent: ModuleCtx | undefined, step: ModuleStep | undefined): ModuleCtx {
  return { parent, step, instances: new Map(), children: new Map(), byStep: new Map() };
}

/** A resource's module instance, from a caller that parsed its address already: one object per instance. */
export interface ModuleOf {
  readonly steps: readonly ModuleStep[];
}

/**
 * Resolved references: the instances referred to (by position in the plan) and the attribute of
 * each that was named, as two parallel lists filled in place. A list of target objects for every
 * list resolved, for every instance, was most of what building the links allocated.
 */
class Targets {
  /** Filled up to `length` (cleared by resetting it: truncating arrays is a slow runtime call). */
  length = 0;

  constructor(
    readonly at: number[] = [],
    readonly attribute: (string | undefined)[] = [],
  ) {}

  push(at: number, attribute: string | undefined): void {
    this.at[this.length] = at;
    this.attribute[this.length] = attribute;
    this.length++;
  }

  pushAll(t: Targets): void {
    for (let k = 0; k < t.length; k++) this.push(t.at[k] as number, t.attribute[k]);
  }

  clear(): void {
    this.length = 0;
  }

  /** These targets in lists of their size (a list grown by push holds 17). */
  compact(): Targets {
    const t = new Targets(this.at.slice(0, this.length), this.attribute.slice(0, this.length));
    t.length = this.length;
    return t;
  }
}

/** What a reference cycle (a module output naming itself) resolves to; never filled. */
const NO_TARGETS = new Targets();

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
    if (keys.length === 1) return this.withKey(keys[0] as InstanceKey);
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
    return this.byKey.get(key) ?? NONE;
  }
}

const NONE: readonly never[] = Object.freeze([]);

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
  private readonly parsed = new Map<readonly string[], ParsedRefs>();
  /** The `references` lists under expressions, parsed, by expression. */
  private readonly lists = new Map<JsonValue, readonly ParsedRefs[]>();
  /** A `for_each` expression's references plus `each.key`, parsed, by the expression's list. */
  private readonly forEachKeyed = new Map<readonly string[], ParsedRefs>();

  /** Each resource's module instance (by position); undefined when deposed or unreadable. */
  readonly ctxs: readonly (ModuleCtx | undefined)[];

  constructor(
    private readonly resources: readonly ResourceInstance[],
    private readonly config: ConfigIndex,
    known: readonly (ModuleOf | undefined)[] | undefined,
  ) {
    this.ctxs = resources.map((r, i) => {
      if (r.deposed !== undefined) return undefined;
      const ctx = this.moduleOf(r.address, known?.[i]);
      if (!ctx) return undefined;
      const configKey = resourceConfigKey(r.mode, r.type, r.name);
      const group = ctx.instances.get(configKey);
      if (group === undefined) ctx.instances.set(configKey, i);
      else if (typeof group === "number") {
        const keyed = new Keyed<number>();
        keyed.add(group, this.keyOf(group));
        keyed.add(i, r.index);
        ctx.instances.set(configKey, keyed);
      } else group.add(i, r.index);
      return ctx;
    });
  }

  /** The instance key of the resource at `at` (count index or for_each key). */
  private keyOf(at: number): InstanceKey | undefined {
    return (this.resources[at] as ResourceInstance).index;
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
    if (ctx.path === undefined) {
      const names: string[] = [];
      for (let c: ModuleCtx | undefined = ctx; c?.step; c = c.parent) names.push(c.step.name);
      ctx.path = names.reverse().join(".");
    }
    return ctx.path;
  }

  /** Memoised `resolve` for `key`; a cycle (a module output naming itself) resolves to nothing. */
  private memoised(memo: Map<string, Targets>, key: string, resolve: (into: Targets) => void): Targets {
    const hit = memo.get(key);
    if (hit) return hit;
    memo.set(key, NO_TARGETS);
    const result = new Targets();
    resolve(result);
    // Kept for the whole build: nothing when empty (most are), else at its size.
    const kept = result.length === 0 ? NO_TARGETS : result.compact();
    memo.set(key, kept);
    return kept;
  }

  /** One `references` list, parsed once: the same lists are resolved again for every instance. */
  parse(refs: readonly string[]): ParsedRefs {
    let p = this.parsed.get(refs);
    if (!p) {
      p = parseRefs(refs);
      this.parsed.set(refs, p);
    }
    return p;
  }

  /**
   * The `references` lists under an expression, parsed, once per expression: a module call's
   * expressions are resolved again in every instance of the module.
   */
  parsedLists(expr: JsonValue | undefined): readonly ParsedRefs[] {
    if (typeof expr !== "object" || expr === null) return NONE;
    let lists = this.lists.get(expr);
    if (!lists) {
      lists = referenceLists(expr).map((refs) => this.parse(refs));
      this.lists.set(expr, lists);
    }
    return lists;
  }

  /** A `for_each` expression's references plus `each.key`, parsed: binds `each.value` (see `resolveBound`). */
  keyedForEach(forEach: readonly string[] | undefined): ParsedRefs | undefined {
    if (!forEach) return undefined;
    let keyed = this.forEachKeyed.get(forEach);
    if (!keyed) {
      keyed = parseRefs([...forEach, "each.key"]);
      this.forEachKeyed.set(forEach, keyed);
    }
    return keyed;
  }

  /** Resolve one `references` list in module instance `ctx` into `out`; `selfKey` binds count.index / each.key. */
  resolveList(
    p: ParsedRefs,
    ctx: ModuleCtx,
    selfKey: InstanceKey | undefined,
    depth: number,
    out: Targets,
  ): void {
    if (depth > MAX_DEPTH) return;
    const sameKey = p.bindSame ? selfKey : undefined;
    for (const name of p.vars) this.resolveVar(ctx, name, depth, out);
    for (const g of p.resources) {
      const group = ctx.instances.get(g.target);
      if (group === undefined) continue;
      if (typeof group !== "number") {
        for (const at of group.bind(g.keys, sameKey))
          for (const attribute of g.attrs) out.push(at, attribute);
      } else if (g.keys.length === 0 || g.keys.includes(this.keyOf(group) as InstanceKey)) {
        // What `Keyed.bind` gives a group of one: it, unless explicit keys name others only.
        for (const attribute of g.attrs) out.push(group, attribute);
      }
    }
    for (const g of p.modules) {
      const group = ctx.children.get(g.name);
      if (!group) continue;
      for (const child of group.bind(g.keys, sameKey))
        for (const output of g.outputs) this.resolveOutput(child, output, depth, out);
    }
  }

  /**
   * `resolveList`, plus `each.value`: with `for_each = aws_s3_bucket.team` and `bucket =
   * each.value.id` the references name only `each.value`, so the instance is found through the
   * `for_each` expression (`keyedForEach`), by the same key.
   */
  resolveBound(
    p: ParsedRefs,
    ctx: ModuleCtx,
    selfKey: InstanceKey | undefined,
    keyedForEach: ParsedRefs | undefined,
    depth: number,
    out: Targets,
  ): void {
    this.resolveList(p, ctx, selfKey, depth, out);
    if (!keyedForEach || selfKey === undefined || !p.eachValue) return;
    const from = out.length;
    this.resolveList(keyedForEach, ctx, selfKey, depth, out);
    // Each instance found is named through `each.value.X`: X, whatever the `for_each` list named.
    for (let k = from; k < out.length; k++) out.attribute[k] = p.eachValueAttribute;
  }

  /** `var.NAME` inside module instance `ctx`: the call's expression for NAME, in the parent. */
  private resolveVar(ctx: ModuleCtx, name: string, depth: number, out: Targets): void {
    const { step, parent } = ctx;
    if (!step || !parent) return;
    ctx.vars ??= new Map();
    // Looked up before the closure is made: most calls find it.
    const found =
      ctx.vars.get(name) ??
      this.memoised(ctx.vars, name, (result) => {
        const call = this.config.modules.get(this.path(parent))?.calls.get(step.name);
        const keyed = this.keyedForEach(call?.forEach);
        for (const p of this.parsedLists(call?.expressions[name]))
          this.resolveBound(p, parent, step.key, keyed, depth + 1, result);
      });
    out.pushAll(found);
  }

  /** `module.M.OUT` seen from the parent: the output's expression inside child instance `child`. */
  private resolveOutput(child: ModuleCtx, output: string, depth: number, out: Targets): void {
    child.outputs ??= new Map();
    const found =
      child.outputs.get(output) ??
      this.memoised(child.outputs, output, (result) => {
        const expr = this.config.modules.get(this.path(child))?.outputs.get(output);
        for (const p of this.parsedLists(expr)) this.resolveList(p, child, undefined, depth + 1, result);
      });
    out.pushAll(found);
  }
}

/** A link of one resource to another (by position) through one attribute, before links are deduplicated. */
interface Direct {
  readonly to: number;
  readonly via: string;
  /** The attributes of `to` named (a few: those a block's references name), each once. Shared: copied to add one. */
  attributes: readonly string[];
}

const NO_ATTRIBUTES: readonly string[] = Object.freeze([]);

/**
 * Most reference links a plan may have. Real plans have a few per resource; a plan where thousands
 * of instances each refer to thousands of others (a counted resource referring to a whole counted
 * resource) makes millions, and every stage after multiplies them (2,000 x 2,000 ended in
 * "Invalid string length" in the reporters after 35 s). Such a graph is refused, early.
 */
export function maxLinks(resources: number): number {
  return Math.max(200_000, 50 * resources);
}

function tooDense(limit: number, resources: number, at: string, file: string | undefined): InputError {
  return new InputError(
    `the plan's references make more than ${limit} links between ${resources} resources (at ${at}); plangate does not judge a graph this dense`,
    file,
  );
}

/**
 * Links are by address, and an address is one resource's in a plan, except a deposed object's (it
 * shares its current object's) or a broken plan's. `of(at)` is the position that stands for the
 * address of position `at`: `at` itself when every address is unique, else (looked up only then)
 * the last current object with that address.
 */
class Owners {
  private readonly byAddress: Map<string, number> | undefined;

  constructor(
    private readonly resources: readonly ResourceInstance[],
    unique: boolean,
  ) {
    if (unique) return;
    const byAddress = new Map<string, number>();
    resources.forEach((r, at) => {
      if (r.deposed === undefined) byAddress.set(r.address, at);
    });
    this.byAddress = byAddress;
  }

  of(at: number): number {
    if (!this.byAddress) return at;
    return this.byAddress.get((this.resources[at] as ResourceInstance).address) ?? at;
  }
}

/** Attributes with up to this many links are scanned for a target named twice; more keep a map. */
const SCAN_TARGETS = 8;

/**
 * One attribute's links, one per target (by owner): the indices of the links in the resource's
 * list so far. Reused: `start` begins the next attribute.
 */
class OnePerTarget {
  /** The index of this attribute's first link, and how many it has: they are consecutive. */
  private first = 0;
  private count = 0;
  /** The owner of each of this attribute's links' target, by index from `first`. */
  private readonly owners: number[] = [];
  private readonly byOwner = new Map<number, number>();

  start(first: number): void {
    this.first = first;
    this.count = 0;
    if (this.byOwner.size > 0) this.byOwner.clear();
  }

  /** The index of this attribute's link to `owner`, or -1. */
  get(owner: number): number {
    if (this.count > SCAN_TARGETS) return this.byOwner.get(owner) ?? -1;
    for (let j = 0; j < this.count; j++) if (this.owners[j] === owner) return this.first + j;
    return -1;
  }

  /** The next link (index `first + count`) goes to `owner`. */
  add(owner: number): void {
    this.owners[this.count++] = owner;
    if (this.count === SCAN_TARGETS + 1)
      for (let j = 0; j < this.count; j++) this.byOwner.set(this.owners[j] as number, this.first + j);
    else if (this.count > SCAN_TARGETS) this.byOwner.set(owner, this.first + this.count - 1);
  }
}

/** The references of a block's expressions, by attribute, parsed: once per block, not per instance. */
interface BlockRefs {
  /** Objects, not [via, lists] pairs: destructuring a pair per attribute per instance made an iterator each. */
  readonly byVia: readonly { readonly via: string; readonly lists: readonly ParsedRefs[] }[];
  readonly keyedForEach: ParsedRefs | undefined;
}

/**
 * Each resource's direct links (by position; undefined when it has none), each target once per
 * attribute. Throws `InputError` when there are more than `maxLinks`.
 */
function directLinks(
  resources: readonly ResourceInstance[],
  resolver: Resolver,
  owners: Owners,
  file: string | undefined,
): (Direct[] | undefined)[] {
  const direct: (Direct[] | undefined)[] = new Array(resources.length);
  const limit = maxLinks(resources.length);
  const blocks = new Map<ConfigResource, BlockRefs>();
  const targets = new Targets();
  const perTarget = new OnePerTarget();
  /** The links of the resource at hand, copied out at its end at their size (a list grown by push holds 17). */
  const scratch: Direct[] = [];
  /** One-attribute lists, shared: most links name one attribute (`id`, `arn`). */
  const single = new Map<string, readonly string[]>();
  let total = 0;
  resources.forEach((r, i) => {
    const ctx = resolver.ctxs[i];
    if (!r.config || !ctx) return;
    let block = blocks.get(r.config);
    if (!block) {
      block = {
        byVia: Object.entries(r.config.expressions).map(([via, expr]) => ({
          via,
          lists: resolver.parsedLists(expr),
        })),
        keyedForEach: resolver.keyedForEach(r.config.forEachExpression?.references),
      };
      blocks.set(r.config, block);
    }
    let n = 0;
    for (const { via, lists } of block.byVia) {
      targets.clear();
      for (const p of lists) resolver.resolveBound(p, ctx, r.index, block.keyedForEach, 0, targets);
      perTarget.start(n);
      for (let k = 0; k < targets.length; k++) {
        const to = targets.at[k] as number;
        if (resources[to] === r) continue;
        const owner = owners.of(to);
        let j = perTarget.get(owner);
        if (j < 0) {
          j = n++;
          scratch[j] = { to, via, attributes: NO_ATTRIBUTES };
          perTarget.add(owner);
        }
        const attribute = targets.attribute[k];
        const d = scratch[j] as Direct;
        if (!attribute || d.attributes.includes(attribute)) continue;
        if (d.attributes.length > 0) d.attributes = [...d.attributes, attribute];
        else {
          let one = single.get(attribute);
          if (!one) {
            one = [attribute];
            single.set(attribute, one);
          }
          d.attributes = one;
        }
      }
    }
    if (n === 0) return;
    direct[i] = scratch.slice(0, n);
    total += n;
    if (total > limit) throw tooDense(limit, resources.length, r.address, file);
  });
  return direct;
}

/** A target's direct links, and the positions among them of those a link to it is followed through, by `via`. */
interface Followed {
  readonly links: readonly Direct[];
  readonly byVia: ReadonlyMap<string, readonly number[]>;
}

const NOT_FOLLOWED: Followed = { links: [], byVia: new Map() };

/**
 * Which direct links of a target a link to it can be followed through: only those to a
 * companion's parent (`aws_s3_bucket` for an `aws_s3_bucket_policy`), by `via`. Indexed once per
 * target: a hub that thousands refer to, itself linked to thousands, made every referrer scan all
 * of the hub's links (quadratic: 20,000 x 20,000 took 12 s and made no link at all).
 */
class Companions {
  private readonly byTarget: (Followed | undefined)[];

  constructor(
    private readonly resources: readonly ResourceInstance[],
    /** Direct links by owner (see `Owners`). */
    private readonly direct: readonly (readonly Direct[] | undefined)[],
    private readonly owners: Owners,
  ) {
    this.byTarget = new Array(resources.length);
  }

  of(target: number): Followed {
    let f = this.byTarget[target];
    if (!f) {
      const links = this.direct[this.owners.of(target)];
      const { type } = this.resources[target] as ResourceInstance;
      let byVia: Map<string, number[]> | undefined;
      links?.forEach((n, i) => {
        // A bucket's name built from a random_id does not make its policy a companion of the random_id.
        if (!type.startsWith(`${(this.resources[n.to] as ResourceInstance).type}_`)) return;
        byVia ??= new Map();
        const list = byVia.get(n.via);
        if (list) list.push(i);
        else byVia.set(n.via, [i]);
      });
      f = links && byVia ? { links, byVia } : NOT_FOLLOWED;
      this.byTarget[target] = f;
    }
    return f;
  }
}

/**
 * A refers to B's attribute X, and B's X came from a reference to C: A refers to C as well.
 * For `id` (which providers derive from the parent, e.g. a bucket policy's id is its bucket) B's
 * link through the same `via` as A's is followed: `bucket = aws_s3_bucket_policy.this[0].id`.
 * A is the resource at position `at`, its direct links `links`; C's links go to `out`.
 */
function addTransitiveLinks(
  at: number,
  links: readonly Direct[],
  resources: readonly ResourceInstance[],
  companions: Companions,
  out: LinkGroups,
): void {
  const from = resources[at] as ResourceInstance;
  for (const d of links) {
    const next = companions.of(d.to);
    if (next.byVia.size === 0) continue;
    const to = resources[d.to] as ResourceInstance;
    const through = new Set<string>();
    for (const a of d.attributes) {
      if (to.config && Object.hasOwn(to.config.expressions, a)) through.add(a);
      if (a === "id") through.add(d.via);
    }
    const found: number[] = [];
    for (const via of through) for (const i of next.byVia.get(via) ?? []) found.push(i);
    // In the order of the target's links (each has one `via`: no position comes twice).
    if (through.size > 1) found.sort((a, b) => a - b);
    for (const i of found) {
      const n = next.links[i];
      const end = n && (resources[n.to] as ResourceInstance);
      if (end && end !== from)
        out.add(at, { from: from.address, to: end.address, via: d.via, kind: "transitive" });
    }
  }
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
  /** The model's resources by address, when the caller made it: says whether addresses repeat. */
  byAddress?: ReadonlyMap<string, ResourceInstance>,
): LinkIndex {
  const unique = (byAddress?.size ?? new Set(resources.map((r) => r.address)).size) === resources.length;
  const owners = new Owners(resources, unique);
  const byPosition = directLinks(resources, new Resolver(resources, config, modules), owners, file);
  // A repeated address's links are those of the last of its objects that has some.
  const direct = unique ? byPosition : byOwner(byPosition, owners);
  const companions = new Companions(resources, direct, owners);
  const limit = maxLinks(resources.length);
  const links = new LinkGroups(resources.length, owners);
  resources.forEach((r, at) => {
    const ds = direct[owners.of(at)];
    if (!ds || r.deposed !== undefined) return;
    for (const d of ds) {
      const to = (resources[d.to] as ResourceInstance).address;
      links.add(at, { from: r.address, to, via: d.via, kind: "reference" });
    }
    addTransitiveLinks(at, ds, resources, companions, links);
    // Transitive links multiply: N referrers of a hub linked to M make N x M of them.
    if (links.size > limit) throw tooDense(limit, resources.length, r.address, file);
  });
  // By value only where configuration did not say: a literal name, or a plan without configuration.
  valueLinks(resources, links);
  return links.inPlanOrder(resources);
}

function byOwner(byPosition: readonly (Direct[] | undefined)[], owners: Owners): (Direct[] | undefined)[] {
  const out: (Direct[] | undefined)[] = new Array(byPosition.length);
  byPosition.forEach((ds, at) => {
    if (ds) out[owners.of(at)] = ds;
  });
  return out;
}

/** Groups up to this size are scanned for a duplicate; bigger ones keep a set of keys. */
const SCAN = 8;

const linkKey = (l: Link): string => `${l.to}${SEP}${l.via}`;

/**
 * Links by source (the owner of its position, see `Owners`), each (from, to, via) once, in the
 * order added. A source's list is the very list `outgoing` holds: nothing else is kept per source
 * but for the few with more links than SCAN.
 */
class LinkGroups implements ValueLinkSink {
  private readonly groups: (Link[] | undefined)[];
  /** `to` + `via` of every link of a group too big to scan, by owner. */
  private readonly keys = new Map<number, Set<string>>();
  /** `via`s of the reference and transitive links of a group too big to scan, by owner, once asked. */
  private readonly referenced = new Map<number, ReadonlySet<string>>();
  /** Links held. */
  size = 0;

  constructor(
    resources: number,
    private readonly owners: Owners,
  ) {
    this.groups = new Array(resources);
  }

  /** Add `l`, a link of the resource at position `at`. */
  add(at: number, l: Link): void {
    const owner = this.owners.of(at);
    const links = this.groups[owner];
    if (!links) {
      // Made with its first link: a list grown from empty by push holds 17.
      this.groups[owner] = [l];
      this.size++;
      return;
    }
    const keys = links.length > SCAN ? this.keys.get(owner) : undefined;
    if (keys ? keys.has(linkKey(l)) : links.some((x) => x.to === l.to && x.via === l.via)) return;
    links.push(l);
    keys?.add(linkKey(l));
    if (links.length === SCAN + 1) this.keys.set(owner, new Set(links.map(linkKey)));
    this.size++;
  }

  /** The resource at `at` has a reference or transitive link through `via`. Asked once those are all added. */
  refersThrough(at: number, via: string): boolean {
    const owner = this.owners.of(at);
    const links = this.groups[owner];
    if (!links) return false;
    if (links.length <= SCAN) return links.some((l) => l.kind !== "value" && l.via === via);
    let referenced = this.referenced.get(owner);
    if (!referenced) {
      referenced = new Set(links.filter((l) => l.kind !== "value").map((l) => l.via));
      this.referenced.set(owner, referenced);
    }
    return referenced.has(via);
  }

  /**
   * Grouped by source in plan order, so `outgoing` and the flat list agree; indexed by source and
   * target. Called last: the groups are handed over, and nothing is held here after.
   */
  inPlanOrder(resources: readonly ResourceInstance[]): LinkIndex {
    const links: Link[] = [];
    const outgoing = new Map<string, Link[]>();
    const incoming = new Map<string, Link[]>();
    resources.forEach((r, at) => {
      const owner = this.owners.of(at);
      const group = this.groups[owner];
      if (!group) return;
      // Entries that share an address share a group: placed with the first (and dropped here).
      this.groups[owner] = undefined;
      // A group is never empty, and is not changed after this: it is the source's list.
      outgoing.set(r.address, group);
      // A loop, not push(...spread): one source can have more links than a call can take arguments.
      for (const l of group) {
        links.push(l);
        const to = incoming.get(l.to);
        if (to) to.push(l);
        else incoming.set(l.to, [l]);
      }
    });
    return { links, outgoing, incoming };
  }
}
