/**
 * Bad plans never crash: every corpus plan, mutated by fast-check (type flips, deleted keys, deep
 * nesting, huge strings, NaN-like literals, truncation, wrong encodings, prototype keys), goes
 * through the whole gate and gives either outputs in every format or a one-line InputError.
 * Seeds are fixed; a seed that once found a bug is kept below as a regression case.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { hasUnprintable } from "../../src/safety/text.js";
import { applyMutation, hardenedParams, type Mutation, mutation, stackable } from "./mutate.js";
import { CORPUS, corpusFiles, gateBytes } from "./pipeline.js";

type Json = Parameters<typeof applyMutation>[1];

/** Per plan: enough runs to hit every mutation kind a few times, within the suite's time budget. */
const RUNS = 12;
const SEED = 20260901;
/** A single run of the gate on a mutated plan must finish well inside this (ms). */
const MAX_RUN_MS = 5_000;

let slowest = 0;
const kinds = { ok: 0, "input-error": 0 };

function check(bytes: Buffer): void {
  const t = performance.now();
  const out = gateBytes(bytes);
  const ms = performance.now() - t;
  slowest = Math.max(slowest, ms);
  kinds[out.kind]++;
  expect(ms).toBeLessThan(MAX_RUN_MS);
  if (out.kind === "ok") {
    for (const [format, text] of Object.entries(out.output.outputs)) {
      if (!format.startsWith("inspect")) expect(hasUnprintable(text), format).toBe(false);
    }
  }
  if (out.kind === "input-error") {
    expect(hasUnprintable(out.line)).toBe(false);
    expect(out.line).not.toMatch(/\n/);
    expect(out.line.length).toBeLessThan(2_000);
  }
  expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
}

describe("regressions found by the fuzzer", () => {
  it("seed 20260918 (path 5): a 200,000-character format_version made a 200 KB error line", () => {
    const out = gateBytes(
      Buffer.from(JSON.stringify({ format_version: "a".repeat(200_000), resource_changes: [] })),
    );
    expect(out.kind).toBe("input-error");
    if (out.kind === "input-error") {
      expect(out.line.length).toBeLessThanOrEqual(1000);
      expect(out.line).toMatch(/^plan\.json: unsupported plan format_version "a+…$/);
    }
  });
});

describe("mutated corpus plans: results or one InputError line", () => {
  const files = corpusFiles();
  it("the corpus is there", () => expect(files.length).toBeGreaterThanOrEqual(30));
  files.forEach((file, i) => {
    it(file, () => {
      const bytes = readFileSync(CORPUS + file);
      // Corpus plans come in UTF-8 and UTF-16: mutate the decoded text.
      const text =
        bytes[0] === 0xff && bytes[1] === 0xfe
          ? bytes.subarray(2).toString("utf16le")
          : bytes.toString("utf8").replace(/^\uFEFF/, "");
      const doc = JSON.parse(text) as Json;
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms: Mutation[]) => {
          // Several mutations stack: each applies to the previous result when it is still JSON.
          let current = text;
          let out: Buffer = Buffer.from(text);
          for (const m of ms) {
            out = applyMutation(current, doc, m);
            // Stack the next mutation only on valid JSON our own test helpers can walk.
            if (!stackable(out)) break;
            current = out.toString("utf8");
          }
          check(out);
        }),
        hardenedParams(SEED + i, RUNS),
      );
    });
  });
  afterAll(() => {
    // Printed for the report: how the mutants were judged, and the slowest run.
    console.log(`plan fuzz: ${JSON.stringify(kinds)}, slowest run ${Math.round(slowest)} ms`);
  });
});
