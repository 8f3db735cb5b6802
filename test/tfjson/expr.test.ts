// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` is Terraform interpolation syntax under test, not a JS template.
import { describe, expect, it } from "vitest";
import { extractReferences, parseTemplate } from "../../src/plan/tfjson-expr.js";

describe("parseTemplate", () => {
  it("keeps literals, with escapes undone", () => {
    expect(parseTemplate("acme-reports")).toEqual({ kind: "literal", value: "acme-reports" });
    expect(parseTemplate("cost $${price} and %%{x}")).toEqual({
      kind: "literal",
      value: "cost ${price} and %{x}",
    });
    expect(parseTemplate("$5 {not} an interpolation")).toEqual({
      kind: "literal",
      value: "$5 {not} an interpolation",
    });
  });

  it("gives the references of interpolations as Terraform prints them", () => {
    expect(parseTemplate("${aws_s3_bucket.reports.id}")).toEqual({
      kind: "interpolated",
      references: ["aws_s3_bucket.reports.id", "aws_s3_bucket.reports"],
    });
    expect(parseTemplate("${data.aws_iam_policy_document.x.json}")).toEqual({
      kind: "interpolated",
      references: ["data.aws_iam_policy_document.x.json", "data.aws_iam_policy_document.x"],
    });
    expect(parseTemplate("${var.x}").kind === "interpolated" && parseTemplate("${var.x}")).toMatchObject({
      references: ["var.x"],
    });
    expect(parseTemplate("arn:${module.m.out}/*")).toMatchObject({
      references: ["module.m.out", "module.m"],
    });
    expect(parseTemplate("${timestamp()}")).toEqual({ kind: "interpolated", references: [] });
  });
});

describe("extractReferences", () => {
  it("finds traversals through functions, conditionals and operators", () => {
    expect(
      extractReferences("local.attach ? aws_s3_bucket_policy.this[0].id : aws_s3_bucket.this[0].id"),
    ).toEqual([
      "local.attach",
      "aws_s3_bucket_policy.this[0].id",
      "aws_s3_bucket_policy.this[0]",
      "aws_s3_bucket_policy.this",
      "aws_s3_bucket.this[0].id",
      "aws_s3_bucket.this[0]",
      "aws_s3_bucket.this",
    ]);
    expect(extractReferences('jsonencode({ Resource = "${aws_s3_bucket.b.arn}/*", n = var.n + 1 })')).toEqual(
      ["aws_s3_bucket.b.arn", "aws_s3_bucket.b", "var.n"],
    );
    expect(extractReferences('coalesce(var.a, lookup(local.m, "k", null))')).toEqual(["var.a", "local.m"]);
    expect(extractReferences('module.s3["logs"].bucket_arn')).toEqual([
      'module.s3["logs"].bucket_arn',
      'module.s3["logs"]',
      "module.s3",
    ]);
  });

  it("skips strings, function results, splats' tails and for-expression variables", () => {
    expect(extractReferences('"aws_s3_bucket.b.id is text"')).toEqual([]);
    expect(extractReferences("element(aws_subnet.a.*.id, 0)")).toEqual(["aws_subnet.a"]);
    expect(extractReferences("aws_instance.web[*].id")).toEqual(["aws_instance.web"]);
    expect(extractReferences("[for s in aws_subnet.private : s.id]")).toEqual(["aws_subnet.private"]);
    expect(extractReferences("{ for k, v in var.buckets : k => v.name if v.enabled }")).toEqual([
      "var.buckets",
    ]);
    expect(extractReferences("try(jsondecode(var.doc).Statement, [])")).toEqual(["var.doc"]);
    expect(extractReferences("aws_s3_bucket.b[count.index].id")).toEqual(["aws_s3_bucket.b", "count.index"]);
    expect(extractReferences("provider::aws::arn_parse(aws_s3_bucket.b.arn).region")).toEqual([
      "aws_s3_bucket.b.arn",
      "aws_s3_bucket.b",
    ]);
    expect(extractReferences("true && 1.5e3 > 2 ? null : each.key")).toEqual(["each.key"]);
  });
});
