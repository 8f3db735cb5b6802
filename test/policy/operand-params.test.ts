/**
 * `${param.NAME}` in string operands (equals / in / contains / matches values), substituted at
 * compile time; in a regex the value is escaped (a parameter is data) and the result is still
 * checked for safety.
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/engine/evaluate.js";
import { compilePack } from "../../src/policy/compile.js";
import { parsePackText } from "../../src/policy/source.js";
import { model } from "../fix/helpers.js";

const pack = (require: string, params = "") => `apiVersion: plangate/v1
kind: PolicyPack
metadata: { name: t, version: 1.0.0 }
parameters:
  key: { type: string, default: "Back.up" }${params}
rules:
  - id: r
    title: r
    severity: low
    enforcement: advisory
    resource: aws_s3_bucket
    require: ${require}
`;

function statusOf(
  require: string,
  values: Record<string, string>,
  params: Record<string, string> = {},
): string[] {
  const compiled = compilePack(parsePackText(pack(require), "t.yaml", "yaml"), { params });
  expect(compiled.diagnostics).toEqual([]);
  if (!compiled.pack) throw new Error("no pack");
  const m = model(
    Object.entries(values).map(([name, v]) => ({
      address: `aws_s3_bucket.${name}`,
      type: "aws_s3_bucket",
      name,
      after: { bucket: v },
    })),
  );
  return evaluate(m, [compiled.pack]).map((r) => `${r.address.split(".")[1]}=${r.status}`);
}

describe("${param} in string operands", () => {
  it("equals, in and contains see the parameter's value (default or configured)", () => {
    const buckets = { a: "aws:ResourceTag/Back.up", b: "aws:ResourceTag/Other" };
    expect(statusOf('{ attribute: bucket, equals: "aws:ResourceTag/${param.key}" }', buckets)).toEqual([
      "a=pass",
      "b=fail",
    ]);
    expect(
      statusOf('{ attribute: bucket, equals: "aws:ResourceTag/${param.key}" }', buckets, { key: "Other" }),
    ).toEqual(["a=fail", "b=pass"]);
    expect(statusOf('{ attribute: bucket, in: ["x", "aws:ResourceTag/${param.key}"] }', buckets)).toEqual([
      "a=pass",
      "b=fail",
    ]);
    expect(statusOf('{ attribute: bucket, contains: "/${param.key}" }', buckets)).toEqual([
      "a=pass",
      "b=fail",
    ]);
  });

  it("in matches, the value is a literal: its regex characters are escaped", () => {
    expect(
      statusOf('{ attribute: bucket, matches: "^x-${param.key}$" }', { a: "x-Back.up", b: "x-Backxup" }),
    ).toEqual(["a=pass", "b=fail"]);
    expect(
      statusOf(
        '{ attribute: bucket, matches: "^${param.key}$" }',
        { a: "(a+)+", b: "aaa" },
        { key: "(a+)+" },
      ),
    ).toEqual(["a=pass", "b=fail"]);
  });

  it("an unknown parameter is a compile error at the operand", () => {
    const compiled = compilePack(
      parsePackText(pack('{ attribute: bucket, equals: "${param.nope}" }'), "t.yaml", "yaml"),
    );
    expect(compiled.diagnostics.map((d) => [d.code, d.message, d.instancePath])).toEqual([
      ["unknown-parameter", 'unknown parameter "nope"', "/rules/0/require/equals"],
    ]);
  });
});
