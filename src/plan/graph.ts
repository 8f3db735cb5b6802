/**
 * The resource graph: which instance refers to which, and through which attribute (`via`).
 *
 * Links come from `configuration` references, resolved to instances by references.ts; then
 * transitive links (through a companion's `id`, e.g. a bucket policy's) and links by known value
 * (a literal bucket name). Linear in the size of the plan: everything is looked up in maps.
 */
import type { ConfigIndex } from "./config.js";
import { type ModuleOf, type ParsedRefs, Resolver, Targets } from "./references.js";
import { type ConfigResource, InputError, type Link, type ResourceInstance } from "./types.js";
import { type ValueLinkSink, valueLinks } from "./value-links.js";

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

/** Joins a link's target and attribute into a set key: a character no address or attribute holds. */
const SEP = "\u0000";

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
