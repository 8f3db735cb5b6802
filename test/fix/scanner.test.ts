import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findResourceBlock, type HclBlock, scanHcl } from "../../src/fix/hcl-scanner.js";
import { fmtClean, fmtDiff } from "./helpers.js";

const fixture = fs.readFileSync(path.join(import.meta.dirname, "fixtures/scanner/main.tf"), "utf8");

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split("\n").length;
}

describe("scanHcl", () => {
  it("the fixture is valid, fmt-clean HCL (terraform fmt parses it)", () => {
    expect(fmtClean(fixture), fmtDiff(fixture)).toBe(true);
  });

  it("finds exactly the real top-level blocks, skipping comments, strings and heredocs", () => {
    const file = scanHcl(fixture);
    expect(file.error).toBeUndefined();
    const heads = file.items.map((i) => (i.kind === "block" ? [i.type, ...i.labels].join(" ") : i.name));
    expect(heads).toEqual([
      "terraform",
      "locals",
      "data aws_caller_identity current",
      "resource aws_s3_bucket this",
      "resource aws_iam_policy heredoc",
      "resource aws_s3_bucket_lifecycle_configuration dyn",
      "resource aws_s3_bucket_versioning this",
    ]);
  });

  it("gives lines and offsets of blocks, attributes and nested blocks", () => {
    const file = scanHcl(fixture);
    const b = findResourceBlock(file, "aws_s3_bucket", "this") as HclBlock;
    expect(b.line).toBe(lineOf(fixture, 'resource "aws_s3_bucket" "this"'));
    expect(fixture.slice(b.start, b.end).startsWith('resource "aws_s3_bucket" "this" {')).toBe(true);
    expect(fixture[b.close]).toBe("}");
    const names = b.items.map((i) => (i.kind === "attribute" ? i.name : i.type));
    expect(names).toEqual(["for_each", "bucket", "tags"]);
    const tags = b.items[2];
    expect(tags?.kind === "attribute" && tags.line !== tags.endLine).toBe(true);
    const bucket = b.items[1];
    expect(bucket?.kind === "attribute" && fixture.slice(bucket.valueStart, bucket.end)).toBe(
      '"${each.key}-bucket"',
    );

    const h = findResourceBlock(file, "aws_iam_policy", "heredoc") as HclBlock;
    const policy = h.items.find((i) => i.kind === "attribute" && i.name === "policy");
    expect(
      policy?.kind === "attribute" && fixture.slice(policy.valueStart, policy.end).endsWith("\nEOF"),
    ).toBe(true);
    expect(h.endLine).toBe(lineOf(fixture, "EOF\n}") + 1);

    const d = findResourceBlock(file, "aws_s3_bucket_lifecycle_configuration", "dyn") as HclBlock;
    const dyn = d.items.find((i) => i.kind === "block");
    expect(dyn?.kind === "block" && [dyn.type, ...dyn.labels]).toEqual(["dynamic", "rule"]);

    const v = findResourceBlock(file, "aws_s3_bucket_versioning", "this") as HclBlock;
    const vc = v.items.find((i) => i.kind === "block") as HclBlock;
    expect(vc.type).toBe("versioning_configuration");
    expect(vc.items[0]?.kind === "attribute" && vc.items[0].name).toBe("status");
  });

  it("reports broken input instead of throwing", () => {
    expect(scanHcl('resource "a" "b" {\n  x = "unterminated\n}\n').error).toMatch(/line 2/);
    expect(scanHcl('resource "a" "b" {\n  x = 1\n').error).toMatch(/missing }/);
    expect(scanHcl("x = <<EOF\nno end\n").error).toMatch(/heredoc/);
    expect(scanHcl("/* open").error).toMatch(/comment/);
  });

  it("handles CRLF line endings", () => {
    const crlf = fixture.replace(/\n/g, "\r\n");
    const file = scanHcl(crlf);
    expect(file.error).toBeUndefined();
    expect(findResourceBlock(file, "aws_iam_policy", "heredoc")).toBeDefined();
  });
});

describe("scanHcl on hostile input", () => {
  it("never throws and always ends, on any text (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."{}[]()\"'$%#/*<-EOF \n\\=ab1") }), (text) => {
        const file = scanHcl(text);
        expect(Array.isArray(file.items)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses 10,000-deep nesting with an error, not a stack overflow", () => {
    const deep = `${"a {\n".repeat(10_000)}${"}\n".repeat(10_000)}`;
    expect(scanHcl(deep).error).toMatch(/nesting deeper/);
    const strings = `x = "${'${"'.repeat(5_000)}`;
    expect(scanHcl(strings).error).toBeDefined();
  });

  it("a large file scans in linear time", () => {
    const block =
      'resource "aws_s3_bucket" "b%" {\n  bucket = "x-${var.y}"\n  tags = {\n    A = "}"\n  }\n}\n\n';
    const text = Array.from({ length: 5_000 }, (_, i) => block.replace("%", String(i))).join("");
    const t0 = performance.now();
    const file = scanHcl(text);
    expect(file.items).toHaveLength(5_000);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});
