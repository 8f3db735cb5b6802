/**
 * The sorted leaf paths of value masks (`maskPaths`: a resource's unknown and sensitive paths),
 * one shared list per mask shape. A plan's masks come in a few shapes (a type's resources print
 * theirs alike), so each mask is walked against a trie of the shapes seen, which makes nothing
 * for a shape seen before. Formatting every leaf's path and joining the paths into a map key,
 * for every resource, was a sixth of what building the model of a big plan allocated.
 *
 * A mask is read as events in its own order: a `true` leaf under a key or index, entering a
 * nested object or list under one, leaving it. Equal events make equal leaves, so a node of the
 * trie stands for one list of paths. Values that mark nothing (false, null) make no event.
 */
import type { JsonValue, PathStep, ValueMask } from "./types.js";
import { maskPaths } from "./values.js";

/** Transitions of a node by step: the first kept inline (most nodes have one), the others in a map. */
class Edges {
  private more: Map<PathStep, ShapeNode> | undefined;

  constructor(
    private readonly step: PathStep,
    private readonly node: ShapeNode,
  ) {}

  get(step: PathStep): ShapeNode | undefined {
    return step === this.step ? this.node : this.more?.get(step);
  }

  set(step: PathStep, node: ShapeNode): void {
    this.more ??= new Map();
    this.more.set(step, node);
  }
}

interface ShapeNode {
  /** A `true` leaf under a step. */
  leaf?: Edges;
  /** A nested object or list under a step. */
  enter?: Edges;
  /** The end of the innermost nested value. */
  exit?: ShapeNode;
  /** The first mask of a union ends, the second begins. */
  then?: ShapeNode;
  /** The mask is `true`: the whole value. */
  whole?: ShapeNode;
  /** The sorted paths of the masks that end here, once made. */
  paths?: readonly string[];
}

type Single = "exit" | "then" | "whole";

function single(node: ShapeNode, event: Single): ShapeNode {
  let next = node[event];
  if (!next) {
    next = {};
    node[event] = next;
  }
  return next;
}

function stepped(node: ShapeNode, event: "leaf" | "enter", step: PathStep): ShapeNode {
  const edges = node[event];
  let next = edges?.get(step);
  if (!next) {
    next = {};
    if (edges) edges.set(step, next);
    else node[event] = new Edges(step, next);
  }
  return next;
}

function isContainer(v: JsonValue | undefined): v is JsonValue[] | { [key: string]: JsonValue } {
  return typeof v === "object" && v !== null;
}

/** The node reached from `node` by the events of the members of `m` (an object or list). */
function members(node: ShapeNode, m: JsonValue[] | { [key: string]: JsonValue }): ShapeNode {
  let at = node;
  if (Array.isArray(m)) {
    for (let i = 0; i < m.length; i++) at = member(at, i, m[i]);
  } else {
    // for-in, not Object.keys: no list of keys per mask (inherited keys are skipped).
    for (const k in m) if (Object.hasOwn(m, k)) at = member(at, k, m[k]);
  }
  return at;
}

function member(node: ShapeNode, step: PathStep, v: JsonValue | undefined): ShapeNode {
  if (v === true) return stepped(node, "leaf", step);
  if (!isContainer(v)) return node;
  return single(members(stepped(node, "enter", step), v), "exit");
}

/** The node reached from `node` by the events of mask `m`. */
function walk(node: ShapeNode, m: ValueMask | undefined): ShapeNode {
  if (m === true) return single(node, "whole");
  return isContainer(m) ? members(node, m) : node;
}

function sortedUnion(a: string[], b: string[]): string[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  return [...new Set([...a, ...b])].sort();
}

export class MaskShapes {
  private readonly one: ShapeNode = {};
  private readonly two: ShapeNode = {};

  /** `share` makes the list kept for a shape (the model shares equal lists among its fields). */
  constructor(private readonly share: (paths: string[]) => readonly string[]) {}

  /** `maskPaths(mask)`, one list per shape. */
  paths(mask: ValueMask | undefined): readonly string[] {
    const node = walk(this.one, mask);
    node.paths ??= this.share(maskPaths(mask));
    return node.paths;
  }

  /** The sorted union of `maskPaths(a)` and `maskPaths(b)` (the paths sensitive before or after), one list per pair of shapes. */
  union(a: ValueMask | undefined, b: ValueMask | undefined): readonly string[] {
    const node = walk(single(walk(this.two, a), "then"), b);
    node.paths ??= this.share(sortedUnion(maskPaths(a), maskPaths(b)));
    return node.paths;
  }
}
