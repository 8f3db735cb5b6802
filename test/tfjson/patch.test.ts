// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` is Terraform interpolation syntax under test, not a JS template.
import { describe, expect, it } from "vitest";
import type { FixEdit } from "../../src/engine/types.js";
import { renderTerraformJsonEdits } from "../../src/fix/tfjson-fix.js";
import { applyTerraformJsonEdits, patchTerraformJson } from "../../src/fix/tfjson-patch.js";

const TEXT = `${JSON.stringify(
  {
    resource: {
      aws_s3_bucket: { b: { bucket: "acme", tags: { team: "data" } } },
      aws_s3_bucket_versioning: {
        b: { bucket: "${aws_s3_bucket.b.id}", versioning_configuration: { status: "Suspended" } },
      },
      aws_s3_bucket_public_access_block: {
        b: { bucket: "${aws_s3_bucket.b.id}", block_public_acls: false, ignore_public_acls: true },
      },
      aws_s3_bucket_policy: {
        b: {
          bucket: "${aws_s3_bucket.b.id}",
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*" }],
          }),
        },
        c: { bucket: "${aws_s3_bucket.b.id}", policy: "${data.aws_iam_policy_document.c.json}" },
      },
    },
  },
  null,
  2,
)}\n`;

function parsed(text: string): { resource: Record<string, Record<string, Record<string, unknown>>> } {
  return JSON.parse(text);
}

describe("patchTerraformJson", () => {
  it("sets attributes, into blocks written as one object or created as lists", () => {
    const edits: FixEdit[] = [
      {
        op: "set",
        address: "aws_s3_bucket_versioning.b",
        path: ["versioning_configuration", 0, "status"],
        value: "Enabled",
      },
      { op: "set", address: "aws_s3_bucket_public_access_block.b", path: ["block_public_acls"], value: true },
      {
        op: "set",
        address: "aws_s3_bucket.b",
        path: ["lifecycle_rule", 0, "abort_incomplete_multipart_upload", 0, "days_after_initiation"],
        value: 7,
      },
    ];
    const out = patchTerraformJson(TEXT, edits);
    const r = parsed(out).resource;
    expect(r.aws_s3_bucket_versioning?.b?.versioning_configuration).toEqual({ status: "Enabled" });
    expect(r.aws_s3_bucket_public_access_block?.b?.block_public_acls).toBe(true);
    expect(r.aws_s3_bucket?.b?.lifecycle_rule).toEqual([
      { abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] },
    ]);
    // Formatting is kept: two-space indent and the trailing newline.
    expect(out).toMatch(/^\{\n {2}"resource": \{\n {4}"aws_s3_bucket"/);
    expect(out.endsWith("}\n")).toBe(true);
  });

  it("removes attributes and adds companion resources linked by reference", () => {
    const out = applyTerraformJsonEdits(TEXT, [
      { op: "remove", address: "aws_s3_bucket.b", path: ["tags", "team"] },
      {
        op: "add-resource",
        address: "aws_s3_bucket_server_side_encryption_configuration.b",
        type: "aws_s3_bucket_server_side_encryption_configuration",
        name: "b",
        linkTo: "aws_s3_bucket.b",
        attributes: { rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: "aws:kms" }] }] },
        references: { bucket: "aws_s3_bucket.b.id" },
      },
    ]);
    expect(out.notApplied).toEqual([]);
    const r = parsed(out.text).resource;
    expect(r.aws_s3_bucket?.b?.tags).toEqual({});
    expect(r.aws_s3_bucket_server_side_encryption_configuration?.b).toEqual({
      rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: "aws:kms" }] }],
      bucket: "${aws_s3_bucket.b.id}",
    });
  });

  it("escapes literal `${` so a value stays a literal", () => {
    const out = patchTerraformJson(TEXT, [
      { op: "set", address: "aws_s3_bucket.b", path: ["tags", "note"], value: "cost ${x}" },
    ]);
    expect(parsed(out).resource.aws_s3_bucket?.b?.tags).toEqual({ team: "data", note: "cost $${x}" });
  });

  it("replaces statements of a literal policy document, not of one built by an expression", () => {
    const statement = {
      Effect: "Deny" as const,
      Principal: { AWS: ["*"] },
      Action: ["s3:*"],
      Resource: ["*"],
      Condition: { Bool: { "aws:SecureTransport": ["false"] } },
    };
    const out = applyTerraformJsonEdits(TEXT, [
      { op: "replace-statement", address: "aws_s3_bucket_policy.b", path: ["policy"], index: 0, statement },
      { op: "add-statement", address: "aws_s3_bucket_policy.c", path: ["policy"], statement },
    ]);
    expect(out.applied).toHaveLength(1);
    expect(out.notApplied.map((n) => n.reason)).toEqual([
      "the policy is built by an expression; change it where it is built",
    ]);
    const policy = JSON.parse(parsed(out.text).resource.aws_s3_bucket_policy?.b?.policy as string);
    expect(policy.Statement).toEqual([
      {
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: "*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });

  it("reports edits it cannot apply and leaves the text unchanged", () => {
    const out = applyTerraformJsonEdits(TEXT, [
      { op: "set", address: "aws_s3_bucket.missing", path: ["acl"], value: "private" },
      { op: "set", address: "module.m.aws_s3_bucket.b", path: ["acl"], value: "private" },
      { op: "set", address: "aws_s3_bucket_versioning.b", path: ["bucket", "x"], value: "y" },
    ]);
    expect(out.text).toBe(TEXT);
    expect(out.notApplied.map((n) => n.reason)).toEqual([
      "the resource is not in this file",
      "the resource is in another module's file",
      '"bucket" is an expression; change it by hand',
    ]);
  });

  it("patches a module's file when told its module path", () => {
    const out = patchTerraformJson(
      TEXT,
      [{ op: "set", address: "module.m.aws_s3_bucket.b", path: ["acl"], value: "private" }],
      {
        modulePath: ["m"],
      },
    );
    expect(parsed(out).resource.aws_s3_bucket?.b?.acl).toBe("private");
  });
});

describe("renderTerraformJsonEdits", () => {
  it("shows edits as JSON attribute changes and new resource objects", () => {
    const text = renderTerraformJsonEdits([
      {
        op: "set",
        address: "aws_backup_plan.daily",
        path: ["rule", 0, "lifecycle", 0, "delete_after"],
        value: 35,
      },
      { op: "remove", address: "aws_s3_bucket.b", path: ["acl"] },
      {
        op: "add-resource",
        address: "aws_s3_bucket_versioning.b",
        type: "aws_s3_bucket_versioning",
        name: "b",
        linkTo: "aws_s3_bucket.b",
        attributes: { versioning_configuration: [{ status: "Enabled" }] },
        references: { bucket: "aws_s3_bucket.b.id" },
      },
    ]);
    expect(text).toBe(
      [
        '~ aws_backup_plan.daily: "rule[0].lifecycle[0].delete_after": 35',
        '- aws_s3_bucket.b: "acl"',
        "+ aws_s3_bucket_versioning.b (linked to aws_s3_bucket.b):",
        "  {",
        '    "resource": {',
        '      "aws_s3_bucket_versioning": {',
        '        "b": {',
        '          "versioning_configuration": [',
        "            {",
        '              "status": "Enabled"',
        "            }",
        "          ],",
        '          "bucket": "${aws_s3_bucket.b.id}"',
        "        }",
        "      }",
        "    }",
        "  }",
        "",
      ].join("\n"),
    );
  });
});
