/**
 * Reading and writing plain-object keys that come from input (plans, packs, config) as own data
 * properties only. `obj[key] = v` with key `__proto__` replaces the object's prototype, and
 * `obj[key]` with key `__proto__` or `constructor` reads Object.prototype or Object: writing
 * through that (`(obj[key] ?? {})[k] = v`) pollutes every object in the process.
 */

/** `obj[key]` when `key` is an own property, else undefined. */
export function getOwn<T>(obj: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Define `obj[key] = value` as an own, enumerable data property, whatever the key. */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
