/**
 * Reading attribute values with their unknown / sensitive qualifiers.
 *
 * An unknown value is never read as null or absent: `lookup` says "unknown" whenever the
 * `after_unknown` mask covers the path or any prefix of it.
 */
import type { AttributeValues, AttrPath, JsonValue, PathStep, ValueMask } from "./types.js";

export type Lookup =
  | { readonly state: "known"; readonly value: JsonValue; readonly sensitive: boolean }
  | { readonly state: "unknown"; readonly sensitive: boolean }
  | { readonly state: "absent" };

// Results without a value are shared: lookups run once per rule and resource.
const ABSENT: Lookup = { state: "absent" };
const UNKNOWN: Lookup = { state: "unknown", sensitive: false };
const UNKNOWN_SENSITIVE: Lookup = { state: "unknown", sensitive: true };
const unknown = (sensitive: boolean): Lookup => (sensitive ? UNKNOWN_SENSITIVE : UNKNOWN);

function isObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Descend one step into a value or mask; `undefined` when the step does not exist. */
export function child(v: JsonValue | undefined, step: PathStep): JsonValue | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof step === "number") return Array.isArray(v) ? v[step] : undefined;
  if (isObject(v) && Object.hasOwn(v, step)) return v[step];
  return undefined;
}

/** True when the mask marks the path itself or a prefix of it. */
export function maskCovers(mask: ValueMask | undefined, path: AttrPath): boolean {
  let m: JsonValue | undefined = mask;
  for (const step of path) {
    if (m === true) return true;
    m = child(m, step);
    if (m === undefined) return false;
  }
  return m === true;
}

/** True when the mask marks anything at or below the path. */
export function maskTouches(mask: ValueMask | undefined, path: AttrPath): boolean {
  let m: JsonValue | undefined = mask;
  for (const step of path) {
    if (m === true) return true;
    m = child(m, step);
    if (m === undefined) return false;
  }
  return containsTrue(m);
}

function containsTrue(m: JsonValue | undefined): boolean {
  if (m === true) return true;
  if (Array.isArray(m)) return m.some(containsTrue);
  if (isObject(m)) return Object.values(m).some(containsTrue);
  return false;
}

/**
 * Read `path` from `values`. Null is treated as absent (Terraform does not distinguish an unset
 * argument from null), except that an unknown mask wins over both.
 */
export function lookup(values: AttributeValues, path: AttrPath): Lookup {
  let v: JsonValue | undefined = values.value;
  let u: JsonValue | undefined = values.unknown;
  let s: JsonValue | undefined = values.sensitive;
  let sensitive = s === true;
  for (const step of path) {
    if (u === true) return unknown(sensitive);
    v = child(v, step);
    u = child(u, step);
    if (s !== true) s = child(s, step);
    sensitive = sensitive || s === true;
    if (v === undefined || v === null) {
      // The value may still be unknown further down the mask (e.g. `after` has null for an
      // unknown list element); the mask is the authority.
      if (u === true || (u !== undefined && u !== false && containsTrue(u) && v === undefined)) {
        return unknown(sensitive);
      }
    }
  }
  if (u === true) return unknown(sensitive);
  if (v === undefined || v === null) return ABSENT;
  return { state: "known", value: v, sensitive: sensitive || containsTrue(s) };
}

/**
 * The value at top-level `key` when `lookup(values, [key])` reads it known and not sensitive, else
 * undefined. Allocates nothing (no path, no result): links by value ask it of every resource.
 */
export function knownAt(values: AttributeValues, key: string): JsonValue | undefined {
  const { value, unknown, sensitive } = values;
  if (unknown === true || sensitive === true) return undefined;
  const v = child(value, key);
  if (v === undefined || v === null || child(unknown, key) === true) return undefined;
  return containsTrue(child(sensitive, key)) ? undefined : v;
}

/** Paths of every `true` leaf of a mask, formatted with `formatPath`, sorted. */
export function maskPaths(mask: ValueMask | undefined): string[] {
  const out = maskLeaves(mask);
  return out.length > 1 ? out.sort() : out;
}

/** `maskPaths` in the mask's own order. */
function maskLeaves(mask: ValueMask | undefined): string[] {
  const out: string[] = [];
  // The path goes down already formatted: a path's format is its steps' formats, one after another.
  const walk = (m: JsonValue | undefined, path: string): void => {
    if (m === true) out.push(path);
    else if (Array.isArray(m)) {
      for (let i = 0; i < m.length; i++) walk(m[i], path + formatStep(i, path));
    } else if (isObject(m)) for (const k of Object.keys(m)) walk(m[k], path + formatStep(k, path));
  };
  walk(mask, "");
  return out;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** One step of a path, formatted to follow `before` (the steps so far, formatted). */
function formatStep(step: PathStep, before: string): string {
  if (typeof step === "number") return `[${step}]`;
  if (IDENT.test(step)) return before === "" ? step : `.${step}`;
  return `[${JSON.stringify(step)}]`;
}

/** `["versioning", 0, "enabled"]` -> `versioning[0].enabled`; odd keys -> `tags["a.b"]`. */
export function formatPath(path: AttrPath): string {
  let out = "";
  for (const step of path) out += formatStep(step, out);
  return out;
}

/** Replace every value under a sensitive mask with the marker string, as a copy. */
export const SENSITIVE_MARK = "(sensitive)";
export function maskSensitive(value: JsonValue, sensitive: ValueMask | undefined): JsonValue {
  if (sensitive === true) return SENSITIVE_MARK;
  if (sensitive === undefined || sensitive === null || sensitive === false) return value;
  if (Array.isArray(value)) return value.map((v, i) => maskSensitive(v, child(sensitive, i)));
  if (isObject(value)) {
    const out: { [key: string]: JsonValue } = {};
    for (const k of Object.keys(value)) {
      Object.defineProperty(out, k, {
        value: maskSensitive(value[k] as JsonValue, child(sensitive, k)),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}
