import { describe, expect, it } from "vitest";
import { formatKey } from "../../src/plan/address.js";
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
  });
});
