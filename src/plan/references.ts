/**
 * References resolved to resource instances, for the resource graph (graph.ts): `configuration`
 * references, module-aware (`var.X` is followed into the module call in the parent, `module.M.OUT`
 * into the child's output), bound to instances by explicit keys, `count.index` / `each.key` (same
 * key), or else to every instance in the same module instance.
 */
import {
  type InstanceKey,
  type ModuleStep,
  parseAddress,
  parseReference,
  resourceConfigKey,
} from "./address.js";
import { type ConfigIndex, isObject } from "./config.js";
import type { JsonValue, ResourceInstance } from "./types.js";

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
  vars?: Map<string, ReadonlyTargets>;
  /** What `module.M.OUT` resolves to when this is an instance of M, by OUT, once asked. */
  outputs?: Map<string, ReadonlyTargets>;
}

function newModuleCtx(parent: ModuleCtx | undefined, step: ModuleStep | undefined): ModuleCtx {
  return { parent, step, instances: new Map(), children: new Map(), byStep: new Map() };
}

/** A resource's module instance, from a caller that parsed its address already: one object per instance. */
export interface ModuleOf {
  readonly steps: readonly ModuleStep[];
}

/**
 * Targets to read only: what the memos keep and hand to every referrer, so never pushed into (a
 * push would change what every later lookup of the same `var.X` / `module.M.OUT` finds).
 */
export interface ReadonlyTargets {
  readonly length: number;
  readonly at: readonly number[];
  readonly attribute: readonly (string | undefined)[];
}

/**
 * Resolved references: the instances referred to (by position in the plan) and the attribute of
 * each that was named, as two parallel lists filled in place. A list of target objects for every
 * list resolved, for every instance, was most of what building the links allocated.
 */
export class Targets implements ReadonlyTargets {
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

  pushAll(t: ReadonlyTargets): void {
    // Its length read once: `t` may be this list, which the loop grows.
    const n = t.length;
    for (let k = 0; k < n; k++) this.push(t.at[k] as number, t.attribute[k]);
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

/**
 * What a reference cycle (a module output naming itself) resolves to, and what an empty result is
 * kept as. Shared by every memo, so it cannot be filled: it has no `push`, and it is frozen.
 */
export const NO_TARGETS: ReadonlyTargets = Object.freeze({
  length: 0,
  at: Object.freeze([]),
  attribute: Object.freeze([]),
});

const MAX_DEPTH = 64;

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
export interface ParsedRefs {
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

export class Resolver {
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
  private memoised(
    memo: Map<string, ReadonlyTargets>,
    key: string,
    resolve: (into: Targets) => void,
  ): ReadonlyTargets {
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
