/** Copy-on-write edits of JSON values by attribute path (values and masks alike). */
import type { AttrPath, JsonObject, JsonValue } from "../plan/types.js";

/** Set `value` at `path` inside `root`, creating objects and one-element block lists on the way. */
export function setIn(root: JsonValue, path: AttrPath, value: JsonValue): JsonValue {
  if (path.length === 0) return value;
  const [step, ...rest] = path as [string | number, ...(string | number)[]];
  if (typeof step === "number") {
    const list = Array.isArray(root) ? [...root] : [];
    while (list.length <= step) list.push(typeof rest[0] === "number" ? [] : {});
    list[step] = setIn(list[step] ?? null, rest, value);
    return list;
  }
  const obj: JsonObject =
    typeof root === "object" && root !== null && !Array.isArray(root) ? { ...root } : {};
  // defineProperty: a `__proto__` step from a hostile pack stays a plain key.
  Object.defineProperty(obj, step, {
    value: setIn(Object.hasOwn(obj, step) ? (obj[step] as JsonValue) : null, rest, value),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return obj;
}

/** Remove `path` from a value or mask (lists lose the element). */
export function removeAt(root: JsonValue, path: AttrPath): JsonValue {
  if (path.length === 0 || root === null || typeof root !== "object") return path.length === 0 ? null : root;
  const [step, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(root)) {
    if (typeof step !== "number" || step >= root.length) return root;
    if (rest.length === 0) return root.filter((_, i) => i !== step);
    return root.map((v, i) => (i === step ? removeAt(v, rest) : v));
  }
  if (typeof step !== "string" || !Object.hasOwn(root, step)) return root;
  const out: { [k: string]: JsonValue } = {};
  for (const k of Object.keys(root)) {
    if (k === step && rest.length === 0) continue;
    Object.defineProperty(out, k, {
      value: k === step ? removeAt(root[k] as JsonValue, rest) : root[k],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
