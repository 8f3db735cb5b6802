import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

type Node = { [key: string]: unknown };

/** JSON Pointers of every property schema that lacks a description. */
function undocumented(node: unknown, at = "#"): string[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => undocumented(n, `${at}/${i}`));
  if (node === null || typeof node !== "object") return [];
  const out: string[] = [];
  const props = (node as Node).properties;
  if (props && typeof props === "object") {
    for (const [name, schema] of Object.entries(props as Node)) {
      if (typeof (schema as Node).description !== "string") out.push(`${at}/properties/${name}`);
    }
  }
  for (const [k, v] of Object.entries(node as Node)) out.push(...undocumented(v, `${at}/${k}`));
  return [...new Set(out)];
}

describe("schemas", () => {
  for (const name of ["config", "results"]) {
    it(`${name}.schema.json documents every property`, () => {
      const schema: unknown = JSON.parse(
        readFileSync(new URL(`../../schemas/${name}.schema.json`, import.meta.url), "utf8"),
      );
      expect(undocumented(schema)).toEqual([]);
    });
  }
});
