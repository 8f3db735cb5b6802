/**
 * Hostile variants of a valid document, as fast-check arbitraries. Structural mutations pick a node
 * by index among all nodes of the parsed document (so they reach deep provider values as often as
 * the envelope); textual ones work on the bytes.
 */
import fc from "fast-check";
import { findTooDeep } from "../../src/safety/json.js";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path into a document (`[]` is the root). */
export function allPaths(doc: unknown): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]): void => {
    out.push(path);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) walk(v[i], [...path, i]);
    } else if (v !== null && typeof v === "object")
      for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(doc, []);
  return out;
}

function nested(depth: number, leaf: Json, asObject: boolean): Json {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = asObject ? { a: v } : [v];
  return v;
}

const DEEP_SLOT = "\u0000plangate-deep:";

function expandDeep(text: string): string {
  return text.replace(
    /"\\u0000plangate-deep:(\d+)"/g,
    (_m, n: string) => "[".repeat(Number(n)) + "]".repeat(Number(n)),
  );
}

/** Values a hostile plan puts where something else belongs. */
export const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, "", [], {}, "*", "${var.x}", "{{constructor}}"),
  fc.constantFrom<Json>(
    JSON.parse('{"__proto__": {"polluted": "yes"}}') as Json,
    { constructor: { prototype: { polluted: "yes" } } },
    { prototype: { polluted: "yes" } },
    { toString: "x", valueOf: 1, hasOwnProperty: "x" },
  ),
  fc.integer({ min: 900, max: 1100 }).map((d) => nested(d, "deep", false)),
  fc.integer({ min: 900, max: 1100 }).map((d) => nested(d, 1, true)),
  // Deeper than JSON.stringify can print on a worker's stack: a placeholder expanded as text.
  fc.constantFrom(10_000, 20_000).map((d) => `${DEEP_SLOT}${d}`),
  fc.integer({ min: 1, max: 3 }).map((n) => "x".repeat(n * 300_000)),
  fc.string({ maxLength: 40 }),
  fc.double(),
  fc.array(fc.constantFrom<Json>(null, 1, "a", true, [], {}), { maxLength: 5 }),
  fc.dictionary(
    fc.constantFrom("a", "__proto__", "constructor", "0", "", "address"),
    fc.constantFrom<Json>(1, null, "v"),
  ),
);

/** Scalars that keep a document's shape but not its meaning (operands, ids, paths, patterns). */
export const hostileScalar: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    "",
    "*",
    "__proto__",
    "constructor",
    "(a+)+$",
    "[",
    "${param.x}",
    "{{title}}",
    "a.b[0].c",
    'tags["x"]',
    "-1",
    "1e999",
  ),
  fc.constantFrom<Json>(0, -0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, 0.1, true, false, null),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: 1, max: 2 }).map((n) => "a".repeat(n * 200_000)),
  // JSON inside a string (where IAM policies live): deep, or shaped like a policy with odd parts.
  fc
    .constantFrom(100, 10_000)
    .map(
      (d) => `{"Statement":[{"Effect":"Allow","Action":"*","Resource":${"[".repeat(d)}"*"${"]".repeat(d)}}]}`,
    ),
  fc
    .record({
      Effect: fc.constantFrom<Json>("Allow", "Deny", null, 1, ["Allow"]),
      Action: fc.constantFrom<Json>("*", "*".repeat(30) + "x", ["s3:*", null], {}, 7),
      Resource: fc.constantFrom<Json>("*", [], { a: 1 }, null),
      Principal: fc.constantFrom<Json>("*", { AWS: "*" }, { AWS: [null, 1] }, { __proto__x: 1 }, []),
      Condition: fc.constantFrom<Json>(
        {},
        { Bool: { "aws:SecureTransport": "false" } },
        { Bool: "x" },
        [1],
        null,
      ),
    })
    .map((st) => JSON.stringify({ Version: "2012-10-17", Statement: [st] })),
);

/** Raw literals that are not JSON or that JSON.parse reads oddly. */
export const nanLike = fc.constantFrom(
  "NaN",
  "Infinity",
  "-Infinity",
  "-0",
  "1e999",
  "-1e999",
  "0x10",
  "undefined",
  "1e-999",
  "00",
  ".5",
);

export type Mutation =
  | { readonly op: "replace"; readonly at: number; readonly value: Json }
  | { readonly op: "delete"; readonly at: number }
  | { readonly op: "leaf"; readonly at: number; readonly value: Json }
  | { readonly op: "truncate"; readonly fraction: number }
  | { readonly op: "literal"; readonly at: number; readonly literal: string }
  | {
      readonly op: "encoding";
      readonly encoding: "latin1" | "utf16be" | "utf16le-nobom" | "garbage" | "bom-only";
    }
  | { readonly op: "splice"; readonly fraction: number; readonly bytes: readonly number[] };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ op: fc.constant("replace" as const), at: fc.nat(), value: hostileValue }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("delete" as const), at: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record({ op: fc.constant("leaf" as const), at: fc.nat(), value: hostileScalar }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant("truncate" as const),
      fraction: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant("literal" as const), at: fc.nat(), literal: nanLike }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant("encoding" as const),
      encoding: fc.constantFrom(
        "latin1" as const,
        "utf16be" as const,
        "utf16le-nobom" as const,
        "garbage" as const,
        "bom-only" as const,
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant("splice" as const),
      fraction: fc.double({ min: 0, max: 1, noNaN: true }),
      bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }),
    }),
  },
);

function setAt(doc: Json, path: readonly (string | number)[], value: Json | undefined): Json {
  if (path.length === 0) return value ?? null;
  let parent = doc as Record<string | number, Json>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, Json>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else Object.defineProperty(parent, last, { value, enumerable: true, writable: true, configurable: true });
  return doc;
}

/** A unique placeholder that JSON.stringify prints as a string, replaced by a raw literal afterwards. */
const LITERAL_SLOT = "\u0000plangate-literal\u0000";

/** Apply one mutation to a document (given as parsed JSON and as its text), returning bytes. */
export function applyMutation(text: string, doc: Json, m: Mutation): Buffer {
  switch (m.op) {
    case "leaf": {
      const copy = JSON.parse(text) as Json;
      const leaves = allPaths(copy).filter((p) => {
        let v: unknown = copy;
        for (const step of p) v = (v as Record<string | number, unknown>)[step];
        return v === null || typeof v !== "object";
      });
      const path = leaves[m.at % Math.max(1, leaves.length)] ?? [];
      return Buffer.from(JSON.stringify(setAt(copy, path, m.value)));
    }
    case "replace":
    case "delete": {
      const copy = JSON.parse(text) as Json;
      const paths = allPaths(copy);
      const path = paths[m.at % paths.length] ?? [];
      return Buffer.from(
        expandDeep(JSON.stringify(setAt(copy, path, m.op === "replace" ? m.value : undefined))),
      );
    }
    case "literal": {
      const copy = JSON.parse(text) as Json;
      const paths = allPaths(copy);
      const path = paths[m.at % paths.length] ?? [];
      const out = JSON.stringify(setAt(copy, path, LITERAL_SLOT));
      return Buffer.from(out.replace(JSON.stringify(LITERAL_SLOT), m.literal));
    }
    case "truncate":
      return Buffer.from(text).subarray(0, Math.floor(Buffer.byteLength(text) * m.fraction));
    case "splice": {
      const b = Buffer.from(text);
      const at = Math.floor(b.length * m.fraction);
      return Buffer.concat([b.subarray(0, at), Buffer.from(m.bytes), b.subarray(at)]);
    }
    case "encoding": {
      void doc;
      if (m.encoding === "latin1")
        return Buffer.from(text.replace(/"([a-z_]+)"/, '"$1\u00e9\u00ff"'), "latin1");
      if (m.encoding === "utf16le-nobom") return Buffer.from(text, "utf16le");
      if (m.encoding === "utf16be") return Buffer.from(text, "utf16le").swap16();
      if (m.encoding === "bom-only") return Buffer.from([0xff, 0xfe]);
      return Buffer.concat([
        Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xf0, 0x28, 0x8c, 0xbc]),
        Buffer.from(text),
      ]);
    }
  }
}

/** A short, depth-safe description of a value (fast-check's own printer recurses without limit). */
export function describeValue(v: unknown, depth = 0): string {
  if (depth > 6) return "…";
  if (typeof v === "string")
    return v.length > 60 ? `${JSON.stringify(v.slice(0, 60))}…(${v.length})` : JSON.stringify(v);
  if (Array.isArray(v))
    return `[${v
      .slice(0, 6)
      .map((x) => describeValue(x, depth + 1))
      .join(", ")}${v.length > 6 ? ", …" : ""}]`;
  if (v !== null && typeof v === "object") {
    const keys = Object.keys(v);
    const shown = keys
      .slice(0, 6)
      .map((k) => `${JSON.stringify(k)}: ${describeValue((v as Record<string, unknown>)[k], depth + 1)}`);
    return `{${shown.join(", ")}${keys.length > 6 ? ", …" : ""}}`;
  }
  return String(v);
}

/**
 * fast-check parameters with a reporter that survives 10,000-deep counterexamples and prints the
 * error's first stack frames (so a failure names the module that threw).
 */
export function hardenedParams<T>(seed: number, numRuns: number): fc.Parameters<T> {
  return {
    seed,
    numRuns,
    endOnFailure: true,
    reporter(out) {
      if (!out.failed) return;
      const err = out.errorInstance;
      const stack = err instanceof Error ? (err.stack ?? "").split("\n").slice(0, 8).join("\n") : String(err);
      throw new Error(
        `seed ${out.seed}, path ${out.counterexamplePath}: ${describeValue(out.counterexample)}\n${stack}`,
      );
    },
  };
}

/** Valid JSON, shallow enough for `allPaths` and `JSON.stringify` to walk again. */
export function stackable(bytes: Buffer): boolean {
  const text = bytes.toString("utf8");
  if (findTooDeep(text, 1500) !== -1) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
