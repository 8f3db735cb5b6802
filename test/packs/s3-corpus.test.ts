/**
 * The S3 pack on real plans from the shared corpus: the verdict of every rule for every bucket of
 * nine plans, written by reading the files (not by running the pack and copying its output).
 *
 * Where these verdicts differ from what a Checkov-style scanner (one that reads `after` of
 * aws_s3_bucket as if it were configuration) says, the comment on the bucket says why.
 */
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { RuleResult, Status } from "../../src/engine/types.js";
import { loadPackUnderTest } from "../../src/packtest/pack.js";
import type { PackUnderTest } from "../../src/packtest/run.js";
import { readPlanInput } from "../../src/plan/read.js";
import { loadSchemaIndex } from "../../src/policy/provider-schema/index.js";

const CORPUS = fileURLToPath(new URL("../../../shared/corpus/plans/", import.meta.url));
const PACK = fileURLToPath(new URL("../../policies/aws-s3.yaml", import.meta.url));

/** Column order of the verdict rows below. */
const RULES = [
  "s3-encryption-kms",
  "s3-bucket-key-enabled",
  "s3-tls-only",
  "s3-versioning-enabled",
  "s3-mfa-delete",
  "s3-access-logging",
  "s3-object-level-logging",
  "s3-bucket-public-access-block",
  "s3-no-public-acl",
  "s3-acls-disabled",
  "s3-no-public-policy",
  "s3-noncurrent-version-expiration",
  "s3-sensitive-data-expiration",
  "s3-inline-and-split-conflict",
] as const;

const CODE: Record<string, Status> = { P: "pass", F: "fail", U: "unknown", "-": "not_applicable" };

/**
 * One row per bucket: one letter per rule of RULES (P pass, F fail, U unknown, - not applicable).
 *   enc  bkey tls  ver  mfa  log  obj  bpa  acl  own  pol  ncv  sens  conflict
 */
type Row = string;

interface PlanVerdicts {
  readonly file: string;
  readonly buckets: Readonly<Record<string, Row>>;
  /** The account-level block, when the plan has one. */
  readonly account?: Readonly<Record<string, Status>>;
}

const PLANS: readonly PlanVerdicts[] = [
  {
    // AWS provider v5/v6, Terraform 1.13: every bucket is existing (no-op) and `after` echoes computed
    // `versioning`, `server_side_encryption_configuration` (AES256 everywhere), `grant`, `policy`,
    // `lifecycle_rule`; the configuration of every bucket sets only `bucket` and `tags`. No trail,
    // no aws_s3_bucket_logging and no ownership controls set to BucketOwnerEnforced in the plan.
    file: "necron99-robert-consulting__terraform-plan.json",
    buckets: {
      // CloudFront OAC policy (Service principal with aws:SourceArn), PAB all true, split versioning.
      // Checkov-style: SSE passes on the echoed AES256 (S3.4); here S3.17 asks for KMS, so it fails.
      "aws_s3_bucket.admin": "F-FPFFFPPFPF-P",
      // No companion at all: the echoed `versioning [{enabled: false}]` is not configuration; not
      // versioned, so MFA delete and noncurrent expiration do not apply.
      "aws_s3_bucket.cache": "F-FF-FFFPFP--P",
      // `after` echoes a public bucket policy (Principal "*", no condition) that no resource of this
      // configuration manages (no aws_s3_bucket_policy for it): a Checkov-style scanner reading
      // `after.policy` fails S3.2/S3.3 here; this pack does not judge state it does not manage.
      "aws_s3_bucket.plex_domain": "F-FF-FFFPFP--P",
      // Split ACL (private), ownership BucketOwnerPreferred, PAB with two flags off, CloudFront log
      // delivery policy (Service principal, conditional).
      "aws_s3_bucket.staging_access_logs": "F-FPFFFFPFPF-P",
      // Public website: split policy allows Principal "*" unconditionally and the PAB is all false.
      "aws_s3_bucket.staging_website_bucket": "F-FPFFFFPFFF-P",
      "aws_s3_bucket.synthetics_results": "F-FPFFFFPFPF-P",
      // TLS-only policy, PAB all true, lifecycle with noncurrent expiration (so MFA delete is not
      // checked: S3 refuses it with a lifecycle configuration).
      "aws_s3_bucket.terraform_state": "F-PP-FFPPFPP-P",
      "aws_s3_bucket.terraform_test": "F-FF-FFFPFP--P",
      "aws_s3_bucket.website_bucket": "F-FPFFFFPFFF-P",
      // The bucket policy is being created and its JSON interpolates the bucket and distribution ARNs:
      // unknown until apply, so TLS-only is unknown; the public-policy rule passes anyway because the
      // PAB restricts public buckets. Versioning and SSE are updated in this plan.
      "module.baileylessons.aws_s3_bucket.admin": "F-UPFFFPPFPF-P",
      "module.plex_recommendations.aws_s3_bucket.plex_data": "F-FPFFFPPFPF-P",
    },
  },
  {
    // Provider v5, all created: split PAB (all true), SSE (AES256), versioning (Enabled, mfa_delete
    // computed: unknown until apply).
    file: "owasamly-devsecops-pac__terraform-tfplan.json",
    buckets: {
      // Every inline block is unknown in `after` (computed on create): unknown is not "configured",
      // so the rules decide on the split resources and do not turn into unknown.
      "aws_s3_bucket.application_bucket": "F-FPUFFPPFPF-P",
    },
  },
  {
    // Provider v5 on LocalStack: one created bucket with nothing, one existing bucket whose `after`
    // echoes versioning enabled and AES256, with a split versioning resource.
    file: "bright04-atlantis-workshop__terraform-tfplan.json",
    buckets: {
      "aws_s3_bucket.policy_test_unencrypted": "F-FF-FFFPFP--P",
      // Checkov-style: SSE and versioning pass on the echoed blocks; versioning passes here too, but
      // through the split resource.
      "aws_s3_bucket.workshop": "F-FPFFFFPFPF-P",
    },
  },
  {
    // Provider v3 (format 0.1): inline server_side_encryption_configuration configured on two
    // buckets; `acl = "private"` in `after` is the provider default, not configured.
    file: "regula__s3-bucket_sse_infra.json",
    buckets: {
      "aws_s3_bucket.aes_encrypted": "F-FF-FFFPFP--P",
      // SSE-KMS configured inline, without a bucket key (bucket_key_enabled null).
      "aws_s3_bucket.kms_encrypted": "PFFF-FFFPFP--P",
      "aws_s3_bucket.unencrypted": "F-FF-FFFPFP--P",
    },
  },
  {
    // Provider v4+ (split aws_s3_bucket_logging) next to an inline `logging` block; both send logs to
    // deny_no_logging.
    file: "regula__s3-bucket_logging_infra.json",
    buckets: {
      "aws_s3_bucket.allow_attached_resource_logging": "F-FF-PFFPFP--P",
      // Inline `logging` configured; its target_bucket is unknown until apply, the block is there.
      "aws_s3_bucket.allow_inline_logging": "F-FF-PFFPFP--P",
      // Regula's own test expects a failure here; this bucket is where the other two write their
      // access logs, so access logging is not checked on it (a log bucket logging into itself loops).
      "aws_s3_bucket.deny_no_logging": "F-FF--FFPFP--P",
    },
  },
  {
    // Split versioning + lifecycle on one bucket, inline versioning + lifecycle_rule on another.
    file: "regula__s3-versioning_lifecycle_enabled_infra.json",
    buckets: {
      // Lifecycle present: MFA delete is not checked; a rule expires noncurrent versions after 7 days.
      "aws_s3_bucket.allow_attached_resource_versioning": "F-FP-FFFPFPP-P",
      // The inline lifecycle_rule expires current objects but never noncurrent versions.
      "aws_s3_bucket.allow_inline_versioning_and_lifecycle": "F-FP-FFFPFPF-P",
      "aws_s3_bucket.deny_no_lifecycle": "F-FF-FFFPFP--P",
      "aws_s3_bucket.deny_no_versioning": "F-FF-FFFPFP--P",
      "aws_s3_bucket.deny_no_versioning_or_lifecycle": "F-FF-FFFPFP--P",
    },
  },
  {
    // count-indexed buckets; logbucket1 receives logs from an inline block and a split resource, has
    // the `log-delivery-write` canned ACL (not public) and ownership BucketOwnerPreferred.
    file: "snyk-policy-engine__count-02-plan.json",
    buckets: {
      "aws_s3_bucket.logbucket1": "F-FF--FFPFP--P",
      "aws_s3_bucket.validbucket1[0]": "F-FF-PFFPFP--P",
      // Linked to its aws_s3_bucket_logging.s3_bucket_log[0] through `validbucket2[0].id`.
      "aws_s3_bucket.validbucket2[0]": "F-FF-PFFPFP--P",
    },
  },
  {
    // Three buckets from one module (`module.<name>.aws_s3_bucket.this`), each with its PAB, SSE
    // (AES256) and versioning in the same module instance: linked per instance, so a scanner that
    // misses module companions (checkov#6982, regula#363) would fail all three on PAB.
    file: "thebearguy-tf-gatekeeper__tfplan.json",
    buckets: {
      "module.athena_results_bucket.aws_s3_bucket.this": "F-FF-FFPPFP--P",
      "module.curated_bucket.aws_s3_bucket.this": "F-FF-FFPPFP--P",
      // Versioning Enabled, mfa_delete computed (unknown until apply), no lifecycle.
      "module.raw_bucket.aws_s3_bucket.this": "F-FPUFFPPFPF-P",
    },
  },
  {
    // Provider v3 era (format 0.1), no-op: `acl = "private"` and SSE-KMS configured inline;
    // `after` echoes versioning disabled (not configured).
    file: "snyk-cli__tf-plan-no-op.json",
    buckets: {
      "aws_s3_bucket.terra_ci": "PFFF-FFFPFP--P",
    },
  },
];

describe("aws-s3 pack on corpus plans", () => {
  let pack: PackUnderTest;
  beforeAll(async () => {
    pack = await loadPackUnderTest(PACK, PACK, { schemaIndex: loadSchemaIndex() });
  });

  it("has a column for every bucket rule of the pack", () => {
    expect([...RULES, "s3-account-public-access-block"].sort()).toEqual([...pack.rules].sort());
  });

  for (const plan of PLANS) {
    it(`gives the expected verdicts on ${plan.file}`, async () => {
      const model = await readPlanInput(`${CORPUS}${plan.file}`);
      const results = pack.evaluate(model, {}, false);
      const byKey = new Map<string, RuleResult>(results.map((r) => [`${r.rule} ${r.address}`, r]));
      const buckets = (model.byType.get("aws_s3_bucket") ?? [])
        .filter((b) => b.mode === "managed")
        .map((b) => b.address)
        .sort();
      // Every bucket of the plan has a row: nothing is silently left out.
      expect(buckets).toEqual(Object.keys(plan.buckets).sort());
      const mismatches: string[] = [];
      for (const [address, row] of Object.entries(plan.buckets)) {
        expect(row, `${address}: one letter per rule`).toHaveLength(RULES.length);
        RULES.forEach((rule, i) => {
          const want = CODE[row[i] ?? ""];
          const got = byKey.get(`${rule} ${address}`)?.status ?? "not_applicable";
          if (want !== got) mismatches.push(`${address} ${rule}: expected ${want}, got ${got}`);
        });
      }
      expect(mismatches).toEqual([]);
    });
  }
});
