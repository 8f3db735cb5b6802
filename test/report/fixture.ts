/** A report with one of everything, built through the real check core. */
import { assembleReport } from "../../src/check/assemble.js";
import type { Report } from "../../src/check/types.js";
import { model, result } from "../check/helpers.js";

export const MARKER = "SECRET-MARKER-d41d8cd9";

export function richReport(): Report {
  const results = [
    result({
      rule: "s3-versioning-enabled",
      address: 'module.s3["logs"].aws_s3_bucket.this',
      severity: "high",
      enforcement: "hard-mandatory",
      controls: ["AWS-FSBP-S3.14"],
      message: "S3 bucket does not keep prior object versions",
      violations: [
        {
          kind: "missing-related",
          address: 'module.s3["logs"].aws_s3_bucket.this',
          type: "aws_s3_bucket_versioning",
          via: "bucket",
          requirements: [
            { path: ["versioning_configuration", 0, "status"], expected: { op: "equals", value: "Enabled" } },
          ],
        },
      ],
      fix: {
        edits: [],
        hints: [],
        hcl: 'resource "aws_s3_bucket_versioning" "this" {\n+  bucket = aws_s3_bucket.this.id\n+  versioning_configuration {\n+    status = "Enabled"\n+  }\n}\n',
      },
    }),
    result({
      rule: "s3-kms",
      address: "aws_s3_bucket.b",
      severity: "medium",
      enforcement: "advisory",
      violations: [
        {
          kind: "attribute",
          address: "aws_s3_bucket.b",
          path: ["server_side_encryption_configuration", 0, "rule", 0, "kms_master_key_id"],
          actual: { state: "sensitive" },
          expected: { op: "exists" },
        },
      ],
    }),
    result({
      rule: "s3-public",
      address: "aws_s3_bucket.b",
      severity: "critical",
      violations: [
        {
          kind: "attribute",
          address: "aws_s3_bucket_acl.b",
          path: ["acl"],
          actual: { state: "known", value: 'public-read, "quoted" <b>&amp; 100%\nnewline' },
          expected: { op: "in", values: ["private"] },
        },
      ],
      fix: {
        edits: [],
        hints: ["make it private"],
        hcl: ' resource "aws_s3_bucket_acl" "b" {\n-  acl = "public-read"\n+  acl = "private"\n }\n',
      },
    }),
    result({
      rule: "s3-logging",
      address: "aws_s3_bucket.b",
      status: "unknown",
      unknowns: [{ address: "aws_s3_bucket.b", path: ["logging", 0, "target_bucket"] }],
    }),
    result({ rule: "s3-versioning-enabled", address: "aws_s3_bucket.b", status: "pass" }),
    result({ rule: "s3-tags", address: "aws_s3_bucket.c", status: "not_applicable" }),
    result({ rule: "s3-legacy", address: "aws_s3_bucket.old", severity: "low" }),
  ];
  return assembleReport({
    toolVersion: "0.1.0",
    packs: [{ name: "aws-s3", version: "1.0.0" }],
    rules: [
      {
        id: "s3-versioning-enabled",
        pack: "aws-s3",
        title: "S3 buckets keep prior object versions",
        severity: "high",
        enforcement: "hard-mandatory",
        controls: ["AWS-FSBP-S3.14"],
        description: "Versioning protects against accidental deletion.",
        docsUrl: "https://example.test/aws-s3#s3-versioning-enabled",
      },
    ],
    plans: [
      {
        model: model("plans/prod.json"),
        results,
        locations: new Map([["aws_s3_bucket.b", { file: "infra/main.tf", line: 12, endLine: 20 }]]),
      },
      {
        model: model("plans/dev.json", { complete: false }),
        results: [result({ rule: "s3-kms", address: "aws_s3_bucket.dev", status: "pass" })],
      },
    ],
    waivers: [
      {
        rule: "s3-legacy",
        address: "aws_s3_bucket.old",
        reason: "retired in Q3",
        owner: "team-data",
        expires: "2026-12-31",
        ticket: "OPS-9",
      },
      { rule: "s3-*", address: "module.gone.**", reason: "gone", owner: "x", expires: "2026-12-31" },
    ],
    today: "2026-06-01",
  });
}
