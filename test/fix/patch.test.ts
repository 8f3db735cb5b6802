import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RuleResult } from "../../src/engine/types.js";
import { deriveFixes } from "../../src/fix/derive.js";
import { mergeFixes } from "../../src/fix/merge.js";
import { nodeSourceFs } from "../../src/fix/node-fs.js";
import { patchSuggestions, planPatches, renderPatch } from "../../src/fix/patch.js";
import { loadSchemaIndex } from "../../src/policy/provider-schema/index.js";
import { failed, fmtClean, fmtDiff, model, type Res, tempDir, writeFiles } from "./helpers.js";

const MAIN_TF = `resource "aws_s3_bucket" "b" {
  bucket = "my-bucket"
}

resource "aws_s3_bucket_public_access_block" "b" {
  bucket = aws_s3_bucket.b.id

  block_public_acls   = false
  block_public_policy = true
}

resource "aws_s3_bucket_versioning" "v" {
  bucket = aws_s3_bucket.b.id
  versioning_configuration {
    status = "Suspended" # to be fixed
  }
}

resource "aws_s3_bucket" "tagged" {
  bucket = "tagged"
  tags = {
    Team = "a"
  }
}
`;

const RESOURCES: Res[] = [
  {
    address: "aws_s3_bucket.b",
    type: "aws_s3_bucket",
    name: "b",
    after: { bucket: "my-bucket" },
    afterUnknown: { id: true, arn: true },
  },
  {
    address: "aws_s3_bucket_public_access_block.b",
    type: "aws_s3_bucket_public_access_block",
    name: "b",
    after: {
      block_public_acls: false,
      block_public_policy: true,
      ignore_public_acls: false,
      restrict_public_buckets: false,
    },
    afterUnknown: { bucket: true, id: true },
    expressions: {
      bucket: { references: ["aws_s3_bucket.b.id", "aws_s3_bucket.b"] },
      block_public_acls: { constant_value: false },
    },
  },
  {
    address: "aws_s3_bucket_versioning.v",
    type: "aws_s3_bucket_versioning",
    name: "v",
    after: { versioning_configuration: [{ status: "Suspended", mfa_delete: null }] },
    afterUnknown: { bucket: true, id: true, versioning_configuration: [{}] },
  },
  {
    address: "aws_s3_bucket.tagged",
    type: "aws_s3_bucket",
    name: "tagged",
    after: { bucket: "tagged", tags: { Team: "a" } },
    expressions: { bucket: { constant_value: "tagged" }, tags: { constant_value: { Team: "a" } } },
  },
];

function results(): RuleResult[] {
  return [
    failed("pab", "aws_s3_bucket_public_access_block.b", [
      {
        kind: "attribute",
        address: "aws_s3_bucket_public_access_block.b",
        path: ["block_public_acls"],
        actual: { state: "known", value: false },
        expected: { op: "equals", value: true },
      },
      {
        kind: "attribute",
        address: "aws_s3_bucket_public_access_block.b",
        path: ["ignore_public_acls"],
        actual: { state: "known", value: false },
        expected: { op: "in", values: [true] },
      },
    ]),
    failed("versioning", "aws_s3_bucket_versioning.v", [
      {
        kind: "attribute",
        address: "aws_s3_bucket_versioning.v",
        path: ["versioning_configuration", 0, "status"],
        actual: { state: "known", value: "Suspended" },
        expected: { op: "equals", value: "Enabled" },
      },
    ]),
    failed("sse", "aws_s3_bucket.b", [
      {
        kind: "missing-related",
        address: "aws_s3_bucket.b",
        type: "aws_s3_bucket_server_side_encryption_configuration",
        via: "bucket",
        requirements: [
          {
            path: ["rule", 0, "apply_server_side_encryption_by_default", 0, "sse_algorithm"],
            expected: { op: "equals", value: "aws:kms" },
          },
        ],
      },
    ]),
    failed("tags", "aws_s3_bucket.tagged", [
      {
        kind: "attribute",
        address: "aws_s3_bucket.tagged",
        path: ["tags", "Data Class"],
        actual: { state: "absent" },
        expected: { op: "in", values: ["internal", "public"] },
      },
    ]),
  ];
}

function setup(): { dir: string; plan: ReturnType<typeof planPatches>; m: ReturnType<typeof model> } {
  const dir = tempDir();
  writeFiles(dir, { "main.tf": MAIN_TF });
  const m = model(RESOURCES);
  const merged = mergeFixes(deriveFixes(results(), m));
  return { dir, plan: planPatches(merged, m, dir, nodeSourceFs), m };
}

describe("planPatches", () => {
  it("edits values, inserts attributes, blocks and companions; fmt-clean", () => {
    const { plan } = setup();
    expect(plan.notes).toEqual([]);
    expect(plan.files).toHaveLength(1);
    const after = plan.files[0]?.after ?? "";
    expect(after).toContain(
      "  block_public_acls   = true\n  block_public_policy = true\n  ignore_public_acls  = true\n",
    );
    expect(after).toContain('    status = "Enabled" # to be fixed\n');
    expect(after).toContain(
      '}\n\nresource "aws_s3_bucket_server_side_encryption_configuration" "b" {\n  bucket = aws_s3_bucket.b.id\n\n  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm = "aws:kms"\n',
    );
    expect(after).toMatch(/tags = \{\n {4}Team {9}= "a"\n {4}"Data Class" = "internal"\n {2}\}/);
    expect(fmtClean(after), fmtDiff(after)).toBe(true);
  });

  it("prints a patch that git apply accepts", () => {
    const { dir, plan } = setup();
    execFileSync("git", ["init", "-q"], { cwd: dir });
    const patch = renderPatch(plan);
    expect(patch).toMatch(/^diff --git a\/main\.tf b\/main\.tf\n--- a\/main\.tf\n\+\+\+ b\/main\.tf\n@@ /);
    fs.writeFileSync(path.join(dir, "fix.patch"), patch);
    execFileSync("git", ["apply", "--check", "fix.patch"], { cwd: dir });
    execFileSync("git", ["apply", "fix.patch"], { cwd: dir });
    expect(fs.readFileSync(path.join(dir, "main.tf"), "utf8")).toBe(plan.files[0]?.after);
  });

  it("is idempotent: on the patched files the same fixes change nothing", () => {
    const { dir, plan, m } = setup();
    fs.writeFileSync(path.join(dir, "main.tf"), plan.files[0]?.after ?? "");
    // The plan is not re-generated: the scanner must see the values and companions already there.
    const again = planPatches(mergeFixes(deriveFixes(results(), m)), m, dir, nodeSourceFs);
    expect(again.files).toEqual([]);
  });

  it("falls back to the snippet for dynamic blocks, with a note", () => {
    const dir = tempDir();
    writeFiles(dir, {
      "main.tf": `resource "aws_s3_bucket_versioning" "v" {\n  bucket = "x"\n  dynamic "versioning_configuration" {\n    for_each = [1]\n    content {\n      status = "Suspended"\n    }\n  }\n}\n`,
    });
    const m = model([RESOURCES[2] as Res]);
    const plan = planPatches(mergeFixes(deriveFixes([results()[1] as RuleResult], m)), m, dir, nodeSourceFs);
    expect(plan.files).toEqual([]);
    expect(plan.notes.join("\n")).toMatch(/dynamic block; snippet only/);
  });
});

/** A bucket policy missing the TLS-only statement. */
function tlsResult(): RuleResult {
  const statement = {
    Effect: "Deny" as const,
    Principal: { AWS: ["*"] },
    Action: ["s3:*"],
    Resource: ["arn:aws:s3:::b/*"],
    Condition: { Bool: { "aws:SecureTransport": ["false"] } },
  };
  return failed("tls", "aws_s3_bucket_policy.p", [
    { kind: "policy-missing-statement", address: "aws_s3_bucket_policy.p", path: ["policy"], statement },
  ]);
}

describe("planPatches: file shapes", () => {
  it("keeps CRLF line endings and the patch still applies", () => {
    const dir = tempDir();
    writeFiles(dir, { "main.tf": MAIN_TF.replace(/\n/g, "\r\n") });
    const m = model(RESOURCES);
    const plan = planPatches(mergeFixes(deriveFixes(results(), m)), m, dir, nodeSourceFs);
    const after = plan.files[0]?.after ?? "";
    expect(after.replace(/\r\n/g, "")).not.toContain("\n");
    expect(after.replace(/\r\n/g, "\n")).toBe(setup().plan.files[0]?.after);
    execFileSync("git", ["init", "-q"], { cwd: dir });
    fs.writeFileSync(path.join(dir, "fix.patch"), renderPatch(plan));
    execFileSync("git", ["apply", "--check", "fix.patch"], { cwd: dir });
  });

  it("one-line blocks and non-constant expressions fall back to the snippet", () => {
    const dir = tempDir();
    writeFiles(dir, {
      "main.tf":
        'resource "aws_s3_bucket_public_access_block" "b" { block_public_acls = false }\n\nresource "aws_s3_bucket" "tagged" {\n  bucket = "tagged"\n  tags   = var.tags\n}\n',
    });
    const res = RESOURCES.filter(
      (r) => r.name === "tagged" || r.type === "aws_s3_bucket_public_access_block",
    ).map((r) => (r.name === "tagged" ? { ...r, expressions: { tags: { references: ["var.tags"] } } } : r));
    const m = model(res);
    const rs = results().filter((r) => r.rule === "pab" || r.rule === "tags");
    const plan = planPatches(mergeFixes(deriveFixes(rs, m)), m, dir, nodeSourceFs);
    expect(plan.files).toEqual([]);
    expect(plan.notes.join("\n")).toMatch(/written on one line/);
    expect(plan.notes.join("\n")).toMatch(/tags is not a constant/);
    expect(plan.unapplied.length).toBeGreaterThan(0);
  });

  it("adds a statement to a jsonencode policy (no references) and keeps it valid HCL", () => {
    const dir = tempDir();
    const tf = `resource "aws_s3_bucket_policy" "p" {\n  bucket = "b"\n  policy = jsonencode({\n    Version   = "2012-10-17"\n    Statement = []\n  })\n}\n`;
    writeFiles(dir, { "main.tf": tf });
    const m = model([
      {
        address: "aws_s3_bucket_policy.p",
        type: "aws_s3_bucket_policy",
        name: "p",
        after: { bucket: "b", policy: '{"Statement":[],"Version":"2012-10-17"}' },
        expressions: { bucket: { constant_value: "b" }, policy: {} },
      },
    ]);
    const r = tlsResult();
    const plan = planPatches(mergeFixes(deriveFixes([r], m)), m, dir, nodeSourceFs);
    const after = plan.files[0]?.after ?? "";
    expect(after).toContain('"aws:SecureTransport" = "false"');
    expect(after).toContain('Principal = "*"');
    expect(fmtClean(after), fmtDiff(after)).toBe(true);
  });
});

describe("planPatches: aws_iam_policy_document", () => {
  it("puts a missing statement into the data source the policy comes from, once", () => {
    const dir = tempDir();
    const tf = `data "aws_iam_policy_document" "tls" {\n  statement {\n    effect    = "Allow"\n    actions   = ["s3:GetObject"]\n    resources = ["arn:aws:s3:::b/*"]\n  }\n}\n\nresource "aws_s3_bucket_policy" "p" {\n  bucket = "b"\n  policy = data.aws_iam_policy_document.tls.json\n}\n`;
    writeFiles(dir, { "main.tf": tf });
    const m = model([
      {
        address: "aws_s3_bucket_policy.p",
        type: "aws_s3_bucket_policy",
        name: "p",
        after: { bucket: "b" },
        afterUnknown: { policy: true },
        expressions: {
          bucket: { constant_value: "b" },
          policy: {
            references: ["data.aws_iam_policy_document.tls.json", "data.aws_iam_policy_document.tls"],
          },
        },
      },
    ]);
    const r = tlsResult();
    const plan = planPatches(mergeFixes(deriveFixes([r], m)), m, dir, nodeSourceFs);
    expect(plan.notes).toEqual([]);
    const after = plan.files[0]?.after ?? "";
    expect(after).toContain(
      '  statement {\n    effect    = "Deny"\n    actions   = ["s3:*"]\n    resources = ["arn:aws:s3:::b/*"]\n\n    principals {\n      type        = "AWS"\n      identifiers = ["*"]\n    }\n\n    condition {\n      test     = "Bool"\n      variable = "aws:SecureTransport"\n      values   = ["false"]\n    }\n  }\n}\n\nresource "aws_s3_bucket_policy"',
    );
    expect(fmtClean(after), fmtDiff(after)).toBe(true);
    fs.writeFileSync(path.join(dir, "main.tf"), after);
    expect(planPatches(mergeFixes(deriveFixes([r], m)), m, dir, nodeSourceFs).files).toEqual([]);
  });
});

describe("planPatches: set blocks", () => {
  const plan = (rules: string[]) => {
    const dir = tempDir();
    const body = rules
      .map(
        (n) =>
          `  rule {\n    rule_name         = "${n}"\n    target_vault_name = "v"\n\n    lifecycle {\n      delete_after = 7\n    }\n  }\n`,
      )
      .join("\n");
    writeFiles(dir, { "main.tf": `resource "aws_backup_plan" "p" {\n  name = "p"\n\n${body}}\n` });
    const m = model([
      {
        address: "aws_backup_plan.p",
        type: "aws_backup_plan",
        name: "p",
        after: { name: "p", rule: rules.map((n) => ({ rule_name: n, lifecycle: [{ delete_after: 7 }] })) },
      },
    ]);
    const r = failed("retention", "aws_backup_plan.p", [
      {
        kind: "attribute",
        address: "aws_backup_plan.p",
        path: ["rule", 0, "lifecycle", 0, "delete_after"],
        actual: { state: "known", value: 7 },
        expected: { op: "greaterThanOrEqual", value: 35 },
      },
    ]);
    return planPatches(mergeFixes(deriveFixes([r], m)), m, dir, nodeSourceFs, { schemas: loadSchemaIndex() });
  };

  it("edits the one block of a set", () => {
    const p = plan(["daily"]);
    expect(p.files[0]?.after).toContain("      delete_after = 35\n");
  });

  it("does not guess which of several set blocks is plan element 0", () => {
    const p = plan(["daily", "weekly"]);
    expect(p.files).toEqual([]);
    expect(p.notes.join("\n")).toMatch(/several rule blocks/);
  });
});

describe("planPatches: fmt alignment", () => {
  it("re-aligns = and trailing comments after a value changes length", () => {
    const dir = tempDir();
    const tf = `resource "aws_s3_bucket_versioning" "v" {\n  bucket = "b"\n  versioning_configuration {\n    status     = "Suspended" # was\n    mfa_delete = "X"         # kept\n  }\n}\n`;
    writeFiles(dir, { "main.tf": tf });
    const m = model([RESOURCES[2] as Res]);
    const plan = planPatches(mergeFixes(deriveFixes([results()[1] as RuleResult], m)), m, dir, nodeSourceFs);
    const after = plan.files[0]?.after ?? "";
    expect(after).toContain('    status     = "Enabled" # was\n    mfa_delete = "X"       # kept\n');
    expect(fmtClean(after), fmtDiff(after)).toBe(true);
  });
});

describe("planPatches on the scanner fixture (heredocs, comments, for_each, dynamic)", () => {
  it("edits what it can, leaves dynamic blocks alone, stays fmt-clean and git-applicable", () => {
    const dir = tempDir();
    const tf = fs.readFileSync(path.join(import.meta.dirname, "fixtures/scanner/main.tf"), "utf8");
    writeFiles(dir, { "main.tf": tf });
    const bucket = (k: string): Res => ({
      address: `aws_s3_bucket.this["${k}"]`,
      type: "aws_s3_bucket",
      name: "this",
      index: k,
      forEach: true,
      after: { bucket: `${k}-bucket` },
      afterUnknown: { id: true },
    });
    const m = model([
      bucket("data"),
      bucket("logs"),
      {
        address: "aws_s3_bucket_versioning.this",
        type: "aws_s3_bucket_versioning",
        name: "this",
        after: { versioning_configuration: [{ status: "Suspended" }] },
      },
      {
        address: "aws_s3_bucket_lifecycle_configuration.dyn",
        type: "aws_s3_bucket_lifecycle_configuration",
        name: "dyn",
        after: { rule: [{ id: "a", status: "Enabled" }] },
      },
    ]);
    const pab = (k: string): RuleResult =>
      failed("pab", `aws_s3_bucket.this["${k}"]`, [
        {
          kind: "missing-related",
          address: `aws_s3_bucket.this["${k}"]`,
          type: "aws_s3_bucket_public_access_block",
          via: "bucket",
          requirements: [{ path: ["block_public_acls"], expected: { op: "equals", value: true } }],
        },
      ]);
    const rs = [
      pab("data"),
      pab("logs"),
      failed("versioning", "aws_s3_bucket_versioning.this", [
        {
          kind: "attribute",
          address: "aws_s3_bucket_versioning.this",
          path: ["versioning_configuration", 0, "status"],
          actual: { state: "known", value: "Suspended" },
          expected: { op: "equals", value: "Enabled" },
        },
      ]),
      failed("lc", "aws_s3_bucket_lifecycle_configuration.dyn", [
        {
          kind: "attribute",
          address: "aws_s3_bucket_lifecycle_configuration.dyn",
          path: ["rule", 0, "status"],
          actual: { state: "known", value: "Disabled" },
          expected: { op: "equals", value: "Enabled" },
        },
      ]),
    ];
    const plan = planPatches(mergeFixes(deriveFixes(rs, m)), m, dir, nodeSourceFs);
    expect(plan.notes.join("\n")).toMatch(/aws_s3_bucket_lifecycle_configuration\.dyn.*dynamic block/);
    const after = plan.files[0]?.after ?? "";
    expect(after).toContain(
      '}\n\nresource "aws_s3_bucket_public_access_block" "this" {\n  for_each          = aws_s3_bucket.this\n  bucket            = each.value.id\n  block_public_acls = true\n}\n\nresource "aws_iam_policy" "heredoc"',
    );
    expect(after).toContain('    status = "Enabled"\n');
    expect(fmtClean(after), fmtDiff(after)).toBe(true);
    execFileSync("git", ["init", "-q"], { cwd: dir });
    fs.writeFileSync(path.join(dir, "fix.patch"), renderPatch(plan));
    execFileSync("git", ["apply", "--check", "fix.patch"], { cwd: dir });
  });
});

describe("patchSuggestions", () => {
  it("turns a patch plan into line replacements that rebuild each file", () => {
    const { plan } = setup();
    const s = patchSuggestions(plan);
    expect(s.length).toBeGreaterThan(0);
    const file = plan.files[0];
    const lines = (file?.before ?? "").split("\n");
    for (const { replacement: r } of [...s].reverse())
      lines.splice(r.startLine - 1, r.endLine - r.startLine + 1, ...r.lines);
    expect(lines.join("\n")).toBe(file?.after);
    expect(s.every((x) => x.file === "main.tf")).toBe(true);
  });
});
