/**
 * `applyFixToModel`: the plan model as it would be if a fix were applied — values set or removed,
 * statements added, companion resources created and linked to their subject. Pure; used to prove
 * that a derived fix makes its rule pass (evaluate again on the result), and by `plangate fix` users
 * who want to preview the outcome.
 */

import type { Fix, FixEdit, PolicyStatement } from "../engine/types.js";
import { formatKey } from "../plan/address.js";
import type {
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

function companion(
  model: PlanModel,
  e: Extract<FixEdit, { op: "add-resource" }>,
): { r: ResourceInstance; links: Link[] } | undefined {
  const subject = model.byAddress.get(e.linkTo);
  if (!subject) return undefined;
  let value: JsonValue = e.attributes && typeof e.attributes === "object" ? e.attributes : {};
  let unknown: ValueMask = {};
  const links: Link[] = [];
  const head = `${subject.type}.${subject.name}${formatKey(subject.index)}.`;
  for (const via of Object.keys(e.references)) {
    const ref = e.references[via] as string;
    const doc = e.documents && Object.hasOwn(e.documents, via) ? e.documents[via] : undefined;
    if (doc) {
      value = setIn(value, [via], documentText(doc, head, subject));
      links.push({ from: e.address, to: subject.address, via, kind: "reference" });
      continue;
    }
    // `[aws_s3_bucket.b.arn]`: a list argument holding the one reference.
    const listed = ref.startsWith("[") && ref.endsWith("]");
    const bare = listed ? ref.slice(1, -1) : ref;
    const attr = bare.slice(bare.lastIndexOf(".") + 1);
    const l = lookup(subject.after, [attr]);
    if (l.state === "known" && !l.sensitive) value = setIn(value, [via], listed ? [l.value] : l.value);
    else if (listed) {
      value = setIn(value, [via], [null]);
      unknown = setIn(unknown, [via], [true]);
    } else unknown = setIn(unknown, [via], true);
    links.push({ from: e.address, to: subject.address, via, kind: "reference" });
  }
  const r: ResourceInstance = {
    address: e.address,
    moduleAddress: subject.moduleAddress,
    modulePath: subject.modulePath,
    configAddress: [...subject.modulePath.map((m) => `module.${m}`), `${e.type}.${e.name}`].join("."),
    mode: "managed",
    type: e.type,
    name: e.name,
    provider: subject.provider,
    actions: ["create"],
    before: { value: null, unknown: {}, sensitive: false },
    after: { value, unknown, sensitive: {} },
    unknownPaths: Object.keys(e.references).sort(),
    sensitivePaths: [],
    replacePaths: [],
  };
  return { r, links };
}

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
  const resolve = (entry: string): string =>
    entry.replace(/\$\{([^}]*)\}/g, (whole, ref: string) => {
      if (!ref.startsWith(head)) return whole;
      const l = lookup(subject.after, ref.slice(head.length).split("."));
      return l.state === "known" && !l.sensitive && typeof l.value === "string" ? l.value : whole;
    });
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

/** A new model with the fix's edits applied (edits on resources the model lacks are ignored). */
export function applyFixToModel(model: PlanModel, fix: Pick<Fix, "edits">): PlanModel {
  const byAddress = new Map(model.byAddress);
  const added: ResourceInstance[] = [];
  const links: Link[] = [...model.links];
  const removed = new Set<string>();
  for (const e of fix.edits) {
    if (e.op === "add-resource") {
      if (byAddress.has(e.address)) continue;
      const c = companion(model, e);
      if (!c) continue;
      added.push(c.r);
      byAddress.set(c.r.address, c.r);
      links.push(...c.links);
      continue;
    }
    if (e.op === "remove-resource") {
      removed.add(e.address);
      continue;
    }
    const r = byAddress.get(e.address);
    if (r) byAddress.set(e.address, applyEdit(r, e));
  }
  // A deleted block leaves the plan with its links: nothing refers to it or from it any more.
  for (const address of removed) byAddress.delete(address);
  const liveLinks =
    removed.size > 0 ? links.filter((l) => !removed.has(l.from) && !removed.has(l.to)) : links;
  // Deposed objects share the address of the current one: they keep their values.
  const resources = [
    ...model.resources
      .filter((r) => !removed.has(r.address))
      .map((r) => (r.deposed === undefined ? (byAddress.get(r.address) ?? r) : r)),
    ...added,
  ];
  const byType = groupBy(resources, (r) => r.type);
  return {
    ...model,
    resources,
    byAddress,
    byType,
    links: liveLinks,
    outgoing: groupBy(liveLinks, (l) => l.from),
    incoming: groupBy(liveLinks, (l) => l.to),
  };
}
