import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Expectation, FixEdit, Observed, RuleResult, Violation } from "../../src/engine/types.js";
import { deriveFix, deriveFixes } from "../../src/fix/derive.js";
import { mergeEdits, mergeFixes, type RuleEdits } from "../../src/fix/merge.js";
import { nodeSourceFs } from "../../src/fix/node-fs.js";
import { planPatches } from "../../src/fix/patch.js";
import { renderHcl } from "../../src/fix/snippet.js";
import type { JsonObject, JsonValue } from "../../src/plan/types.js";
import { failed, fmtClean, fmtDiff, model, type Res, tempDir, writeFiles } from "./helpers.js";

const BUCKET: Res = {
  address: "aws_s3_bucket.b",
  type: "aws_s3_bucket",
  name: "b",
  after: { bucket: "b", n: 5 },
};

function attr(
  expected: Expectation,
  actual: Observed = { state: "absent" },
  path: (string | number)[] = ["x"],
): Violation {
  return { kind: "attribute", address: "aws_s3_bucket.b", path, actual, expected };
}

function fixOf(v: Violation, extra: Partial<RuleResult> = {}) {
  return deriveFix(failed("r", "aws_s3_bucket.b", [v], extra), model([BUCKET]));
}

describe("deriveFix: values from the failed assertion", () => {
  it.each([
    [
      { op: "equals", value: "Enabled" },
      { op: "set", value: "Enabled" },
    ],
    [
      { op: "in", values: ["aws:kms", "AES256"] },
      { op: "set", value: "aws:kms" },
    ],
    [
      { op: "greaterThanOrEqual", value: 35 },
      { op: "set", value: 35 },
    ],
    [
      { op: "greaterThan", value: 35 },
      { op: "set", value: 36 },
    ],
    [
      { op: "lessThanOrEqual", value: 3600 },
      { op: "set", value: 3600 },
    ],
    [
      { op: "lessThan", value: 3600 },
      { op: "set", value: 3599 },
    ],
    [{ op: "notIn", values: ["public-read"] }, { op: "remove" }],
    [{ op: "absent" }, { op: "remove" }],
    [{ op: "notEquals", value: "*" }, { op: "remove" }],
  ] as [Expectation, { op: string; value?: unknown }][])("%j -> %j", (expected, edit) => {
    const fix = fixOf(attr(expected, { state: "known", value: "whatever" }));
    expect(fix?.edits).toEqual([{ address: "aws_s3_bucket.b", path: ["x"], ...edit }]);
    expect(fix?.hints).toEqual([]);
  });

  it.each([
    { op: "exists" },
    { op: "matches", pattern: "^arn:" },
    { op: "length", constraint: { op: "greaterThan", value: 0 } },
    { op: "greaterThan", value: 0.5 },
  ] as Expectation[])("%j has no derivable value: a hint, no invented value", (expected) => {
    const fix = fixOf(attr(expected), { hint: "Set x to your key ARN." });
    expect(fix?.edits).toEqual([]);
    expect(fix?.hints[0]).toBe("Set x to your key ARN.");
    expect(fix?.hints[1]).toMatch(/^aws_s3_bucket\.b: x must /);
  });

  it("contains extends a known list, never a sensitive one", () => {
    expect(fixOf(attr({ op: "contains", value: "c" }, { state: "known", value: ["a"] }))?.edits).toEqual([
      { op: "set", address: "aws_s3_bucket.b", path: ["x"], value: ["a", "c"] },
    ]);
    const s = fixOf(attr({ op: "contains", value: "c" }, { state: "sensitive" }));
    expect(s?.edits).toEqual([]);
    expect(s?.hints.join()).toMatch(/must contain "c"/);
  });

  it("never copies a sensitive value into the snippet", () => {
    const SECRET = "hunter2-do-not-leak";
    const m = model([
      {
        address: "aws_db_instance.db",
        type: "aws_db_instance",
        name: "db",
        after: { password: SECRET, nested: [{ token: SECRET }], storage_encrypted: false },
        afterSensitive: { password: true, nested: [{ token: true }] },
      },
    ]);
    const r = failed("r", "aws_db_instance.db", [
      {
        kind: "attribute",
        address: "aws_db_instance.db",
        path: ["password"],
        actual: { state: "sensitive" },
        expected: { op: "absent" },
      },
      {
        kind: "attribute",
        address: "aws_db_instance.db",
        path: ["nested", 0, "token"],
        actual: { state: "sensitive" },
        expected: { op: "equals", value: "x" },
      },
      {
        kind: "attribute",
        address: "aws_db_instance.db",
        path: ["storage_encrypted"],
        actual: { state: "known", value: false },
        expected: { op: "equals", value: true },
      },
    ]);
    const [out] = deriveFixes([r], m);
    expect(JSON.stringify(out)).not.toContain(SECRET);
    expect(out?.fix?.hcl).toContain("-   password = (sensitive value)");
    expect(out?.fix?.hcl).toContain("+   storage_encrypted = true");
  });

  it("passing and unknown results get no fix", () => {
    const m = model([BUCKET]);
    const pass = { ...failed("r", "aws_s3_bucket.b", []), status: "pass" as const };
    expect(deriveFixes([pass], m)[0]).toBe(pass);
  });

  it("policy statements: add-statement with JSON and aws_iam_policy_document forms", () => {
    const m = model([
      { address: "aws_s3_bucket_policy.p", type: "aws_s3_bucket_policy", name: "p", after: { policy: "{}" } },
    ]);
    const statement = {
      Sid: "DenyInsecureTransport",
      Effect: "Deny" as const,
      Principal: { AWS: ["*"] },
      Action: ["s3:*"],
      Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
      Condition: { Bool: { "aws:SecureTransport": ["false"] } },
    };
    const fix = deriveFix(
      failed("tls", "aws_s3_bucket_policy.p", [
        { kind: "policy-missing-statement", address: "aws_s3_bucket_policy.p", path: ["policy"], statement },
      ]),
      m,
    );
    expect(fix?.edits).toEqual([
      { op: "add-statement", address: "aws_s3_bucket_policy.p", path: ["policy"], statement },
    ]);
    expect(fix?.hcl).toContain('+   statement {\n+     sid       = "DenyInsecureTransport"');
    expect(fix?.hcl).toContain('+       variable = "aws:SecureTransport"');
    expect(fix?.hcl).toContain('+     "Principal": "*",');
  });

  it("statements to narrow are named, with what to narrow, and no invented value", () => {
    const m = model([{ address: "aws_iam_role.r", type: "aws_iam_role", name: "r", after: {} }]);
    const fix = deriveFix(
      failed("ext", "aws_iam_role.r", [
        {
          kind: "policy-forbidden-statement",
          address: "aws_iam_role.r",
          path: ["assume_role_policy"],
          index: 0,
          statement: {
            Effect: "Allow",
            Action: ["sts:AssumeRole"],
            Principal: { AWS: ["arn:aws:iam::210987654321:root"] },
          },
          narrow: {
            Condition: "add a Condition on sts:ExternalId",
            Principal: "restrict principals to accounts 111122223333",
          },
        },
      ]),
      m,
    );
    expect(fix?.edits).toEqual([]);
    // One hint, 1-based like every text, led by the most natural narrowing.
    expect(fix?.hints).toEqual([
      "aws_iam_role.r: assume_role_policy statement 1: add a Condition on sts:ExternalId (or narrow Principal: restrict principals to accounts 111122223333)",
    ]);
    expect(fix?.hcl).toContain("# aws_iam_role.r: assume_role_policy statement 1 to narrow:");
    expect(fix?.hcl).toContain("arn:aws:iam::210987654321:root");
  });
});

describe("deriveFix: companions", () => {
  const missing = (address: string): Violation => ({
    kind: "missing-related",
    address,
    type: "aws_s3_bucket_versioning",
    via: "bucket",
    requirements: [
      { path: ["versioning_configuration", 0, "status"], expected: { op: "equals", value: "Enabled" } },
    ],
  });

  it("named after the subject, linked by via, in the subject's module; avoids taken names", () => {
    const m = model(
      [
        {
          address: 'module.s3["logs"].aws_s3_bucket.this[0]',
          type: "aws_s3_bucket",
          name: "this",
          index: 0,
          after: {},
        },
        {
          address: 'module.s3["logs"].aws_s3_bucket_versioning.this_0',
          type: "aws_s3_bucket_versioning",
          name: "this_0",
          after: {},
        },
      ],
      { s3: "./modules/s3" },
    );
    const fix = deriveFix(
      failed("v", 'module.s3["logs"].aws_s3_bucket.this[0]', [
        missing('module.s3["logs"].aws_s3_bucket.this[0]'),
      ]),
      m,
    );
    expect(fix?.edits).toEqual([
      {
        op: "add-resource",
        address: 'module.s3["logs"].aws_s3_bucket_versioning.this_0_2',
        type: "aws_s3_bucket_versioning",
        name: "this_0_2",
        linkTo: 'module.s3["logs"].aws_s3_bucket.this[0]',
        attributes: { versioning_configuration: [{ status: "Enabled" }] },
        references: { bucket: "aws_s3_bucket.this[0].id" },
      },
    ]);
  });

  it("for_each subjects: one mirrored companion when every instance needs the same", () => {
    const dir = tempDir();
    writeFiles(dir, {
      "main.tf":
        'resource "aws_s3_bucket" "this" {\n  for_each = toset(["a", "b"])\n  bucket   = each.key\n}\n',
    });
    const res = (k: string): Res => ({
      address: `aws_s3_bucket.this["${k}"]`,
      type: "aws_s3_bucket",
      name: "this",
      index: k,
      after: { bucket: k },
      forEach: true,
    });
    const m = model([res("a"), res("b")]);
    const results = ["a", "b"].map((k) =>
      failed("v", `aws_s3_bucket.this["${k}"]`, [missing(`aws_s3_bucket.this["${k}"]`)]),
    );
    const plan = planPatches(mergeFixes(deriveFixes(results, m)), m, dir, nodeSourceFs);
    const after = plan.files[0]?.after ?? "";
    expect(after).toContain(
      'resource "aws_s3_bucket_versioning" "this" {\n  for_each = aws_s3_bucket.this\n  bucket   = each.value.id\n\n  versioning_configuration {\n    status = "Enabled"\n  }\n}\n',
    );
    expect(fmtClean(after), fmtDiff(after)).toBe(true);

    // Only one instance needs it: a companion for that key alone.
    const one = planPatches(mergeFixes(deriveFixes([results[0] as RuleResult], m)), m, dir, nodeSourceFs);
    expect(one.files[0]?.after).toContain(
      'resource "aws_s3_bucket_versioning" "this_a" {\n  bucket = aws_s3_bucket.this["a"].id\n',
    );
  });

  it("count subjects: count = length(...) and [count.index]", () => {
    const dir = tempDir();
    writeFiles(dir, {
      "main.tf": 'resource "aws_s3_bucket" "this" {\n  count  = 2\n  bucket = "b-${count.index}"\n}\n',
    });
    const res = (i: number): Res => ({
      address: `aws_s3_bucket.this[${i}]`,
      type: "aws_s3_bucket",
      name: "this",
      index: i,
      after: {},
      count: true,
    });
    const m = model([res(0), res(1)]);
    const results = [0, 1].map((i) =>
      failed("v", `aws_s3_bucket.this[${i}]`, [missing(`aws_s3_bucket.this[${i}]`)]),
    );
    const after =
      planPatches(mergeFixes(deriveFixes(results, m)), m, dir, nodeSourceFs).files[0]?.after ?? "";
    expect(after).toContain(
      "  count  = length(aws_s3_bucket.this)\n  bucket = aws_s3_bucket.this[count.index].id\n",
    );
    expect(fmtClean(after), fmtDiff(after)).toBe(true);
  });
});

describe("mergeFixes", () => {
  const set = (rule: string, path: (string | number)[], value: unknown): RuleResult =>
    deriveFixes(
      [
        failed(rule, "aws_s3_bucket.b", [
          attr({ op: "equals", value: value as never }, { state: "absent" }, path),
        ]),
      ],
      model([BUCKET]),
    )[0] as RuleResult;

  it("agreeing edits merge into one; disagreeing ones are reported, not applied", () => {
    const merged = mergeFixes([
      set("a", ["x"], 1),
      set("b", ["x"], 1),
      set("c", ["y"], 2),
      set("d", ["y"], 3),
    ]);
    expect(merged.edits.get("aws_s3_bucket.b")).toEqual([
      { op: "set", address: "aws_s3_bucket.b", path: ["x"], value: 1 },
    ]);
    expect(merged.conflicts).toEqual([
      expect.objectContaining({ address: "aws_s3_bucket.b", path: "y", rules: ["test/c", "test/d"] }),
    ]);
  });

  it("a block value and a path inside it agree when consistent", () => {
    const merged = mergeFixes([
      set("a", ["v", 0, "status"], "Enabled"),
      set("b", ["v"], [{ status: "Enabled" }]),
    ]);
    expect(merged.conflicts).toEqual([]);
  });

  it("the output does not depend on the order of the results (property)", () => {
    const results = [
      set("a", ["x"], 1),
      set("b", ["x"], 2),
      set("c", ["y"], 2),
      set("d", ["z", 0, "k"], true),
      set("e", ["z"], [{ k: true }]),
    ];
    const expected = JSON.stringify(mergeFixes(results), (_k, v: unknown) => (v instanceof Map ? [...v] : v));
    fc.assert(
      fc.property(fc.shuffledSubarray(results, { minLength: results.length }), (shuffled) => {
        const got = JSON.stringify(mergeFixes(shuffled), (_k, v: unknown) => (v instanceof Map ? [...v] : v));
        expect(got).toBe(expected);
      }),
    );
  });
});

describe("mergeEdits: companions of one subject", () => {
  const add = (type: string, attributes: JsonObject): FixEdit => ({
    op: "add-resource",
    address: `${type}.b`,
    type,
    name: "b",
    linkTo: "aws_s3_bucket.b",
    attributes,
    references: { bucket: "aws_s3_bucket.b.id" },
  });
  const of = (fixes: RuleEdits[]) => mergeEdits(fixes).edits.get("aws_s3_bucket.b");

  it("come in address order whatever the order of the fixes; same-type ones merge (property)", () => {
    const distinct: RuleEdits[] = [
      { rule: "r/c", edits: [add("aws_z", {})] },
      { rule: "r/a", edits: [add("aws_y", { a: 1 })] },
      { rule: "r/b", edits: [add("aws_x", {})] },
    ];
    const same: RuleEdits = { rule: "r/d", edits: [add("aws_y", { b: 2 })] };
    fc.assert(
      fc.property(fc.shuffledSubarray(distinct, { minLength: 3 }), (shuffled) => {
        expect(of(shuffled)?.map((e) => e.address)).toEqual(["aws_x.b", "aws_y.b", "aws_z.b"]);
        const merged = of([...shuffled, same]);
        expect(merged?.map((e) => e.address)).toEqual(["aws_x.b", "aws_y.b", "aws_z.b"]);
        expect(merged?.[1]).toMatchObject({ attributes: { a: 1, b: 2 } });
      }),
    );
  });
});

describe("renderHcl", () => {
  it("shows what the plan has now and what passes, in nested blocks", () => {
    const m = model([
      {
        address: "aws_s3_bucket_versioning.v",
        type: "aws_s3_bucket_versioning",
        name: "v",
        after: { versioning_configuration: [{ status: "Suspended" }] },
      },
    ]);
    const hcl = renderHcl(
      {
        edits: [
          {
            op: "set",
            address: "aws_s3_bucket_versioning.v",
            path: ["versioning_configuration", 0, "status"],
            value: "Enabled",
          },
        ],
      },
      m,
    );
    expect(hcl).toBe(
      [
        "  # aws_s3_bucket_versioning.v",
        '  resource "aws_s3_bucket_versioning" "v" {',
        "    versioning_configuration {",
        '-     status = "Suspended"',
        '+     status = "Enabled"',
        "    }",
        "  }",
      ].join("\n"),
    );
  });
});

describe("renderHcl: companions sharing one attributes object", () => {
  // Every companion a rule derives shares its attributes object: the snippet layout is printed
  // once per shape and must still follow each companion's own references and required arguments.
  const attributes = { block_public_acls: true, rule: [{ status: "Enabled" }] };
  const m = model([{ address: "aws_s3_bucket.b", type: "aws_s3_bucket", name: "b", after: {} }]);
  const companion = (references: Record<string, string>, required?: string[]): string | undefined =>
    renderHcl(
      {
        edits: [
          {
            op: "add-resource",
            address: "aws_x.b",
            type: "aws_x",
            name: "b",
            linkTo: "aws_s3_bucket.b",
            attributes,
            references,
            ...(required ? { required } : {}),
          },
        ],
      },
      m,
    );

  it("aligns single-line references with the attributes and sets multi-line ones apart", () => {
    const head = ["  # aws_x.b (new, linked to aws_s3_bucket.b)", '+ resource "aws_x" "b" {'];
    const tail = ["+", "+   rule {", '+     status = "Enabled"', "+   }", "+ }"];
    expect(companion({ bucket: "aws_s3_bucket.b.id" })).toBe(
      [...head, "+   bucket            = aws_s3_bucket.b.id", "+   block_public_acls = true", ...tail].join(
        "\n",
      ),
    );
    expect(companion({ bucket: "aws_s3_bucket.b.id", policy: "jsonencode({\n  A = 1  \n})" })).toBe(
      [
        ...head,
        "+   bucket = aws_s3_bucket.b.id",
        "+   policy = jsonencode({",
        "+   A = 1",
        "+ })",
        "+   block_public_acls = true",
        ...tail,
      ].join("\n"),
    );
    expect(companion({ id: "aws_s3_bucket.b.id" }, ["target"])).toBe(
      [
        ...head,
        "+   id                = aws_s3_bucket.b.id",
        "+   block_public_acls = true",
        ...tail.slice(0, -1),
        "+   # target = <required by the provider: no value follows from the rule>",
        "+ }",
      ].join("\n"),
    );
  });
});

describe("notContains", () => {
  it("drops the element from a known list, the key from a known map; strings get a hint", () => {
    expect(
      fixOf(attr({ op: "notContains", value: "*" }, { state: "known", value: ["a", "*"] }))?.edits,
    ).toEqual([{ op: "set", address: "aws_s3_bucket.b", path: ["x"], value: ["a"] }]);
    expect(
      fixOf(attr({ op: "notContains", value: "k" }, { state: "known", value: { k: "v" } }))?.edits,
    ).toEqual([{ op: "remove", address: "aws_s3_bucket.b", path: ["x", "k"] }]);
    expect(
      fixOf(attr({ op: "notContains", value: "k" }, { state: "known", value: "kk" }))?.hints.join(),
    ).toMatch(/must not contain/);
  });
});

describe("deriveFix: companions of one rule share what does not depend on the subject", () => {
  // One requirements list, as the engine gives every violation of one compiled assertion.
  const requirements = [
    {
      path: ["rule", 0, "apply_server_side_encryption_by_default", 0, "sse_algorithm"],
      expected: { op: "equals", value: "aws:kms" },
    },
  ] as const;
  const statements = [
    {
      path: ["policy"],
      statement: { Effect: "Deny", Action: ["s3:*"], Principal: { AWS: ["*"] } },
      subjectResources: [
        { path: ["arn"], suffix: "" },
        { path: ["arn"], suffix: "/*" },
      ],
    },
  ] as const;
  const violation = (address: string, type: string, via: string, withStatements = false): Violation => ({
    kind: "missing-related",
    address,
    type,
    via,
    requirements,
    ...(withStatements ? { statements } : {}),
  });
  const buckets = ["a", "b"].map(
    (n): Res => ({ address: `aws_s3_bucket.${n}`, type: "aws_s3_bucket", name: n, after: { bucket: n } }),
  );
  const m = model(buckets);
  const companion = (v: Violation) => {
    const fix = deriveFix(failed("r", v.address, [v]), m);
    const [edit] = fix?.edits ?? [];
    if (edit?.op !== "add-resource") throw new Error("no companion");
    return { edit, fix };
  };

  it("each subject gets its own name, reference and document; the rule's attributes are the same", () => {
    const a = companion(violation("aws_s3_bucket.a", "aws_s3_bucket_policy", "bucket", true));
    const b = companion(violation("aws_s3_bucket.b", "aws_s3_bucket_policy", "bucket", true));
    expect(a.edit.address).toBe("aws_s3_bucket_policy.a");
    expect(b.edit.address).toBe("aws_s3_bucket_policy.b");
    expect(a.edit.references.bucket).toBe("aws_s3_bucket.a.id");
    expect(b.edit.references.bucket).toBe("aws_s3_bucket.b.id");
    expect(a.edit.references.policy).toContain('= [aws_s3_bucket.a.arn, "${aws_s3_bucket.a.arn}/*"]');
    expect(b.edit.references.policy).toContain('= [aws_s3_bucket.b.arn, "${aws_s3_bucket.b.arn}/*"]');
    expect(b.edit.documents?.policy?.[0]?.Resource).toEqual([
      "${aws_s3_bucket.b.arn}",
      "${aws_s3_bucket.b.arn}/*",
    ]);
    expect(b.edit.attributes).toEqual(a.edit.attributes);
    expect(b.fix?.hcl).toContain('resource "aws_s3_bucket_policy" "b" {');
    expect(b.fix?.hcl).not.toContain("aws_s3_bucket.a");
  });

  it("the same requirements under another companion type or via give that type's companion", () => {
    const sse = companion(
      violation("aws_s3_bucket.a", "aws_s3_bucket_server_side_encryption_configuration", "bucket"),
    );
    const other = companion(violation("aws_s3_bucket.a", "aws_s3_bucket_logging", "target"));
    const withDoc = companion(violation("aws_s3_bucket.a", "aws_s3_bucket_logging", "target", true));
    expect(sse.edit.type).toBe("aws_s3_bucket_server_side_encryption_configuration");
    expect(sse.edit.references).toEqual({ bucket: "aws_s3_bucket.a.id" });
    expect(other.edit.type).toBe("aws_s3_bucket_logging");
    expect(other.edit.references).toEqual({ target: "aws_s3_bucket.a.id" });
    expect(Object.keys(withDoc.edit.references)).toEqual(["target", "policy"]);
    expect(other.edit.documents).toBeUndefined();
  });
});

describe("hostile names", () => {
  it("a resource name or via that is not an identifier never reaches HCL text", () => {
    const evil = 'b.id\n}\nresource "null_resource" "x" {';
    const m = model([{ address: "aws_s3_bucket.b", type: "aws_s3_bucket", name: "b", after: {} }]);
    for (const via of [evil, "bucket"]) {
      const v: Violation = {
        kind: "missing-related",
        address: "aws_s3_bucket.b",
        type: via === "bucket" ? `aws_x${evil}` : "aws_s3_bucket_versioning",
        via,
        requirements: [],
      };
      const fix = deriveFix(failed("r", "aws_s3_bucket.b", [v]), m);
      expect(fix?.edits).toEqual([]);
      expect(fix?.hcl ?? "").not.toContain("null_resource");
    }
  });
});

describe("deep values", () => {
  it("a value nested 900 levels deep is summarized in the snippet, not a stack overflow", () => {
    let deep: JsonValue = "leaf";
    for (let i = 0; i < 900; i++) deep = [{ x: deep }];
    const m = model([
      { address: "aws_s3_bucket.b", type: "aws_s3_bucket", name: "b", after: { rule: deep as JsonObject[] } },
    ]);
    const fix = deriveFix(
      failed("r", "aws_s3_bucket.b", [
        attr({ op: "equals", value: [] }, { state: "known", value: deep }, ["rule"]),
      ]),
      m,
    );
    expect(fix?.hcl).toContain("(nested too deeply to show)");
  });
});
