import { describe, expect, it } from "vitest";
import type { JsonValue } from "../../src/plan/types.js";
import { compilePack } from "../../src/policy/compile.js";
import { loadSchemaIndex } from "../../src/policy/provider-schema/index.js";
import { parsePackText } from "../../src/policy/source.js";

const index = loadSchemaIndex();

interface Found {
  readonly at: string;
  readonly code: string;
  readonly severity: string;
  readonly message: string;
}

function diagnose(
  yaml: string,
  params?: Record<string, JsonValue>,
  format: "yaml" | "json" = "yaml",
): Found[] {
  const result = compilePack(parsePackText(yaml, "p.yaml", format), {
    schemaIndex: index,
    ...(params ? { params } : {}),
  });
  if (result.diagnostics.some((d) => d.severity === "error")) expect(result.pack).toBeUndefined();
  return result.diagnostics.map((d) => ({
    at: `${d.line}:${d.column}`,
    code: d.code,
    severity: d.severity,
    message: d.message,
  }));
}

/** A valid pack whose rule 0 has `require` (given at 6 spaces of indentation, line 10 on). */
function pack(require: string, head = "", rule = ""): string {
  return `apiVersion: plangate/v1
kind: PolicyPack
metadata: { name: t, version: "1" }
${head}rules:
  - id: r
    title: T
    severity: high
    enforcement: advisory
    resource: aws_s3_bucket
${rule}    require:
${require}
`;
}

describe("a valid pack", () => {
  it("compiles with no diagnostic", () => {
    expect(diagnose(pack("      attribute: bucket\n      exists: true"))).toEqual([]);
  });
});

describe("parse errors", () => {
  it("YAML syntax", () => {
    expect(diagnose("rules: [\n")).toEqual([expect.objectContaining({ at: "2:1", code: "syntax" })]);
  });
  it("duplicate keys", () => {
    const found = diagnose("apiVersion: plangate/v1\nkind: PolicyPack\nkind: PolicyPack\n");
    expect(found).toEqual([expect.objectContaining({ at: "3:1", code: "duplicate-key" })]);
  });
  it("duplicate keys in JSON", () => {
    expect(diagnose('{\n  "kind": 1,\n  "kind": 2\n}', undefined, "json")).toEqual([
      expect.objectContaining({ at: "3:3", code: "duplicate-key" }),
    ]);
  });
  it("alias expansion is bounded", () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 6; i++)
      lines.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(", ")}]`,
      );
    expect(diagnose(lines.join("\n"))).toEqual([expect.objectContaining({ at: "1:1", code: "alias-limit" })]);
  });
  it("custom tags are rejected", () => {
    expect(diagnose("apiVersion: !js/function x\n")).toEqual([
      expect.objectContaining({ at: "1:13", code: "syntax" }),
    ]);
  });
});

describe("schema errors", () => {
  it("unknown property, with did-you-mean, at the key", () => {
    expect(diagnose(pack("      attribute: bucket\n      exists: true", "", "    severty: high\n"))).toEqual([
      {
        at: "10:5",
        code: "schema",
        severity: "error",
        message: 'rules[0]: unknown property "severty" (did you mean "severity"?)',
      },
    ]);
  });
  it("enum", () => {
    const text = pack("      attribute: bucket\n      exists: true").replace(
      "enforcement: advisory",
      "enforcement: strict",
    );
    expect(diagnose(text)).toEqual([
      expect.objectContaining({
        at: "8:18",
        message: 'rules[0].enforcement: must be one of "advisory", "soft-mandatory", "hard-mandatory"',
      }),
    ]);
  });
  it("an assertion is judged by its key: an attribute assertion without operator, a misspelt operator", () => {
    expect(diagnose(pack("      attribute: bucket\n      equal: x"))).toEqual([
      expect.objectContaining({
        at: "11:7",
        message: expect.stringMatching(/^rules\[0\]\.require: an attribute assertion needs an operator/),
      }),
      expect.objectContaining({
        at: "12:7",
        message: 'rules[0].require: unknown property "equal" (did you mean "equals"?)',
      }),
    ]);
  });
  it("an object that is no assertion at all", () => {
    expect(diagnose(pack("      alll: []"))).toEqual([
      expect.objectContaining({
        at: "11:7",
        message: expect.stringMatching(/an assertion needs one of: attribute, all, any/),
      }),
    ]);
  });
  it("a missing required property deep inside", () => {
    expect(diagnose(pack("      each: rule\n"))).toEqual([
      expect.objectContaining({
        at: "11:7",
        message: 'rules[0].require: missing required property "require"',
      }),
    ]);
  });
  it("a number or a $param: one message", () => {
    expect(diagnose(pack("      attribute: x\n      greaterThan: ten"))).toEqual([
      expect.objectContaining({
        at: "12:20",
        message: expect.stringMatching(/^rules\[0\]\.require\.greaterThan: matches no allowed form/),
      }),
    ]);
  });
});

describe("semantic errors", () => {
  it("duplicate rule ids", () => {
    const text = `${pack("      attribute: bucket\n      exists: true")}  - id: r
    title: T2
    severity: low
    enforcement: advisory
    resource: aws_s3_bucket
    require: { attribute: bucket, exists: true }
`;
    expect(diagnose(text)).toEqual([
      expect.objectContaining({
        at: "13:9",
        code: "duplicate-rule-id",
        message: 'duplicate rule id "r" (first defined at line 5)',
      }),
    ]);
  });
  it("unknown parameter in a value and in a path; a config parameter the pack does not declare", () => {
    expect(diagnose(pack("      attribute: bucket\n      in: { $param: names }"))).toEqual([
      expect.objectContaining({
        at: "12:11",
        code: "unknown-parameter",
        message: 'unknown parameter "names"',
      }),
    ]);
    expect(diagnose(pack('      attribute: "tags.${param.key}"\n      exists: true'))).toEqual([
      expect.objectContaining({ at: "11:18", code: "unknown-parameter" }),
    ]);
    const head = "parameters:\n  key: { type: string, default: Owner }\n";
    expect(
      diagnose(pack('      attribute: "tags.${param.key}"\n      exists: true', head), { other: 1 }),
    ).toEqual([
      expect.objectContaining({
        at: "5:3",
        code: "unknown-parameter",
        message: 'the config sets parameter "other", which pack "t" does not declare',
      }),
    ]);
  });
  it("parameter of the wrong type", () => {
    const head = "parameters:\n  days: { type: number, default: thirty }\n";
    expect(diagnose(pack("      attribute: bucket\n      exists: true", head))).toEqual([
      expect.objectContaining({ at: "5:34", code: "parameter-type" }),
    ]);
  });
  it("invalid path", () => {
    expect(diagnose(pack('      attribute: "a..b"\n      exists: true'))).toEqual([
      expect.objectContaining({
        at: "11:18",
        code: "invalid-path",
        message: expect.stringMatching(/^invalid path "a\.\.b"/),
      }),
    ]);
  });
  it("unsafe, invalid and overlong regular expressions", () => {
    const unsafe = diagnose(pack('      attribute: bucket\n      matches: "^(a+)+$"'));
    expect(unsafe).toEqual([
      expect.objectContaining({
        at: "12:16",
        code: "unsafe-regex",
        message: expect.stringMatching(/nested quantifiers/),
      }),
    ]);
    expect(diagnose(pack('      attribute: bucket\n      matches: "(a"'))).toEqual([
      expect.objectContaining({ at: "12:16", code: "invalid-regex" }),
    ]);
    expect(diagnose(pack(`      attribute: bucket\n      matches: "${"a".repeat(1001)}"`))).toEqual([
      expect.objectContaining({ at: "12:16", code: "regex-too-long" }),
    ]);
    const doc =
      "      policyDocument:\n        attribute: policy\n        forbid: { actionMatches: '(\\w|\\d)+' }";
    expect(diagnose(pack(doc).replace("resource: aws_s3_bucket", "resource: aws_s3_bucket_policy"))).toEqual([
      expect.objectContaining({ at: "13:34", code: "unsafe-regex" }),
    ]);
  });
  it("two operators in one assertion", () => {
    expect(diagnose(pack("      attribute: bucket\n      exists: true\n      equals: x"))).toEqual([
      expect.objectContaining({ at: "11:7", code: "operator-count" }),
    ]);
  });
  it("$subject outside related", () => {
    expect(diagnose(pack("      attribute: bucket\n      equals: { $subject: id }"))).toEqual([
      expect.objectContaining({ at: "12:15", code: "subject-outside-related" }),
    ]);
  });
  it("count.max below count.min", () => {
    const related =
      "      related:\n        type: aws_s3_bucket_versioning\n        count: { min: 2, max: 1 }";
    expect(diagnose(pack(related))).toEqual([
      expect.objectContaining({ at: "13:16", code: "invalid-count" }),
    ]);
  });
});

describe("type checks against provider schemas", () => {
  it("unknown attribute, with did-you-mean", () => {
    expect(diagnose(pack("      attribute: buckett\n      exists: true"))).toEqual([
      expect.objectContaining({
        at: "11:18",
        code: "unknown-attribute",
        message: 'unknown attribute "buckett" of aws_s3_bucket (did you mean "bucket"?)',
      }),
    ]);
  });
  it("a list block entered without [0] / [*]", () => {
    expect(diagnose(pack("      attribute: versioning.enabled\n      equals: true"))).toEqual([
      expect.objectContaining({
        at: "11:18",
        code: "block-needs-index",
        message:
          '"versioning" of aws_s3_bucket is a list: write versioning[0] for the first element or versioning[*] for every element',
      }),
    ]);
  });
  it("a number compared with a string; an `in` list with a value of the wrong type", () => {
    expect(diagnose(pack('      attribute: "versioning[0].enabled"\n      equals: "yes"'))).toEqual([
      expect.objectContaining({
        at: "12:15",
        code: "type-mismatch",
        message: '"versioning[0].enabled" is a bool; it cannot equal "yes"',
      }),
    ]);
    expect(diagnose(pack("      attribute: bucket\n      greaterThan: 3"))).toEqual([
      expect.objectContaining({ at: "12:20", code: "type-mismatch" }),
    ]);
    expect(diagnose(pack("      attribute: bucket\n      in: [a, 3]"))).toEqual([
      expect.objectContaining({ at: "12:15", code: "type-mismatch" }),
    ]);
  });
  it("unknown resource type: an error for a provider we have, a warning otherwise", () => {
    const text = pack("      attribute: x\n      exists: true");
    expect(diagnose(text.replace("resource: aws_s3_bucket", "resource: aws_s3_buckt"))).toEqual([
      expect.objectContaining({
        at: "9:15",
        code: "unknown-resource-type",
        severity: "error",
        message: 'unknown resource type "aws_s3_buckt" (did you mean "aws_s3_bucket"?)',
      }),
    ]);
    expect(diagnose(text.replace("resource: aws_s3_bucket", "resource: azurerm_storage_account"))).toEqual([
      expect.objectContaining({ at: "9:15", code: "unknown-resource-type", severity: "warning" }),
    ]);
  });
  it("related scope: plan warns when its where cannot be indexed (evaluated per subject and candidate)", () => {
    const related = (where: string) =>
      pack(
        `      related:\n        type: aws_s3_bucket_policy\n        scope: plan\n        where: ${where}`,
      );
    expect(diagnose(related("{ attribute: bucket, equals: { $subject: id } }"))).toEqual([]);
    expect(diagnose(related("{ not: { attribute: bucket, equals: { $subject: id } } }"))).toEqual([]);
    // A where that does not read the subject is evaluated once per candidate.
    expect(diagnose(related("{ attribute: bucket, exists: true }"))).toEqual([]);
    expect(diagnose(related("{ attribute: bucket, notEquals: { $subject: id } }"))).toEqual([
      expect.objectContaining({
        at: "14:16",
        code: "related-where-pairwise",
        severity: "warning",
        message: expect.stringContaining("evaluated for every (subject, candidate) pair"),
      }),
    ]);
    // Two different subject paths: no single value to index on.
    const two =
      "{ all: [{ attribute: bucket, equals: { $subject: id } }, { attribute: policy, equals: { $subject: arn } }] }";
    expect(diagnose(related(two)).map((d) => d.code)).toEqual(["related-where-pairwise"]);
  });
  it("inside related and each, paths are checked against the related type and the element", () => {
    const related =
      "      related:\n        type: aws_s3_bucket_versioning\n        require: { attribute: status, exists: true }";
    expect(diagnose(pack(related))).toEqual([
      expect.objectContaining({ at: "13:31", code: "unknown-attribute" }),
    ]);
    const each = "      each: lifecycle_rule\n      require: { attribute: enabledd, equals: true }";
    expect(diagnose(pack(each))).toEqual([
      expect.objectContaining({
        at: "12:29",
        code: "unknown-attribute",
        message: expect.stringContaining('did you mean "enabled"'),
      }),
    ]);
  });
});

describe("odd documents", () => {
  it("an empty file, a list, a string: one schema error at the top, no crash", () => {
    expect(diagnose("")).toEqual([
      expect.objectContaining({ at: "1:1", code: "schema", message: "(document): must be object" }),
    ]);
    expect(diagnose("- a\n- b\n")).toEqual([
      expect.objectContaining({ at: "1:1", message: "(document): must be object" }),
    ]);
    expect(diagnose('"pack"')).toEqual([
      expect.objectContaining({ at: "1:1", message: "(document): must be object" }),
    ]);
  });
  it("rules that are not a list, an assertion that is a string", () => {
    const text = pack("      attribute: bucket\n      exists: true");
    expect(diagnose(text.replace(/rules:[\s\S]*/, "rules: nope\n"))).toEqual([
      expect.objectContaining({ at: "4:8", message: "rules: must be array" }),
    ]);
    expect(diagnose(pack("      - attribute: bucket"))).toEqual([
      expect.objectContaining({ at: "11:7", message: expect.stringMatching(/^rules\[0\]\.require: /) }),
    ]);
  });
});
