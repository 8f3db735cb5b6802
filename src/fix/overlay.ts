/**
 * A read-only map that reads through to a base map, with some entries replaced, added or deleted.
 * The fix passes build a model with a few thousand companions on a plan of tens of thousands of
 * resources: copying every index of the model for each pass cost more than the companions did.
 */
/** Values are objects: `undefined` from `over` means "not replaced" (one lookup, not two). */
export class OverlayMap<K, V extends object> implements ReadonlyMap<K, V> {
  #flat: Map<K, V> | undefined;

  constructor(
    private readonly base: ReadonlyMap<K, V>,
    /** Entries that replace the base's or are new; new keys iterate after the base's, in this order. */
    private readonly over: ReadonlyMap<K, V>,
    /** Keys that are gone, whether in `base` or in `over`. */
    private readonly gone: ReadonlySet<K> = new Set(),
  ) {}

  get(key: K): V | undefined {
    if (this.gone.has(key)) return undefined;
    return this.over.get(key) ?? this.base.get(key);
  }

  has(key: K): boolean {
    return !this.gone.has(key) && (this.over.has(key) || this.base.has(key));
  }

  /**
   * The same entries in a plain map, built on first use: iterating is rare (lookups are what the
   * engine does), and a copy iterates in the order a copied-then-edited Map would.
   */
  #entries(): Map<K, V> {
    if (this.#flat) return this.#flat;
    const flat = new Map(this.base);
    for (const [k, v] of this.over) flat.set(k, v);
    for (const k of this.gone) flat.delete(k);
    this.#flat = flat;
    return flat;
  }

  get size(): number {
    return this.#entries().size;
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.#entries()) callback.call(thisArg, v, k, this);
  }

  entries(): MapIterator<[K, V]> {
    return this.#entries().entries();
  }

  keys(): MapIterator<K> {
    return this.#entries().keys();
  }

  values(): MapIterator<V> {
    return this.#entries().values();
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.#entries()[Symbol.iterator]();
  }
}
