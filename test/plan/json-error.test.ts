import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { locateJsonError } from "../../src/plan/json-error.js";

describe("locateJsonError", () => {
  it("finds nothing wrong in valid JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (v, pretty) => {
        expect(locateJsonError(JSON.stringify(v, null, pretty ? 2 : undefined))).toBeUndefined();
      }),
    );
  });

  it("calls every strict prefix of an object or array truncated, at its end", () => {
    const container = fc.oneof(fc.array(fc.jsonValue()), fc.dictionary(fc.string(), fc.jsonValue()));
    fc.assert(
      fc.property(container, fc.nat(), (v, cut) => {
        const text = JSON.stringify(v);
        const prefix = text.slice(0, cut % text.length);
        if (prefix.trim() === "") return;
        expect(JSON.parse.bind(null, prefix)).toThrow();
        expect(locateJsonError(prefix)).toEqual({
          index: prefix.length,
          reason: "unexpected end of input",
          truncated: true,
        });
      }),
    );
  });

  it.each([
    ['{"a": 1 "b": 2}', 8, `unexpected "\\"", expected ',' or '}'`],
    ["[1, 2,]", 6, `unexpected "]", expected a value`],
    ["{'a': 1}", 1, `unexpected "'", expected a property name in double quotes`],
    ['{"a" 1}', 5, `unexpected "1", expected ':' after a property name`],
    ['"tab\there"', 4, "control character in string"],
    ['["\\x"]', 3, 'invalid escape "\\\\x" in string'],
    ["{} {}", 3, `unexpected "{" after the end of the JSON value`],
    ["[nul]", 1, `unexpected "n", expected a value`],
  ])("%s -> index %i", (text, index, reason) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(locateJsonError(text)).toEqual({ index, reason, truncated: false });
  });

  it("survives hostile nesting", () => {
    const deep = "[".repeat(200_000);
    expect(locateJsonError(deep)).toEqual({
      index: deep.length,
      reason: "unexpected end of input",
      truncated: true,
    });
  });
});
