/**
 * The aws-backup pack on real plans from the shared corpus: the expected verdict of every rule for
 * every bucket, backup plan and vault, written by reading the plan files. No corpus plan tags a
 * bucket for AWS Backup, so one case points the tag parameters at a tag the plan does use.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { evaluate } from "../../src/engine/evaluate.js";
import type { Status } from "../../src/engine/types.js";
import { readPlanInput } from "../../src/plan/read.js";
import type { JsonValue } from "../../src/plan/types.js";
import { compilePack } from "../../src/policy/compile.js";
import { loadPacks } from "../../src/policy/load.js";

const CORPUS = fileURLToPath(new URL("../../../shared/corpus/plans/", import.meta.url));

const NA: Status = "not_applicable";
const COVERED = "backup-tagged-data-covered";

function vault(cmk: Status, lock: Status, compliance: Status, policy: Status): Record<string, Status> {
  return {
    "backup-vault-cmk-encryption": cmk,
    "backup-vault-lock-configured": lock,
    "backup-vault-lock-compliance-mode": compliance,
    "backup-vault-policy-denies-recovery-point-deletion": policy,
  };
}

interface CorpusCase {
  readonly file: string;
  readonly params?: Readonly<Record<string, JsonValue>>;
  readonly verdicts: Readonly<Record<string, Readonly<Record<string, Status>>>>;
}

const NECRON = "necron99-robert-consulting__terraform-plan.json";
const NECRON_BUCKETS = [
  "aws_s3_bucket.admin",
  "aws_s3_bucket.cache",
  "aws_s3_bucket.plex_domain",
  "aws_s3_bucket.staging_access_logs",
  "aws_s3_bucket.staging_website_bucket",
  "aws_s3_bucket.synthetics_results",
  "aws_s3_bucket.terraform_state",
  "aws_s3_bucket.terraform_test",
  "aws_s3_bucket.website_bucket",
  "module.baileylessons.aws_s3_bucket.admin",
  "module.plex_recommendations.aws_s3_bucket.plex_data",
];
/** Buckets tagged Environment = production / Production (the others: Staging, or no Environment tag). */
const NECRON_PRODUCTION = new Set([
  "aws_s3_bucket.cache",
  "aws_s3_bucket.plex_domain",
  "aws_s3_bucket.terraform_state",
  "aws_s3_bucket.terraform_test",
  "aws_s3_bucket.website_bucket",
  "module.baileylessons.aws_s3_bucket.admin",
  "module.plex_recommendations.aws_s3_bucket.plex_data",
]);

const CASES: readonly CorpusCase[] = [
  {
    // A vault on the AWS-managed key, without lock, whose access policy only allows (to everyone).
    file: "awslabs-iam-validator__public_access-test_plan-older.json",
    verdicts: {
      "aws_backup_vault.example": vault("fail", "fail", NA, "fail"),
      "aws_s3_bucket.example": { [COVERED]: NA },
      "aws_s3_bucket.private_bucket": { [COVERED]: NA },
    },
  },
  {
    // No bucket carries a Backup tag.
    file: NECRON,
    verdicts: Object.fromEntries(NECRON_BUCKETS.map((b) => [b, { [COVERED]: NA }])),
  },
  {
    // Production buckets must be backed up: the plan has no AWS Backup at all.
    file: NECRON,
    params: { backupTagKey: "Environment", backupTagValues: ["production", "Production"] },
    verdicts: Object.fromEntries(
      NECRON_BUCKETS.map((b) => [b, { [COVERED]: NECRON_PRODUCTION.has(b) ? "fail" : NA }]),
    ),
  },
  {
    // New buckets in modules without tags (tags_all unknown, as on every new bucket): not tagged.
    file: "thebearguy-tf-gatekeeper__tfplan.json",
    verdicts: {
      "module.athena_results_bucket.aws_s3_bucket.this": { [COVERED]: NA },
      "module.curated_bucket.aws_s3_bucket.this": { [COVERED]: NA },
      "module.raw_bucket.aws_s3_bucket.this": { [COVERED]: NA },
    },
  },
];

describe("aws-backup on corpus plans", () => {
  test.each(CASES.map((c) => [`${c.file}${c.params ? ` ${JSON.stringify(c.params)}` : ""}`, c] as const))(
    "%s",
    async (_name, c) => {
      const [source] = await loadPacks(["aws-backup"]);
      if (!source) throw new Error("aws-backup pack not found");
      const compiled = compilePack(source, { params: c.params ?? {} });
      expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      if (!compiled.pack) throw new Error("aws-backup did not compile");
      const model = await readPlanInput(`${CORPUS}${c.file}`);
      const actual: Record<string, Record<string, Status>> = {};
      for (const r of evaluate(model, [compiled.pack])) {
        actual[r.address] ??= {};
        const row = actual[r.address];
        if (row) row[r.rule] = r.status;
      }
      expect(actual).toEqual(c.verdicts);
    },
  );
});
