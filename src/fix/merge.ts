/**
 * Merge the fixes of several rules into one set of edits per resource, ESLint style: edits that
 * agree (or do not touch the same path) are kept; edits that disagree on a path are all reported
 * as not applied — dropping every side, not the first seen, keeps the output independent of order.
 */

import type { FixEdit, RuleResult } from "../engine/types.js";
import type { AttrPath, JsonValue } from "../plan/types.js";
import { formatPath } from "../plan/values.js";

export interface Conflict {
  readonly address: string;
  readonly path: string;
  /** The rules whose edits disagree. */
  readonly rules: readonly string[];
  readonly edits: readonly FixEdit[];
}

export interface MergedFixes {
  /** Edits per resource address (a companion's edits sit under the subject it links to). */
  readonly edits: ReadonlyMap<string, readonly FixEdit[]>;
  readonly conflicts: readonly Conflict[];
  /** Hints of every failed result, deduplicated, in a stable order. */
  readonly hints: readonly string[];
}

const canon = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => sortKeys(x));
function sortKeys(x: unknown): unknown {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return x;
  const o = x as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  );
}

function isPrefix(a: AttrPath, b: AttrPath): boolean {
  return a.length <= b.length && a.every((s, i) => s === b[i]);
}

/** The value `root` holds at `path`, or undefined. */
function valueAt(root: JsonValue, path: AttrPath): JsonValue | undefined {
  let v: JsonValue | undefined = root;
  for (const step of path) {
    if (v === null || typeof v !== "object") return undefined;
    if (typeof step === "number") v = Array.isArray(v) ? v[step] : undefined;
    else v = !Array.isArray(v) && Object.hasOwn(v, step) ? v[step] : undefined;
  }
  return v;
}

/** Merge two companion attribute objects; undefined when a leaf disagrees. */
function mergeValues(a: JsonValue, b: JsonValue): JsonValue | undefined {
  if (canon(a) === canon(b)) return a;
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: JsonValue[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const x = a[i];
      const y = b[i];
      if (x === undefined) out.push(y as JsonValue);
      else if (y === undefined) out.push(x);
      else {
        const m = mergeValues(x, y);
        if (m === undefined) return undefined;
        out.push(m);
      }
    }
    return out;
  }
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const out: { [k: string]: JsonValue } = {};
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const x = Object.hasOwn(a, k) ? a[k] : undefined;
      const y = Object.hasOwn(b, k) ? b[k] : undefined;
      const m = x === undefined ? y : y === undefined ? x : mergeValues(x, y);
      if (m === undefined) return undefined;
      Object.defineProperty(out, k, { value: m, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return undefined;
}

interface Tagged {
  readonly edit: FixEdit;
  readonly rule: string;
}

/** A sort key that orders edits the same way whatever the input order. */
function editKey(e: FixEdit): string {
  switch (e.op) {
    case "set":
    case "remove":
      return `1 ${formatPath(e.path)} ${e.op} ${canon(e.op === "set" ? e.value : null)}`;
    case "add-resource":
      return `0 ${e.address}`;
    case "remove-resource":
      return `0 ${e.address} remove`;
    default:
      return `2 ${formatPath(e.path)} ${e.op} ${e.index ?? -1} ${canon(e.statement)}`;
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Sort by a string key computed once per item (edit keys print values: computing them in the
 * comparator printed each value once per comparison); ties keep `tie`'s order, then input order.
 */
function sortByKey<T>(items: readonly T[], key: (t: T) => string, tie: (a: T, b: T) => number): T[] {
  if (items.length < 2) return [...items];
  return items
    .map((item) => ({ item, key: key(item) }))
    .sort((a, b) => compare(a.key, b.key) || tie(a.item, b.item))
    .map((x) => x.item);
}

/** Do two attribute edits agree? (same path and value, or one's value covers the other's path). */
function agree(a: FixEdit, b: FixEdit): boolean {
  if ((a.op !== "set" && a.op !== "remove") || (b.op !== "set" && b.op !== "remove")) return true;
  const [short, long] = a.path.length <= b.path.length ? [a, b] : [b, a];
  if (!isPrefix(short.path, long.path)) return true;
  if (short.op === "remove" && long.op === "remove") return true;
  if (short.op !== "set" || long.op !== "set") return false;
  const rest = long.path.slice(short.path.length);
  const inner = valueAt(short.value, rest);
  return inner !== undefined && canon(inner) === canon(long.value);
}

/**
 * The edits of a subject whose every edit adds a companion of a type no other adds, in the order
 * `mergeAddress` gives them (by address, then rule): nothing merges or conflicts. Undefined for
 * any other subject. The common case of a fix pass (a bucket lacking several companions), without
 * a printed sort key per edit.
 */
function distinctCompanions(tagged: readonly Tagged[]): FixEdit[] | undefined {
  const types = new Set<string>();
  for (const t of tagged) {
    if (t.edit.op !== "add-resource" || types.has(t.edit.type)) return undefined;
    types.add(t.edit.type);
  }
  // An add-resource edit's key is `0 <address>`: the same order as the address (a stable sort).
  return [...tagged]
    .sort((a, b) => compare(a.edit.address, b.edit.address) || compare(a.rule, b.rule))
    .map((t) => t.edit);
}

function mergeAddress(address: string, tagged: readonly Tagged[], conflicts: Conflict[]): FixEdit[] {
  // One edit merges to itself, whatever its kind: most resources of a big plan's fix pass have one,
  // and keying and sorting it (a printed path and value) was most of this function's time.
  const only = tagged.length === 1 ? tagged[0] : undefined;
  if (only) return [only.edit];
  // A resource that must go takes every other edit of its own with it (companions stay: they
  // belong to other resources only by link).
  const removal = tagged.find((t) => t.edit.op === "remove-resource" && t.edit.address === address);
  if (removal) return [removal.edit];
  const distinct = distinctCompanions(tagged);
  if (distinct) return distinct;
  const sorted = sortByKey(
    tagged,
    (t) => editKey(t.edit),
    (x, y) => compare(x.rule, y.rule),
  );
  // Companions of the same type for the same subject are one resource holding every requirement.
  const companions = new Map<string, { edit: Extract<FixEdit, { op: "add-resource" }>; rules: string[] }>();
  const bad = new Set<Tagged>();
  const out: FixEdit[] = [];
  for (const t of sorted) {
    if (t.edit.op !== "add-resource") continue;
    const key = `${t.edit.type} ${t.edit.linkTo}`;
    const prev = companions.get(key);
    if (!prev) {
      companions.set(key, { edit: t.edit, rules: [t.rule] });
      continue;
    }
    const attributes = mergeValues(prev.edit.attributes, t.edit.attributes);
    if (attributes === undefined) {
      conflicts.push({
        address: prev.edit.address,
        path: "",
        rules: [...prev.rules, t.rule],
        edits: [prev.edit, t.edit],
      });
      continue;
    }
    const documents = { ...t.edit.documents, ...prev.edit.documents };
    companions.set(key, {
      edit: {
        ...prev.edit,
        attributes,
        references: { ...t.edit.references, ...prev.edit.references },
        ...(Object.keys(documents).length > 0 ? { documents } : {}),
      },
      rules: [...prev.rules, t.rule],
    });
  }
  out.push(...[...companions.values()].map((c) => c.edit));
  const attrs = sorted.filter((t) => t.edit.op === "set" || t.edit.op === "remove");
  for (let i = 0; i < attrs.length; i++) {
    for (let j = i + 1; j < attrs.length; j++) {
      const a = attrs[i] as Tagged;
      const b = attrs[j] as Tagged;
      if (!agree(a.edit, b.edit)) {
        bad.add(a);
        bad.add(b);
      }
    }
  }
  const byPath = new Map<string, Tagged[]>();
  for (const t of attrs) {
    if (!bad.has(t)) {
      const k = canon(t.edit);
      if (!byPath.has(k)) byPath.set(k, [t]);
      continue;
    }
    if (t.edit.op !== "set" && t.edit.op !== "remove") continue;
    const p = formatPath(t.edit.path);
    byPath.set(`conflict ${p}`, [...(byPath.get(`conflict ${p}`) ?? []), t]);
  }
  for (const [k, list] of byPath) {
    if (k.startsWith("conflict ")) {
      conflicts.push({
        address,
        path: k.slice("conflict ".length),
        rules: [...new Set(list.map((t) => t.rule))].sort(),
        edits: list.map((t) => t.edit),
      });
    } else out.push((list[0] as Tagged).edit);
  }
  const seen = new Set<string>();
  for (const t of sorted) {
    if (t.edit.op !== "add-statement" && t.edit.op !== "replace-statement") continue;
    const k = editKey(t.edit);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(t.edit);
    }
  }
  return sortByKey(out, editKey, () => 0);
}

/** The edits one rule's fix makes; `rule` is its qualified id (`pack/rule`). */
export interface RuleEdits {
  readonly rule: string;
  readonly edits: readonly FixEdit[];
}

/** Merge the edits of several rules' fixes into one edit list per resource. */
export function mergeEdits(fixes: readonly RuleEdits[]): Pick<MergedFixes, "edits" | "conflicts"> {
  const byAddress = new Map<string, Tagged[]>();
  for (const { rule, edits } of fixes) {
    for (const edit of edits) {
      // Companions are grouped with their subject so one subject's fixes land together.
      const key = edit.op === "add-resource" ? edit.linkTo : edit.address;
      const list = byAddress.get(key);
      if (list) list.push({ edit, rule });
      else byAddress.set(key, [{ edit, rule }]);
    }
  }
  const conflicts: Conflict[] = [];
  const edits = new Map<string, readonly FixEdit[]>();
  for (const address of [...byAddress.keys()].sort()) {
    edits.set(address, mergeAddress(address, byAddress.get(address) ?? [], conflicts));
  }
  conflicts.sort((a, b) => (`${a.address} ${a.path}` < `${b.address} ${b.path}` ? -1 : 1));
  return { edits, conflicts };
}

/** Merge the fixes of the failed results into one edit list per resource. */
export function mergeFixes(results: readonly RuleResult[]): MergedFixes {
  const fixes: RuleEdits[] = [];
  const hints = new Set<string>();
  for (const r of results) {
    if (r.status !== "fail" || !r.fix) continue;
    for (const h of r.fix.hints) hints.add(h);
    fixes.push({ rule: `${r.pack}/${r.rule}`, edits: r.fix.edits });
  }
  return { ...mergeEdits(fixes), hints: [...hints].sort() };
}
