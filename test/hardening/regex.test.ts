/**
 * Regex safety. A pack's `matches` patterns are checked at compile time for catastrophic
 * backtracking and run on bounded input; wildcard patterns that come from plans (IAM `Action`,
 * `Resource`, principals) are matched without a regex engine.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { globToRegExp } from "../../src/check/pattern.js";
import { checkRegex, MAX_MATCH_INPUT } from "../../src/policy/regex-safety.js";
import { wildcardMatch } from "../../src/safety/wildcard.js";
import {
  bucketPlan,
  classify,
  compileText,
  gate,
  modelFromBytes,
  packWith as pipelinePack,
  policyPlan,
} from "./pipeline.js";

const packWith = (pattern: string): string =>
  pipelinePack(`{ attribute: bucket, matches: ${JSON.stringify(pattern)} }`, "re");

const EVIL = [
  "(a+)+$",
  "^(a+)+$",
  "(a|aa)+$",
  "(a|a?)+$",
  "^(\\w+\\s?)*$",
  "(x+x+)+y",
  "([a-zA-Z]+)*$",
  "(.*a){12}",
  "^(a|ab)*c$",
  "\\d+\\d*x",
  ".*.*.*.*.*.*=",
  "(\\1)+",
];

describe("pack regexes", () => {
  it("(a+)+$ is refused at compile time, with file:line:column", () => {
    const out = classify(() => compileText(packWith("(a+)+$"), "re.yaml"));
    expect(out).toEqual({
      kind: "input-error",
      line: expect.stringMatching(/^re\.yaml:10:\d+: .*backtrack|unsafe|star height/i),
    });
  });

  it("every classic evil pattern is refused, or runs fast on its worst input", () => {
    const input = `${"a".repeat(MAX_MATCH_INPUT - 1)}!`;
    for (const p of EVIL) {
      const c = checkRegex(p);
      if (!c.ok) continue;
      const t = performance.now();
      c.regex.test(input);
      expect(performance.now() - t, p).toBeLessThan(500);
    }
  });

  it("random nestings of quantified groups: refused, or fast on adversarial input", () => {
    const atom = fc.constantFrom("a", "\\w", ".", "[ab]", "a?", "\\s", "b");
    const quant = fc.constantFrom("", "*", "+", "?", "{2,}", "{1,3}");
    const re: fc.Arbitrary<string> = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.tuple(atom, quant).map(([a, q]) => a + q),
        fc
          .tuple(fc.array(tie("node"), { minLength: 1, maxLength: 3 }), quant)
          .map(([xs, q]) => `(${xs.join("")})${q}`),
        fc.tuple(tie("node"), tie("node"), quant).map(([a, b, q]) => `(${a}|${b})${q}`),
      ),
    })).node as fc.Arbitrary<string>;
    const n = MAX_MATCH_INPUT / 2 - 1;
    const inputs = [`${"a".repeat(2 * n)}!`, `${"ab".repeat(n)}!`, `${"a ".repeat(n)}!`];
    let accepted = 0;
    fc.assert(
      fc.property(re, fc.boolean(), (body, anchored) => {
        const c = checkRegex(anchored ? `^${body}$` : `${body}$`);
        if (!c.ok) return;
        accepted++;
        for (const s of inputs) {
          const t = performance.now();
          c.regex.test(s);
          // Polynomial (unanchored) patterns stay within this at the input cap; exponential ones do not.
          expect(performance.now() - t, body).toBeLessThan(1_000);
        }
      }),
      { numRuns: 300, seed: 4242 },
    );
    expect(accepted).toBeGreaterThan(20);
  });

  it("a value longer than the match limit is unknown, not a long match", () => {
    const pack = compileText(packWith("^[a-z]+$"), "re.yaml");
    const { report } = gate(modelFromBytes(bucketPlan({ bucket: "a".repeat(MAX_MATCH_INPUT + 1) })), [pack]);
    expect(report.plans[0]?.results[0]?.status).toBe("unknown");
  });
});

describe("wildcards from plans (IAM)", () => {
  const asRegex = (pattern: string, ci: boolean): RegExp =>
    new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".")}$`,
      ci ? "is" : "s",
    );

  it("wildcardMatch agrees with the anchored regex on every small input", () => {
    const chars = fc.constantFrom("a", "b", "A", "*", "?", ":", ".", "\n");
    fc.assert(
      fc.property(
        fc.string({ unit: chars, maxLength: 7 }),
        fc.string({ unit: chars, maxLength: 9 }),
        fc.boolean(),
        (p, t, ci) => {
          expect(wildcardMatch(p, t, ci)).toBe(asRegex(p, ci).test(t));
        },
      ),
      { numRuns: 3000, seed: 77 },
    );
  });

  it("a policy whose Action is many stars finishes fast through the IAM pack", () => {
    // Regression: `wildcard()` in src/policy/policy-document/match.ts compiled `*****...x` into
    // `^.*.*.*...x$`; 10 stars took 4.7 s per test against a 24-character action, 15 never ended.
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: ["*".repeat(40) + "x", "s3:*".repeat(2000)],
          Resource: "*".repeat(40) + "y",
          Principal: { AWS: "*".repeat(40) + "z" },
        },
      ],
    });
    const t = performance.now();
    const { report } = gate(modelFromBytes(policyPlan(policy)));
    expect(performance.now() - t).toBeLessThan(3_000);
    expect(report.plans[0]?.results.length).toBeGreaterThan(0);
  });
});

describe("globs from the config (waivers, --rule)", () => {
  it("globToRegExp agrees with wildcardMatch on every small input", () => {
    const chars = fc.constantFrom("a", "b", "*", "?", ".", "[", "\n", "$");
    fc.assert(
      fc.property(
        fc.string({ unit: chars, maxLength: 7 }),
        fc.string({ unit: chars, maxLength: 9 }),
        (g, t) => {
          expect(globToRegExp(g).test(t)).toBe(wildcardMatch(g, t));
        },
      ),
      { numRuns: 3000, seed: 78 },
    );
  });

  it("a waiver glob of 40 stars against a 10,000-character address finishes fast", () => {
    // Regression: `^.*a.*a…$` for `*a*a*…` is O(n^k); 20 stars never finished on a rule id.
    const globs = [
      "*".repeat(40) + "x",
      "*a".repeat(40) + "*b",
      `module.*${"*?".repeat(30)}.aws_s3_bucket.*z`,
    ];
    const address = `module.m["${"a".repeat(10_000)}"].aws_s3_bucket.b`;
    for (const g of globs) {
      const t = performance.now();
      globToRegExp(g).test(address);
      expect(performance.now() - t, g).toBeLessThan(500);
    }
  });
});
