import { describe, expect, it } from "vitest";
import { matches } from "../../src/policy/operators/matches.js";
import { checkRegex, MAX_MATCH_INPUT } from "../../src/policy/regex-safety.js";

describe("regex safety", () => {
  const safe = [
    "^arn:aws:kms:",
    "^[A-Za-z0-9-]+:\\*$",
    "^arn:aws[a-z-]*:iam::aws:policy/AdministratorAccess$",
    "^(AES256|aws:kms)$",
    "^arn:aws:s3:::.*/.*$",
    "^\\d{12}$",
    "(?:ab|cd)+",
    "^[a-z]+(-[a-z]+)*$",
    "(?=x)y+",
    "(a+b)+",
    "(ab*)*",
  ];
  const unsafe: [string, RegExp][] = [
    ["^(a+)+$", /nested quantifiers/],
    ["(\\w+\\s?)*$", /nested quantifiers/],
    ["(.*a){3,}", /nested quantifiers/],
    ["^(a|a)*$", /repeated alternation/],
    ["(a|ab)+c", /repeated alternation/],
    ["(\\w|\\d)+", /repeated alternation/],
    ["\\d+\\d*x", /adjacent unbounded/],
    [".*.*=", /adjacent unbounded/],
    ["(a)\\1", /backreferences/],
    ["(a*b*)*", /nested quantifiers/],
    ["(?=(a+)+)b", /nested quantifiers/],
  ];
  for (const p of safe) it(`accepts ${p}`, () => expect(checkRegex(p).ok).toBe(true));
  for (const [p, why] of unsafe) {
    it(`rejects ${p}`, () => {
      const r = checkRegex(p);
      expect(r.ok).toBe(false);
      expect(r.ok ? "" : r.error).toMatch(why);
    });
  }
  it("caps the matched input: a longer string is not matched (unknown)", () => {
    const compiled = matches.compile("^a");
    if (!compiled.ok) throw new Error(compiled.error);
    const long = `a${"b".repeat(MAX_MATCH_INPUT)}`;
    expect(
      compiled.op.holds({ state: "known", value: long, sensitive: false, partial: false }, null),
    ).toBeUndefined();
    expect(compiled.op.holds({ state: "known", value: "ab", sensitive: false, partial: false }, null)).toBe(
      true,
    );
  });
});
