/**
 * Reading attribute values for operators: the plan model's `lookup`, plus whether a known
 * collection still holds unknown parts (a list whose second element is unknown is neither equal
 * nor unequal to anything yet, but its length is known), and `[*]` expansion.
 */
import type { Observed } from "../engine/types.js";
import type { AttributeValues, AttrPath, JsonValue, PathStep } from "../plan/types.js";
import { lookup, maskTouches } from "../plan/values.js";
import { type PathPattern, WILDCARD } from "./path.js";

export type Read =
  | {
      readonly state: "known";
      readonly value: JsonValue;
      readonly sensitive: boolean;
      /** Some part below is unknown until apply (the known parts are still readable). */
      readonly partial: boolean;
    }
  | { readonly state: "unknown"; readonly sensitive: boolean }
  | { readonly state: "absent" };

export const ABSENT_READ: Read = { state: "absent" };
export const UNKNOWN_READ: Read = { state: "unknown", sensitive: false };

// What a violation shows of a value-less read is the same every time: results share one
// (frozen) object each, instead of keeping ~100k copies at 50k resources.
const OBSERVED_ABSENT: Observed = Object.freeze({ state: "absent" });
const OBSERVED_SENSITIVE: Observed = Object.freeze({ state: "sensitive" });
const OBSERVED_UNKNOWN: Observed = Object.freeze({ state: "unknown" });

export function readAt(values: AttributeValues, path: AttrPath): Read {
  const l = lookup(values, path);
  if (l.state !== "known") return l;
  const partial = typeof l.value === "object" && l.value !== null && maskTouches(values.unknown, path);
  return { state: "known", value: l.value, sensitive: l.sensitive, partial };
}

/** What a violation may show of a read: never a sensitive value. */
export function observed(read: Read): Observed {
  if (read.state === "absent") return OBSERVED_ABSENT;
  if (read.sensitive) return OBSERVED_SENSITIVE;
  if (read.state === "unknown") return OBSERVED_UNKNOWN;
  return { state: "known", value: read.value };
}

export type Expansion =
  | { readonly state: "paths"; readonly paths: readonly AttrPath[] }
  | { readonly state: "unknown"; readonly path: AttrPath };

/**
 * Concrete paths of a pattern under `base`: every element for each `[*]`. A collection that is
 * unknown stops the expansion (its elements cannot be enumerated).
 */
export function expand(values: AttributeValues, base: AttrPath, pattern: PathPattern): Expansion {
  let prefixes: PathStep[][] = [[...base]];
  for (const seg of pattern) {
    if (seg !== WILDCARD) {
      for (const p of prefixes) p.push(seg);
      continue;
    }
    const next: PathStep[][] = [];
    for (const p of prefixes) {
      const l = lookup(values, p);
      if (l.state === "unknown") return { state: "unknown", path: p };
      if (l.state === "absent") continue;
      const v = l.value;
      if (Array.isArray(v)) for (let i = 0; i < v.length; i++) next.push([...p, i]);
      else if (typeof v === "object" && v !== null) for (const k of Object.keys(v)) next.push([...p, k]);
    }
    prefixes = next;
  }
  return { state: "paths", paths: prefixes };
}

/** The path reported for an empty `[*]` expansion: the first element that would be there. */
export function placeholderPath(base: AttrPath, pattern: PathPattern): AttrPath {
  return [...base, ...pattern.map((s) => (s === WILDCARD ? 0 : s))];
}

/** Elements of the collection at `path`, for the list quantifiers. */
export function elementsAt(
  values: AttributeValues,
  path: AttrPath,
): { readonly state: "unknown" } | { readonly state: "elements"; readonly steps: readonly PathStep[] } {
  const l = lookup(values, path);
  if (l.state === "unknown") return { state: "unknown" };
  if (l.state === "absent") return { state: "elements", steps: [] };
  const v = l.value;
  if (Array.isArray(v)) return { state: "elements", steps: v.map((_, i) => i) };
  if (typeof v === "object" && v !== null) return { state: "elements", steps: Object.keys(v) };
  return { state: "elements", steps: [] };
}
