/**
 * Links by known value: a referring attribute whose value is a name or ARN some resource is known
 * by (a literal bucket name in `target_bucket`), where the configuration has no reference. A name
 * only links when the attribute speaks of the target's kind; ARNs always link.
 */
import { isObject } from "./config.js";
import { KindsNamed } from "./kinds-named.js";
import type { Link, ResourceInstance } from "./types.js";
import { knownAt } from "./values.js";

/** Attributes whose known value names a resource; `bucket` only on bucket types (elsewhere it points at one). */
function identityAttributes(type: string): readonly string[] {
  return type.endsWith("_bucket") ? BUCKET_IDENTITY : IDENTITY;
}
const IDENTITY: readonly string[] = ["id", "arn", "name"];
const BUCKET_IDENTITY: readonly string[] = ["bucket", ...IDENTITY];
const DATA_IDENTITY: readonly string[] = ["arn"];
const DATA_BUCKET_IDENTITY: readonly string[] = ["bucket", "arn"];

/**
 * What a resource is known by. A data source's id and name are often not identities at all
 * (`data.aws_region` has name and id `us-east-1`, `data.aws_partition` id `aws`).
 */
function indexedAttributes(r: ResourceInstance): readonly string[] {
  if (r.mode !== "data") return identityAttributes(r.type);
  return r.type.endsWith("_bucket") ? DATA_BUCKET_IDENTITY : DATA_IDENTITY;
}

function knownString(r: ResourceInstance, attr: string): string | undefined {
  const v = knownAt(r.after, attr);
  return typeof v === "string" && v !== "" ? v : undefined;
}

interface Named {
  readonly resource: ResourceInstance;
  readonly attribute: string;
  /** The group it is found in (see `ValueIndex.groupOf`). */
  readonly group: string;
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

/** A type's kind: its last word (`aws_s3_bucket`: `bucket`). */
function kindOf(type: string): string {
  return type.slice(type.lastIndexOf("_") + 1);
}

/** Values known by at most this many resources are filtered as they are; longer lists are grouped. */
const SCAN_NAMED = 8;

/**
 * The resources each value names (a bucket's name, a role's ARN), in index order. One flat list
 * per value: nearly every value names one resource, and a map of groups for each (50,000 maps in
 * a 50,000-resource plan) was most of the index's memory. A long list is grouped by kind once,
 * when first looked up, so that a value many resources share (every security group named
 * `default`) costs the groups an attribute names, not the list's length.
 */
class ValueIndex {
  private readonly byValue = new Map<string, Named[]>();
  private readonly grouped = new Map<readonly Named[], Map<string, Named[]>>();
  /** The kinds of the resources indexed (never empty, never ARN_GROUP). */
  readonly kinds = new Set<string>();
  /** The longest value indexed: longer ones (policy documents) need not be looked up (nor hashed). */
  longest = 0;
  private order = 0;

  /** Kinds by type, each cut once: a plan has a few dozen types and tens of thousands of resources. */
  private readonly kindByType = new Map<string, string>();

  add(value: string, resource: ResourceInstance, attribute: string): void {
    const named: Named = {
      resource,
      attribute,
      group: this.groupOf(resource, attribute),
      order: this.order++,
    };
    if (named.group !== ARN_GROUP && named.group !== "") this.kinds.add(named.group);
    const list = this.byValue.get(value);
    if (list) list.push(named);
    else {
      this.byValue.set(value, [named]);
      this.longest = Math.max(this.longest, value.length);
    }
  }

  /** The group a resource is found in by `attribute`: ARN_GROUP for ARNs, else its kind. */
  private groupOf(resource: ResourceInstance, attribute: string): string {
    if (attribute === "arn") return ARN_GROUP;
    let kind = this.kindByType.get(resource.type);
    if (kind === undefined) {
      kind = kindOf(resource.type);
      this.kindByType.set(resource.type, kind);
    }
    return kind;
  }

  get(value: string): readonly Named[] | undefined {
    return this.byValue.get(value);
  }

  /**
   * The resources known by a value (`list`, from `get`) that an attribute can plausibly name, in
   * index order: those in the ARN group and in the groups of `kinds` (the kinds the attribute
   * names, each once).
   */
  plausible(list: readonly Named[], kinds: readonly string[]): readonly Named[] {
    if (list.length <= SCAN_NAMED)
      return list.filter((t) => t.group === ARN_GROUP || kinds.includes(t.group));
    const groups = this.groupsOf(list);
    const lists: (readonly Named[])[] = [];
    for (const group of [ARN_GROUP, ...kinds]) {
      const found = groups.get(group);
      if (found) lists.push(found);
    }
    // A value that many resources are known by names none of them: link none. Linking every pair
    // is quadratic (a hostile plan of 2,000 buckets and 2,000 companions sharing one name made 4
    // million links and crashed the reporters).
    const total = lists.reduce((n, found) => n + found.length, 0);
    if (total > MAX_VALUE_TARGETS) return [];
    if (lists.length <= 1) return lists[0] ?? [];
    return lists.flat().sort((a, b) => a.order - b.order);
  }

  private groupsOf(list: readonly Named[]): Map<string, Named[]> {
    let groups = this.grouped.get(list);
    if (!groups) {
      groups = new Map();
      for (const t of list) {
        const found = groups.get(t.group);
        if (found) found.push(t);
        else groups.set(t.group, [t]);
      }
      this.grouped.set(list, groups);
    }
    return groups;
  }
}

function indexedAlready(values: readonly string[], seen: number, v: string): boolean {
  for (let i = 0; i < seen; i++) if (values[i] === v) return true;
  return false;
}

/** Where links by value go: the plan's links so far, by source position. */
export interface ValueLinkSink {
  /** The resource at `at` refers through `attribute` already by configuration: no link by value. */
  refersThrough(at: number, attribute: string): boolean;
  add(at: number, link: Link): void;
}

/** Add the links by value of every resource (`at` its position) that configuration did not make. */
export function valueLinks(resources: readonly ResourceInstance[], sink: ValueLinkSink): void {
  const index = new ValueIndex();
  /** A resource's values indexed so far, `seen` of them: each is indexed once (reused, not made per resource). */
  const values: string[] = [];
  for (const r of resources) {
    if (r.deposed !== undefined || r.mode === "ephemeral") continue;
    let seen = 0;
    const attributes = indexedAttributes(r);
    for (let a = 0; a < attributes.length; a++) {
      const attribute = attributes[a] as string;
      const v = knownString(r, attribute);
      if (v === undefined || indexedAlready(values, seen, v)) continue;
      values[seen++] = v;
      index.add(v, r, attribute);
    }
  }
  const named = new KindsNamed([...index.kinds]);
  resources.forEach((r, at) => {
    const value = r.after.value;
    if (r.deposed !== undefined || r.mode === "ephemeral" || !isObject(value)) return;
    const own = identityAttributes(r.type);
    // for-in, not Object.keys: no list of keys made per resource (inherited keys are skipped).
    for (const attr in value) {
      // A resource's own name is not a reference to anything.
      if (!Object.hasOwn(value, attr) || own.includes(attr)) continue;
      // Most values name nothing indexed: look that up first, then whether the value is known
      // and not sensitive (a known string value is the attribute's own).
      const v = value[attr];
      const list = typeof v === "string" && v.length <= index.longest ? index.get(v) : undefined;
      if (!list || knownString(r, attr) === undefined || sink.refersThrough(at, attr)) continue;
      const targets = index
        .plausible(list, named.in(attr))
        .filter((t) => t.resource !== r)
        .map((t) => t.resource);
      for (const t of preferParents(r, targets))
        sink.add(at, { from: r.address, to: t.address, via: attr, kind: "value" });
    }
  });
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
