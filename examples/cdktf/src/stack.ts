/**
 * A small cdktf stack: a data bucket with its companions (versioning, SSE-KMS, public access block,
 * ownership controls, a TLS-only policy, access logging), a log bucket, and an AWS Backup plan with
 * the IAM role that runs it.
 *
 * Provider classes are imported by deep path: `@cdktf/provider-aws`'s main entry loads all ~1,500
 * resource classes (seconds and hundreds of MB); `lib/<resource>/index.js` loads one.
 */
import { BackupPlan } from "@cdktf/provider-aws/lib/backup-plan/index.js";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection/index.js";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key/index.js";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging/index.js";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy/index.js";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning/index.js";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";

export interface ReportsStackProps {
  /** Leave out the guard rails (AES256 instead of KMS, public access allowed, no versioning): for the test. */
  readonly insecure?: boolean;
}

interface SecureBucketProps {
  readonly bucketName: string;
  readonly key: KmsKey;
  readonly insecure: boolean;
  readonly tags?: Record<string, string>;
  readonly logTo?: S3Bucket;
}

/** An S3 bucket and the companion resources that make it compliant (or not, when `insecure`). */
class SecureBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const { bucketName, key, insecure } = props;
    this.bucket = new S3Bucket(this, "Bucket", {
      bucket: bucketName,
      ...(props.tags ? { tags: props.tags } : {}),
    });
    new S3BucketVersioningA(this, "Versioning", {
      bucket: this.bucket.id,
      versioningConfiguration: { status: insecure ? "Suspended" : "Enabled" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "Encryption", {
      bucket: this.bucket.id,
      rule: [
        insecure
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
          : {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
              bucketKeyEnabled: true,
            },
      ],
    });
    new S3BucketPublicAccessBlock(this, "PublicAccessBlock", {
      bucket: this.bucket.id,
      blockPublicAcls: !insecure,
      blockPublicPolicy: !insecure,
      ignorePublicAcls: !insecure,
      restrictPublicBuckets: !insecure,
    });
    new S3BucketOwnershipControls(this, "Ownership", {
      bucket: this.bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    // A literal policy document (the bucket ARN is spelled out, not a token), so plangate can read
    // it before any plan.
    const arn = `arn:aws:s3:::${bucketName}`;
    new S3BucketPolicy(this, "Policy", {
      bucket: this.bucket.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [arn, `${arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    });
    if (props.logTo) {
      new S3BucketLoggingA(this, "Logging", {
        bucket: this.bucket.id,
        targetBucket: props.logTo.id,
        targetPrefix: `${bucketName}/`,
      });
    }
  }
}

export class ReportsStack extends TerraformStack {
  readonly data: S3Bucket;

  constructor(scope: Construct, id: string, props: ReportsStackProps = {}) {
    super(scope, id);
    const insecure = props.insecure ?? false;
    new AwsProvider(this, "aws", { region: "eu-west-1" });
    const key = new KmsKey(this, "DataKey", {
      description: "Reports data and backups",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    const logs = new SecureBucket(this, "Logs", { bucketName: "acme-reports-access-logs", key, insecure });
    const reports = new SecureBucket(this, "Reports", {
      bucketName: "acme-reports-data",
      key,
      insecure,
      tags: { Backup: "daily", DataClassification: "internal" },
      logTo: logs.bucket,
    });
    this.data = reports.bucket;

    const vault = new BackupVault(this, "Vault", { name: "reports", kmsKeyArn: key.arn });
    const plan = new BackupPlan(this, "Plan", {
      name: "reports-daily",
      rule: [
        {
          ruleName: "daily",
          targetVaultName: vault.name,
          schedule: "cron(0 5 * * ? *)",
          lifecycle: { deleteAfter: insecure ? 7 : 35 },
        },
      ],
    });
    const role = new IamRole(this, "BackupRole", {
      name: "reports-backup",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      }),
    });
    new IamRolePolicyAttachment(this, "BackupRolePolicy", {
      role: role.name,
      policyArn: "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForS3Backup",
    });
    new BackupSelection(this, "Selection", {
      name: "reports-data",
      planId: plan.id,
      iamRoleArn: role.arn,
      resources: [reports.bucket.arn],
    });
  }
}
