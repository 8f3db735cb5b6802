/**
 * The resources a `related` assertion looks at, found through per-run indexes instead of walking
 * every link of the subject (or every resource of the type) for each subject and assertion.
 *
 * A candidate is a resource of one of the related types and the assertion's mode, other than the
 * current resource, that exists after apply (a data source: also one that is read). With
 * `scope: plan` the candidates are every such resource of the plan; otherwise those linked to the
 * current resource, incoming links first, then outgoing ones, each once, in link order.
 */
import { DEFAULT_SCOPES, selectedBy } from "../plan/actions.js";
import type { ActionScope, Link, PlanModel, ResourceInstance } from "../plan/types.js";
import { cached, type EvalContext } from "./runtime.js";

const DATA_SCOPES: readonly ActionScope[] = [...DEFAULT_SCOPES, "read"];

/** What a `related` assertion selects candidates by, fixed at compile time. */
export interface CandidateSpec {
  readonly types: ReadonlySet<string>;
  readonly mode: "managed" | "data";
  readonly scope: "plan" | "links";
  readonly direction: "in" | "out" | "any";
  /** `undefined`: links through any attribute. */
  readonly via: string | undefined;
}

/** A link end that can be a candidate: its resource exists in the model and counts for its mode. */
interface Linked {
  readonly via: string;
  readonly resource: ResourceInstance;
}

function counts(r: ResourceInstance): boolean {
  return selectedBy(r, r.mode === "data" ? DATA_SCOPES : DEFAULT_SCOPES);
}

function resolveLinks(model: PlanModel, links: readonly Link[], end: "from" | "to"): Linked[] {
  const out: Linked[] = [];
  for (const l of links) {
    const r = model.byAddress.get(l[end]);
    if (r && counts(r)) out.push({ via: l.via, resource: r });
  }
  return out;
}

interface Links {
  /** Resources that refer to the address. */
  readonly incoming: readonly Linked[];
  /** Resources the address refers to. */
  readonly outgoing: readonly Linked[];
}

const NO_LINKS: Links = { incoming: [], outgoing: [] };

/**
 * The links of an address, their other end resolved and filtered once per run (each address is
 * looked at by many assertions), on first use (fix passes ask about few addresses).
 */
class LinkIndex {
  // Keyed by the resource object: an identity lookup costs a fraction of hashing its address.
  private readonly resolved = new Map<ResourceInstance, Links>();
  constructor(private readonly model: PlanModel) {}

  // The last answer: the engine takes a subject's rules one after another, and each of their
  // `related` checks asks about the same resource.
  private last: ResourceInstance | undefined;
  private lastLinks: Links = NO_LINKS;

  links(resource: ResourceInstance): Links {
    if (resource === this.last) return this.lastLinks;
    let links = this.resolved.get(resource);
    if (!links) {
      const incoming = this.model.incoming.get(resource.address);
      const outgoing = this.model.outgoing.get(resource.address);
      links =
        incoming || outgoing
          ? {
              incoming: incoming ? resolveLinks(this.model, incoming, "from") : [],
              outgoing: outgoing ? resolveLinks(this.model, outgoing, "to") : [],
            }
          : NO_LINKS;
      this.resolved.set(resource, links);
    }
    this.last = resource;
    this.lastLinks = links;
    return links;
  }
}

const LINK_INDEX = {};
const newLinkIndex = (ctx: EvalContext): LinkIndex => new LinkIndex(ctx.model);

function viaMatcher(via: string | undefined): (linkVia: string) => boolean {
  if (via === undefined) return () => true;
  const dot = `${via}.`;
  const bracket = `${via}[`;
  return (linkVia) => linkVia === via || linkVia.startsWith(dot) || linkVia.startsWith(bracket);
}

/**
 * Every resource of the plan of the spec's types and mode that counts, in plan order (by type,
 * then plan order, as the types are listed). Built once per run and spec (the spec object is the key).
 */
export function planCandidates(spec: CandidateSpec, ctx: EvalContext): readonly ResourceInstance[] {
  return cached(ctx, spec, (c) => ofTypes(spec, c.model));
}

function ofTypes(spec: CandidateSpec, model: PlanModel): ResourceInstance[] {
  const found: ResourceInstance[] = [];
  for (const t of spec.types)
    for (const r of model.byType.get(t) ?? []) if (r.mode === spec.mode && counts(r)) found.push(r);
  return found;
}

const NONE: readonly ResourceInstance[] = Object.freeze([]);

function anyOfTypes(spec: CandidateSpec, ctx: EvalContext): boolean {
  for (const t of spec.types) if (ctx.model.byType.has(t)) return true;
  return false;
}

/**
 * Appends to `found` the candidates among `linked` (skipping `self` and those already found);
 * returns the list, allocated on the first candidate (most lookups find none or one).
 */
function take(
  linked: readonly Linked[],
  spec: CandidateSpec,
  viaOk: (via: string) => boolean,
  self: ResourceInstance,
  found: ResourceInstance[] | undefined,
): ResourceInstance[] | undefined {
  let out = found;
  // A hub (a key every bucket refers to) can have thousands of candidates: a set past a few.
  let seen: Set<ResourceInstance> | undefined;
  for (const { via, resource: r } of linked) {
    if (r === self || r.mode !== spec.mode || !spec.types.has(r.type) || !viaOk(via)) continue;
    // Several links can join the same pair: the first one counts.
    if (out === undefined) {
      out = [r];
      continue;
    }
    if (out.length >= 16) seen ??= new Set(out);
    if (seen ? seen.has(r) : out.includes(r)) continue;
    out.push(r);
    seen?.add(r);
  }
  return out;
}

/** A function that lists the candidates of `spec` for the current resource. */
export function candidateFinder(
  spec: CandidateSpec,
): (resource: ResourceInstance, ctx: EvalContext) => readonly ResourceInstance[] {
  if (spec.scope === "plan")
    return (resource, ctx) => planCandidates(spec, ctx).filter((r) => r !== resource);
  const viaOk = viaMatcher(spec.via);
  return (resource, ctx) => {
    // Packs name many companion types a given plan does not have: no need to look at the links.
    if (!anyOfTypes(spec, ctx)) return NONE;
    const links = cached(ctx, LINK_INDEX, newLinkIndex).links(resource);
    let found: ResourceInstance[] | undefined;
    if (spec.direction !== "out") found = take(links.incoming, spec, viaOk, resource, found);
    if (spec.direction !== "in") found = take(links.outgoing, spec, viaOk, resource, found);
    return found ?? NONE;
  };
}
