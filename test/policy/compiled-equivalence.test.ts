import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/engine/evaluate.js";
import { readPlanInput } from "../../src/plan/read.js";
import type { PlanModel } from "../../src/plan/types.js";
import { compilePack } from "../../src/policy/compile.js";
import { renderCompiledModule } from "../../src/policy/compiled-module.js";
import type { CompiledPack } from "../../src/policy/compiled-pack.js";
import { loadPacks } from "../../src/policy/load.js";
import { loadSchemaIndex } from "../../src/policy/provider-schema/index.js";
import type { PackSource } from "../../src/policy/source.js";

const corpus = fileURLToPath(new URL("../../../shared/corpus/plans/", import.meta.url));
const fixtures = fileURLToPath(new URL("../fixtures/", import.meta.url));

function compiled(source: PackSource): CompiledPack {
  const result = compilePack(source, { schemaIndex: loadSchemaIndex() });
  if (!result.pack) throw new Error(`${source.file} does not compile`);
  return result.pack;
}

describe("plangate compile output", async () => {
  const sources = await loadPacks([
    "aws-s3",
    "aws-iam",
    "aws-backup",
    `${fixtures}packs/google-storage.yaml`,
  ]);
  const out = mkdtempSync(join(tmpdir(), "plangate-compiled-"));
  mkdirSync(out, { recursive: true });
  for (const s of sources) {
    const { js, dts } = renderCompiledModule(s, "test");
    const name = (s.data as { metadata: { name: string } }).metadata.name;
    writeFileSync(join(out, `${name}.js`), js);
    writeFileSync(join(out, `${name}.d.ts`), dts);
  }
  const fromModules = await loadPacks(
    readdirSync(out)
      .filter((f) => f.endsWith(".js"))
      .sort()
      .map((f) => join(out, f)),
  );
  const byName = (list: readonly PackSource[]) =>
    [...list].sort((a, b) =>
      JSON.stringify((a.data as { metadata: unknown }).metadata).localeCompare(
        JSON.stringify((b.data as { metadata: unknown }).metadata),
      ),
    );
  const plain = byName(sources).map(compiled);
  const loaded = byName(fromModules).map(compiled);

  it("loads as the same packs", () => {
    expect(fromModules.every((s) => s.origin === "compiled")).toBe(true);
    expect(loaded.map((p) => [p.name, p.rules.map((r) => r.id)])).toEqual(
      plain.map((p) => [p.name, p.rules.map((r) => r.id)]),
    );
  });

  it("gives the same results as the uncompiled packs on every corpus plan", async () => {
    let compared = 0;
    for (const file of readdirSync(corpus)
      .filter((f) => f.endsWith(".json"))
      .sort()) {
      let model: PlanModel;
      try {
        model = await readPlanInput(join(corpus, file));
      } catch {
        continue; // plans the reader rejects are the reader's tests
      }
      const expected = evaluate(model, plain);
      expect(evaluate(model, loaded), file).toEqual(expected);
      compared += expected.length;
    }
    expect(compared).toBeGreaterThan(1000);
  }, 60_000);
});
