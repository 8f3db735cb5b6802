import { describe, expect, it } from "vitest";
import { formatKey } from "../../src/plan/address.js";
import type { Link } from "../../src/plan/types.js";
import { corpusFiles, corpusPlan } from "./helpers.js";

describe("every corpus plan loads", () => {
  const files = corpusFiles();
  it("finds the corpus", () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
  });
  it.each(files)("%s", async (name) => {
    const model = await corpusPlan(name);
    expect(model.resources.length).toBeGreaterThan(0);
    expect(model.formatVersion).toMatch(/^(0\.[12]|1\.\d+)$/);
    for (const r of model.resources) {
      expect(model.byAddress.get(r.address)).toBeDefined();
      expect(r.address.endsWith(`${r.type}.${r.name}${formatKey(r.index)}`)).toBe(true);
      // Every managed resource with a configuration block in the plan finds it.
      if (r.mode === "managed" && !r.actions.includes("delete")) expect(r.config, r.address).toBeDefined();
    }
    // `outgoing` and `incoming` are built with the links: they must be `links` grouped, the same
    // objects in the same order, keys in order of first appearance.
    for (const [index, key] of [
      [model.outgoing, "from"],
      [model.incoming, "to"],
    ] as const) {
      const grouped = groupBy(model.links, key);
      expect([...index.keys()]).toEqual([...grouped.keys()]);
      for (const [k, list] of grouped) {
        const got = index.get(k) ?? [];
        expect(got.length, k).toBe(list.length);
        list.forEach((l, i) => {
          expect(got[i], k).toBe(l);
        });
      }
    }
  });
});

function groupBy(links: readonly Link[], key: "from" | "to"): Map<string, Link[]> {
  const m = new Map<string, Link[]>();
  for (const l of links) {
    const list = m.get(l[key]);
    if (list) list.push(l);
    else m.set(l[key], [l]);
  }
  return m;
}
