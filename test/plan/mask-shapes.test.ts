/**
 * MaskShapes gives, for any mask, the paths `maskPaths` gives, one shared list per shape.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MaskShapes } from "../../src/plan/mask-shapes.js";
import type { JsonValue } from "../../src/plan/types.js";
import { maskPaths } from "../../src/plan/values.js";
import { CORPUS, corpusFiles } from "./helpers.js";

const crafted: JsonValue[] = [
  true,
  false,
  null,
  {},
  [],
  { a: true },
  { a: false, b: null, c: 1, d: "x" },
  { a: { b: true } },
  { a: [true] },
  { a: { "0": true } },
  { a: [false, true, { b: true }] },
  { "a.b": true, "x y": [true], __proto__: true } as JsonValue,
  JSON.parse('{"__proto__": {"polluted": true}, "b": true}') as JsonValue,
  { a: {}, b: true },
  { b: true, a: {} },
  { a: true, b: { c: [true, true] } },
  { b: { c: [true, true] }, a: true },
  [true, [true, [true]]],
  { tags: { Name: true }, tags_all: true },
];

function union(a: JsonValue, b: JsonValue): string[] {
  return [...new Set([...maskPaths(a), ...maskPaths(b)])].sort();
}

/** Every mask of the corpus plans' resource changes. */
function corpusMasks(): JsonValue[] {
  const masks: JsonValue[] = [];
  for (const file of corpusFiles()) {
    let doc: { resource_changes?: { change?: Record<string, JsonValue> }[] };
    try {
      doc = JSON.parse(readFileSync(`${CORPUS}${file}`, "utf8").replace(/^\uFEFF/, ""));
    } catch {
      continue;
    }
    for (const rc of doc.resource_changes ?? []) {
      const c = rc.change ?? {};
      for (const k of ["after_unknown", "before_sensitive", "after_sensitive"])
        if (c[k] !== undefined) masks.push(c[k] as JsonValue);
    }
  }
  return masks;
}

describe("mask shapes", () => {
  it("gives maskPaths for every mask, and the same list for masks of one shape", () => {
    const shapes = new MaskShapes((paths) => paths);
    const masks = [...crafted, ...corpusMasks()];
    expect(masks.length).toBeGreaterThan(200);
    for (const m of masks) {
      expect(shapes.paths(m)).toEqual(maskPaths(m));
      // Asked again (a copy): the very same list.
      expect(shapes.paths(structuredClone(m))).toBe(shapes.paths(m));
    }
  });

  it("gives the sorted union of two masks' paths, by pair of shapes", () => {
    const shapes = new MaskShapes((paths) => paths);
    for (const a of crafted)
      for (const b of crafted) {
        expect(shapes.union(a, b)).toEqual(union(a, b));
        expect(shapes.union(structuredClone(a), structuredClone(b))).toBe(shapes.union(a, b));
      }
  });

  it("tells apart masks whose leaves differ only by where they are", () => {
    const shapes = new MaskShapes((paths) => paths);
    expect(shapes.paths({ a: [true] })).toEqual(["a[0]"]);
    expect(shapes.paths({ a: { "0": true } })).toEqual(['a["0"]']);
    expect(shapes.paths({ a: { b: true }, c: true })).toEqual(["a.b", "c"]);
    expect(shapes.paths({ a: { b: true, c: true } })).toEqual(["a.b", "a.c"]);
    expect(shapes.union({ a: true }, {})).toEqual(["a"]);
    expect(shapes.union({}, { a: true })).toEqual(["a"]);
  });
});
