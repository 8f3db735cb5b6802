import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findTooDeep } from "../../src/safety/json.js";

/** The character-by-character scan findTooDeep replaced (it skips strings with indexOf now). */
function reference(text: string, maxDepth: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

describe("findTooDeep (fast string skipping)", () => {
  it("agrees with the plain scan on any text of quotes, backslashes and brackets", () => {
    const text = fc.string({ unit: fc.constantFrom('"', "\\", "[", "]", "{", "}", "a", ",") });
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 4 }), (t, d) => {
        expect(findTooDeep(t, d)).toBe(reference(t, d));
      }),
      { numRuns: 5000 },
    );
  });

  it("agrees on JSON with escaped quotes and backslashes in strings", () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 6 }), fc.integer({ min: 0, max: 6 }), (t, d) => {
        expect(findTooDeep(t, d)).toBe(reference(t, d));
      }),
      { numRuns: 2000 },
    );
  });
});
