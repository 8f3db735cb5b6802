/**
 * Bad packs never crash: every built-in pack, mutated structurally (types flipped, keys deleted,
 * hostile values: prototype keys, deep nesting, huge strings, regexes, templates) and textually
 * (truncated, bytes spliced), either compiles and evaluates over a corpus plan or gives
 * diagnostics, which the CLI prints as one line. Seeds are fixed.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { PlanModel } from "../../src/plan/types.js";
import { applyMutation, hardenedParams, type Mutation, mutation, stackable } from "./mutate.js";
import {
  builtinPackFiles,
  CORPUS,
  classify,
  compileText,
  gate,
  modelFromBytes,
  POLICIES,
} from "./pipeline.js";

type Json = Parameters<typeof applyMutation>[1];

const RUNS = 40;
const MAX_RUN_MS = 5_000;
let model: PlanModel;
beforeAll(() => {
  model = modelFromBytes(
    readFileSync(`${CORPUS}regula__s3-versioning_lifecycle_enabled_infra.json`),
    "plan.json",
  );
});

describe("mutated built-in packs: compiled and run, or one error line", () => {
  const files = builtinPackFiles();
  it("the built-in packs are there", () =>
    expect(files).toEqual(expect.arrayContaining(["aws-s3.yaml", "aws-iam.yaml", "aws-backup.yaml"])));
  files.forEach((file, i) => {
    it(file, () => {
      const yamlText = readFileSync(POLICIES + file, "utf8");
      // Mutate the data (as JSON), then print it back as YAML or JSON: both are pack formats.
      const data = JSON.parse(JSON.stringify(compileSource(yamlText))) as Json;
      const text = JSON.stringify(data);
      const kinds = { ok: 0, error: 0 };
      fc.assert(
        fc.property(
          fc.array(mutation, { minLength: 1, maxLength: 3 }),
          fc.boolean(),
          (ms: Mutation[], asYaml) => {
            let current = text;
            let out: Buffer = Buffer.from(text);
            for (const m of ms) {
              out = applyMutation(current, data, m);
              // Stack the next mutation only on valid JSON our own test helpers can walk.
              if (!stackable(out)) break;
              current = out.toString("utf8");
            }
            let source = out.toString("utf8");
            let origin: "yaml" | "json" = "json";
            if (asYaml) {
              try {
                source = stringify(JSON.parse(source), { aliasDuplicateObjects: false });
                origin = "yaml";
              } catch {
                // not JSON any more: feed it as it is
              }
            }
            const t = performance.now();
            const r = classify(() => gate(model, [compileText(source, `mutant.${origin}`, origin)]));
            expect(performance.now() - t).toBeLessThan(MAX_RUN_MS);
            kinds[r.kind === "ok" ? "ok" : "error"]++;
            if (r.kind === "input-error") expect(r.line).not.toMatch(/\n/);
            expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
          },
        ),
        hardenedParams(31337 + i, RUNS),
      );
      console.log(`pack fuzz ${file}: ${JSON.stringify(kinds)}`);
    });
  });
});

function compileSource(text: string): unknown {
  // The pack as data, via the same parser the loader uses.
  return JSON.parse(JSON.stringify(parse(text)));
}

import { parse } from "yaml";
