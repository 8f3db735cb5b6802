/**
 * `applyFixToModel`: the plan model as it would be if a fix were applied — values set or removed,
 * statements added, companion resources created and linked to their subject. Pure; used to prove
 * that a derived fix makes its rule pass (evaluate again on the result), and by `plangate fix` users
 * who want to preview the outcome.
 */

import type { Fix, FixEdit, PolicyStatement } from "../engine/types.js";
import { formatKey } from "../plan/address.js";
import type {
  Action,
  AttributeValues,
  AttrPath,
  JsonObject,
  JsonValue,
  Link,
  PlanModel,
  ResourceInstance,
  ValueMask,
} from "../plan/types.js";
import { lookup } from "../plan/values.js";
import { removeAt, setIn } from "./paths.js";
import { parsePolicy, statementJson } from "./statement.js";

/** Clear a mask at `path` (the new value there is known and not sensitive), keeping its shape. */
function clearMask(mask: ValueMask, path: AttrPath): ValueMask {
  if (mask === true) {
    // The whole parent was unknown: only the edited path becomes known; siblings stay unknown is not
    // expressible without the value's shape, so the edited path wins and the rest stays as it was.
    return setIn({}, path, false);
  }
  if (mask === null || typeof mask !== "object") return mask;
  return removeAt(mask, path);
}

function withAfter(
  r: ResourceInstance,
  value: JsonValue,
  unknown: ValueMask,
  sensitive: ValueMask,
): ResourceInstance {
  return { ...r, after: { value, unknown, sensitive } };
}

/**
 * The configuration with `path` removed: `configured` assertions read the configuration, not the
 * planned values, so a removed inline block must leave both (else the rule never passes again).
 * A single nested block is an object in `expressions`: an index into it is the block itself.
 */
function withoutConfigured(r: ResourceInstance, path: AttrPath): ResourceInstance {
  if (!r.config) return r;
  const steps: (string | number)[] = [];
  let node: JsonValue | undefined = r.config.expressions;
  for (const step of path) {
    if (node === undefined || node === null || typeof node !== "object") return r;
    if (!Array.isArray(node) && typeof step === "number") {
      if (step !== 0) return r;
      continue;
    }
    steps.push(step);
    node = Array.isArray(node)
      ? typeof step === "number"
        ? node[step]
        : undefined
      : typeof step === "string" && Object.hasOwn(node, step)
        ? node[step]
        : undefined;
  }
  if (node === undefined || steps.length === 0) return r;
  const expressions = removeAt(r.config.expressions, steps) as JsonObject;
  return { ...r, config: { ...r.config, expressions } };
}

function applyEdit(
  r: ResourceInstance,
  e: Exclude<FixEdit, { op: "add-resource" | "remove-resource" }>,
): ResourceInstance {
  const { value, unknown, sensitive } = r.after;
  switch (e.op) {
    case "set":
      return withAfter(
        r,
        setIn(value, e.path, e.value),
        clearMask(unknown, e.path),
        clearMask(sensitive, e.path),
      );
    case "remove":
      return withAfter(
        withoutConfigured(r, e.path),
        removeAt(value, e.path),
        clearMask(unknown, e.path),
        clearMask(sensitive, e.path),
      );
    default: {
      const l = lookup(r.after, e.path);
      const parsed = l.state === "known" && typeof l.value === "string" ? parsePolicy(l.value) : undefined;
      const doc = parsed ?? { doc: { Version: "2012-10-17" }, statements: [] };
      const statements = [...doc.statements];
      const st = statementJson(e.statement);
      if (e.op === "replace-statement" && e.index !== undefined && e.index < statements.length)
        statements[e.index] = st;
      else statements.push(st);
      const text = JSON.stringify({ ...doc.doc, Statement: statements });
      return withAfter(
        r,
        setIn(value, e.path, text),
        clearMask(unknown, e.path),
        clearMask(sensitive, e.path),
      );
    }
  }
}

/** The parts of a new resource that are alike for every companion: shared, frozen, as the model's own. */
const NO_MASK: JsonObject = Object.freeze({});
const NO_PATHS: readonly never[] = Object.freeze([]);
const CREATE: readonly Action[] = Object.freeze(["create"]);
const NOTHING: AttributeValues = Object.freeze({ value: null, unknown: NO_MASK, sensitive: false });

/**
 * An object to write a companion's reference values into: `root` once it is the companion's own
 * copy, else a copy of it (a plain object's keys, as `setIn` copies them). One copy per companion,
 * not one per reference: the attributes object is shared by every companion of a rule.
 */
function writable(root: JsonValue, own: boolean): JsonObject {
  if (own) return root as JsonObject;
  return typeof root === "object" && root !== null && !Array.isArray(root) ? { ...root } : {};
}
function put(obj: JsonObject, key: string, value: JsonValue): void {
  // defineProperty: a `__proto__` reference name from a hostile pack stays a plain key (only that
  // key needs it: defining every key was a tenth of a fix pass's model update).
  if (key === "__proto__")
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/**
 * `module.a.module.b.` for a module path, once per path: the resources of a module share its path
 * array, and joining it per companion was a fifth of a companion's allocation.
 */
const modulePrefixes = new WeakMap<readonly string[], string>();
function modulePrefix(path: readonly string[]): string {
  let prefix = modulePrefixes.get(path);
  if (prefix === undefined) {
    prefix = path.map((m) => `module.${m}.`).join("");
    modulePrefixes.set(path, prefix);
  }
  return prefix;
}

/** A new resource the fix creates, linked to its subject; its links go to `links`. */
function companion(
  model: PlanModel,
  e: Extract<FixEdit, { op: "add-resource" }>,
  links: Link[],
): ResourceInstance | undefined {
  const subject = model.byAddress.get(e.linkTo);
  if (!subject) return undefined;
  let value: JsonValue = e.attributes && typeof e.attributes === "object" ? e.attributes : {};
  let unknown: JsonValue = NO_MASK;
  let ownValue = false;
  let ownUnknown = false;
  const set = (via: string, v: JsonValue): void => {
    value = writable(value, ownValue);
    ownValue = true;
    put(value, via, v);
  };
  const unset = (via: string, mask: JsonValue): void => {
    unknown = writable(unknown, ownUnknown);
    ownUnknown = true;
    put(unknown, via, mask);
  };
  const head = `${subject.type}.${subject.name}${formatKey(subject.index)}.`;
  const vias = Object.keys(e.references);
  for (const via of vias) {
    const ref = e.references[via] as string;
    const doc = e.documents && Object.hasOwn(e.documents, via) ? e.documents[via] : undefined;
    if (doc) set(via, documentText(doc, head, subject));
    else {
      // `[aws_s3_bucket.b.arn]`: a list argument holding the one reference.
      const listed = ref.startsWith("[") && ref.endsWith("]");
      const bare = listed ? ref.slice(1, -1) : ref;
      const attr = bare.slice(bare.lastIndexOf(".") + 1);
      const l = lookup(subject.after, [attr]);
      if (l.state === "known" && !l.sensitive) set(via, listed ? [l.value] : l.value);
      else if (listed) {
        set(via, [null]);
        unset(via, [true]);
      } else unset(via, true);
    }
    links.push({ from: e.address, to: subject.address, via, kind: "reference" });
  }
  return {
    address: e.address,
    moduleAddress: subject.moduleAddress,
    modulePath: subject.modulePath,
    configAddress: `${modulePrefix(subject.modulePath)}${e.type}.${e.name}`,
    mode: "managed",
    type: e.type,
    name: e.name,
    provider: subject.provider,
    actions: CREATE,
    before: NOTHING,
    after: { value, unknown, sensitive: NO_MASK },
    unknownPaths: vias.length > 1 ? vias.sort() : vias,
    sensitivePaths: NO_PATHS,
    replacePaths: NO_PATHS,
  };
}

const SUBJECT_REF = /\$\{([^}]*)\}/g;

/**
 * The JSON of a new resource's policy document: `${<subject>.<attr>}` in a Resource entry becomes
 * the subject's value where known; otherwise the reference stays as written (the preview of a
 * document whose ARN is known after apply).
 */
function documentText(
  statements: readonly PolicyStatement[],
  head: string,
  subject: ResourceInstance,
): string {
  const value = (whole: string, ref: string): string => {
    if (!ref.startsWith(head)) return whole;
    const l = lookup(subject.after, ref.slice(head.length).split("."));
    return l.state === "known" && !l.sensitive && typeof l.value === "string" ? l.value : whole;
  };
  const resolve = (entry: string): string =>
    entry.includes("${") ? entry.replace(SUBJECT_REF, value) : entry;
  const list = statements.map((s) =>
    statementJson(s.Resource ? { ...s, Resource: s.Resource.map(resolve) } : s),
  );
  return JSON.stringify({ Version: "2012-10-17", Statement: list });
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = m.get(k);
    if (list) list.push(item);
    else m.set(k, [item]);
  }
  return m;
}

/**
 * `base` with the entries of `over` set and the keys in `gone` deleted. A plain Map copy, not a
 * view that reads through to `base`: the copy is one native pass with no regrouping, while a second
 * map class made the engine's lookups polymorphic, and the evaluation of a fix pass at 50k took
 * ~350 ms longer with it (bench/stages.mjs, 3 runs each).
 */
function patched<K, V>(
  base: ReadonlyMap<K, V>,
  over: ReadonlyMap<K, V>,
  gone: ReadonlySet<K>,
): ReadonlyMap<K, V> {
  // forEach, not `new Map(base)`: the constructor steps through an iterator that allocates an
  // entry array per key (13 MB of garbage per fix pass at 50k).
  const m = new Map<K, V>();
  const put = (v: V, k: K): void => {
    m.set(k, v);
  };
  base.forEach(put);
  over.forEach(put);
  for (const k of gone) m.delete(k);
  return m;
}

/**
 * A link index (`outgoing` or `incoming`) with the new links added and the links of removed
 * resources dropped: only the keys those touch get a new list; the others keep the lists of `base`.
 */
function linkIndex(
  base: ReadonlyMap<string, readonly Link[]>,
  end: "from" | "to",
  added: readonly Link[],
  removed: ReadonlySet<string>,
  /** The other index of the model: finds the links that end at a removed resource. */
  other: ReadonlyMap<string, readonly Link[]>,
): ReadonlyMap<string, readonly Link[]> {
  // The lists of `base` are shared with the model: a key's first new link gives it a copy of its own.
  const grown = new Map<string, Link[]>();
  for (const l of added) {
    const key = l[end];
    const list = grown.get(key);
    if (list) list.push(l);
    else grown.set(key, [...(base.get(key) ?? []), l]);
  }
  const over: Map<string, readonly Link[]> = grown;
  const gone = new Set<string>();
  if (removed.size === 0) return patched(base, over, gone);
  const touched = new Set(over.keys());
  for (const address of removed) {
    touched.add(address);
    for (const l of other.get(address) ?? []) touched.add(l[end]);
  }
  const live = (l: Link): boolean => !removed.has(l.from) && !removed.has(l.to);
  for (const key of touched) {
    const kept = (over.get(key) ?? base.get(key) ?? []).filter(live);
    if (kept.length > 0) over.set(key, kept);
    else gone.add(key);
  }
  return patched(base, over, gone);
}

/** A new model with the fix's edits applied (edits on resources the model lacks are ignored). */
export function applyFixToModel(model: PlanModel, fix: Pick<Fix, "edits">): PlanModel {
  // What the fix creates or changes, by address; every other resource is read from `model`.
  const changed = new Map<string, ResourceInstance>();
  const added: ResourceInstance[] = [];
  const addedLinks: Link[] = [];
  const removed = new Set<string>();
  // Types of the plan's resources the fix edits or deletes: their type lists change.
  const editedTypes = new Set<string>();
  for (const e of fix.edits) {
    if (e.op === "add-resource") {
      if (changed.has(e.address) || model.byAddress.has(e.address)) continue;
      const c = companion(model, e, addedLinks);
      if (!c) continue;
      added.push(c);
      changed.set(c.address, c);
      continue;
    }
    if (e.op === "remove-resource") {
      removed.add(e.address);
      const type = model.byAddress.get(e.address)?.type;
      if (type !== undefined) editedTypes.add(type);
      continue;
    }
    const r = changed.get(e.address) ?? model.byAddress.get(e.address);
    if (!r) continue;
    changed.set(e.address, applyEdit(r, e));
    editedTypes.add(r.type);
  }
  // Existing resources edited or deleted: only then do the model's lists need a new copy.
  const edited = removed.size > 0 || changed.size > added.length;
  // Deposed objects share the address of the current one: they keep their values.
  const keep = (list: readonly ResourceInstance[]): readonly ResourceInstance[] =>
    edited
      ? list
          .filter((r) => !removed.has(r.address))
          .map((r) => (r.deposed === undefined ? (changed.get(r.address) ?? r) : r))
      : list;
  const addedByType = groupBy(added, (r) => r.type);
  const types = new Set([...addedByType.keys(), ...editedTypes]);
  const byType = new Map<string, readonly ResourceInstance[]>();
  const goneTypes = new Set<string>();
  for (const type of types) {
    const list = keep(model.byType.get(type) ?? []).concat(addedByType.get(type) ?? []);
    if (list.length > 0) byType.set(type, list);
    else goneTypes.add(type);
  }
  // A deleted block leaves the plan with its links: nothing refers to it or from it any more.
  const links = addedLinks.length > 0 ? model.links.concat(addedLinks) : model.links;
  return {
    ...model,
    resources: keep(model.resources).concat(added),
    byAddress: patched(model.byAddress, changed, removed),
    byType: patched(model.byType, byType, goneTypes),
    links: removed.size > 0 ? links.filter((l) => !removed.has(l.from) && !removed.has(l.to)) : links,
    outgoing: linkIndex(model.outgoing, "from", addedLinks, removed, model.incoming),
    incoming: linkIndex(model.incoming, "to", addedLinks, removed, model.outgoing),
  };
}
