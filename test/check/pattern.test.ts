import { describe, expect, it } from "vitest";
import { addressNameKey, compileAddressPattern } from "../../src/check/pattern.js";
import { InputError } from "../../src/plan/types.js";

const m = (pattern: string, address: string): boolean => compileAddressPattern(pattern).matches(address);

describe("address patterns", () => {
  it("a name without a key covers every instance, as -target does", () => {
    expect(m("aws_s3_bucket.b", "aws_s3_bucket.b")).toBe(true);
    expect(m("aws_s3_bucket.b", "aws_s3_bucket.b[0]")).toBe(true);
    expect(m("aws_s3_bucket.b", 'aws_s3_bucket.b["x"]')).toBe(true);
    expect(m("aws_s3_bucket.b", "aws_s3_bucket.bb")).toBe(false);
    expect(m("module.s3.aws_s3_bucket.this", 'module.s3["logs"].aws_s3_bucket.this[0]')).toBe(true);
    expect(m("aws_s3_bucket.this", "module.s3.aws_s3_bucket.this")).toBe(false);
  });

  it("[*] needs a key; an explicit key must be equal", () => {
    expect(m("module.s3[*].aws_s3_bucket.*", 'module.s3["a"].aws_s3_bucket.logs')).toBe(true);
    expect(m("module.s3[*].aws_s3_bucket.*", "module.s3.aws_s3_bucket.logs")).toBe(false);
    expect(m('module.s3["a"].aws_s3_bucket.*', 'module.s3["b"].aws_s3_bucket.logs')).toBe(false);
    expect(m("aws_s3_bucket.b[1]", "aws_s3_bucket.b[1]")).toBe(true);
    expect(m("aws_s3_bucket.b[1]", 'aws_s3_bucket.b["1"]')).toBe(false);
  });

  it("quoted for_each keys may hold dots, brackets and globs", () => {
    expect(m('aws_s3_bucket.b["logs.example.com"]', 'aws_s3_bucket.b["logs.example.com"]')).toBe(true);
    expect(m('aws_s3_bucket.b["logs.*"]', 'aws_s3_bucket.b["logs.example.com"]')).toBe(true);
    expect(m('aws_s3_bucket.b["a]b"]', 'aws_s3_bucket.b["a]b"]')).toBe(true);
    expect(m('aws_s3_bucket.b["logs.*"]', 'aws_s3_bucket.b["data.example.com"]')).toBe(false);
  });

  it("* stays inside one name; ** spans segments", () => {
    expect(m("aws_s3_*.*", "aws_s3_bucket.b")).toBe(true);
    expect(m("*.*", "module.s3.aws_s3_bucket.b")).toBe(false);
    expect(m("**", "module.s3.aws_s3_bucket.b")).toBe(true);
    expect(m("module.legacy.**", 'module.legacy.module.inner["k"].aws_s3_bucket.b[0]')).toBe(true);
    expect(m("**.aws_s3_bucket.logs", "module.a.module.b.aws_s3_bucket.logs")).toBe(true);
    expect(m("**.aws_s3_bucket.logs", "aws_s3_bucket.logs")).toBe(true);
    expect(m("data.aws_iam_policy_document.*", "data.aws_iam_policy_document.p")).toBe(true);
  });

  it("rejects what it cannot read", () => {
    expect(() => compileAddressPattern("aws_s3_bucket.b[x]")).toThrow(InputError);
    expect(() => compileAddressPattern("a**b.c")).toThrow(/whole segment/);
    expect(() => compileAddressPattern("[0]")).toThrow(InputError);
  });

  it("literal patterns index by key-less names", () => {
    expect(compileAddressPattern('module.s3["a"].aws_s3_bucket.b').nameKey).toBe("module.s3.aws_s3_bucket.b");
    expect(compileAddressPattern("module.*.aws_s3_bucket.b").nameKey).toBeUndefined();
    expect(addressNameKey('module.s3["a.b"].aws_s3_bucket.b[0]')).toBe("module.s3.aws_s3_bucket.b");
  });
});
