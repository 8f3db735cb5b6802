// @ts-check
/**
 * Deterministic generator of realistic Terraform plans (format 1.2, as `terraform show -json`
 * prints them) for the benchmark: S3 buckets with and without each split companion, legacy inline
 * buckets, modules nested two deep with for_each and count, IAM policies as JSON strings (some with
 * wildcards), roles with trust policies, backup vaults/plans/selections, unknown and sensitive values.
 *
 * Usage: node bench/generate.mjs SIZE OUT.json   (SIZE = approximate resource instances)
 */

import { once } from "node:events";
import { createWriteStream } from "node:fs";

/** Small seeded PRNG (mulberry32): the same SIZE always gives the same plan. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROVIDER = "registry.terraform.io/hashicorp/aws";
const REGION = "eu-west-1";
const ref = (addr, attr = "id") => ({ references: [`${addr}.${attr}`, addr] });
const lit = (v) => ({ constant_value: v });

/** Configuration of the "store" module: one block per config address (count: var.bucket_count). */
function storeConfig() {
  const b = "aws_s3_bucket.this";
  const idx = (addr) => ({ references: [`${addr}[count.index].id`, `${addr}[count.index]`, addr] });
  const res = (type, expressions) => ({
    address: `${type}.this`,
    mode: "managed",
    type,
    name: "this",
    provider_config_key: "aws",
    expressions,
    schema_version: 0,
    count_expression: { references: ["var.bucket_count"] },
  });
  return {
    resources: [
      res("aws_s3_bucket", {
        bucket: { references: ["var.name", "count.index"] },
        tags: { references: ["var.tags"] },
      }),
      res("aws_s3_bucket_versioning", {
        bucket: idx(b),
        versioning_configuration: [{ status: lit("Enabled") }],
      }),
      res("aws_s3_bucket_server_side_encryption_configuration", {
        bucket: idx(b),
        rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: lit("aws:kms") }] }],
      }),
      res("aws_s3_bucket_public_access_block", {
        bucket: idx(b),
        block_public_acls: lit(true),
        block_public_policy: lit(true),
        ignore_public_acls: lit(true),
        restrict_public_buckets: lit(true),
      }),
      res("aws_s3_bucket_logging", { bucket: idx(b), target_bucket: { references: ["var.log_bucket"] } }),
      res("aws_s3_bucket_policy", { bucket: idx(b), policy: { references: ["var.policy_json"] } }),
      res("aws_s3_bucket_ownership_controls", {
        bucket: idx(b),
        rule: [{ object_ownership: lit("BucketOwnerEnforced") }],
      }),
      res("aws_iam_policy", {
        name: { references: ["var.name", "count.index"] },
        policy: { references: ["var.policy_json"] },
      }),
      res("aws_iam_role", {
        name: { references: ["var.name", "count.index"] },
        assume_role_policy: { references: ["var.trust_json"] },
      }),
      res("aws_iam_role_policy_attachment", {
        role: {
          references: [
            "aws_iam_role.this[count.index].name",
            "aws_iam_role.this[count.index]",
            "aws_iam_role.this",
          ],
        },
        policy_arn: {
          references: [
            "aws_iam_policy.this[count.index].arn",
            "aws_iam_policy.this[count.index]",
            "aws_iam_policy.this",
          ],
        },
      }),
    ],
    variables: {
      name: {},
      tags: {},
      log_bucket: {},
      policy_json: {},
      trust_json: {},
      bucket_count: { default: 2 },
    },
  };
}

function policyJson(rand, bucketArn) {
  const wildcard = rand() < 0.1;
  const statements = [
    {
      Sid: "Main",
      Effect: "Allow",
      Action: wildcard ? (rand() < 0.5 ? "*" : "s3:*") : ["s3:GetObject", "s3:PutObject"],
      Resource: wildcard && rand() < 0.5 ? "*" : [bucketArn, `${bucketArn}/*`],
    },
  ];
  if (rand() < 0.7) {
    statements.push({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  }
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

function trustJson(rand) {
  const external = rand() < 0.2;
  const principal = external
    ? { AWS: "arn:aws:iam::999988887777:root" }
    : { Service: "lambda.amazonaws.com" };
  const st = { Effect: "Allow", Principal: principal, Action: "sts:AssumeRole" };
  if (external && rand() < 0.5) st.Condition = { StringEquals: { "sts:ExternalId": "partner-7" } };
  return JSON.stringify({ Version: "2012-10-17", Statement: [st] });
}

/** One resource_changes entry plus its planned_values resource. */
function change(moduleAddress, type, name, index, after, afterUnknown, afterSensitive = {}) {
  const local = `${type}.${name}${index === undefined ? "" : typeof index === "number" ? `[${index}]` : `[${JSON.stringify(index)}]`}`;
  const address = moduleAddress ? `${moduleAddress}.${local}` : local;
  const rc = {
    address,
    ...(moduleAddress ? { module_address: moduleAddress } : {}),
    mode: "managed",
    type,
    name,
    ...(index === undefined ? {} : { index }),
    provider_name: PROVIDER,
    change: {
      actions: ["create"],
      before: null,
      after,
      after_unknown: afterUnknown,
      before_sensitive: false,
      after_sensitive: afterSensitive,
    },
  };
  return rc;
}

function storeInstance(rand, moduleAddress, key, i, out) {
  const name = `${key}-store-${i}`;
  const bucket = `acme-${name}`;
  const arn = `arn:aws:s3:::${bucket}`;
  const tags =
    rand() < 0.3
      ? { Backup: "daily", DataClassification: rand() < 0.5 ? "confidential" : "public" }
      : { Team: "data" };
  const unknownBucket = {
    id: true,
    arn: true,
    bucket_domain_name: true,
    bucket_regional_domain_name: true,
    hosted_zone_id: true,
    region: false,
    tags_all: true,
    versioning: true,
    server_side_encryption_configuration: true,
    acceleration_status: true,
    request_payer: true,
    policy: true,
    website_domain: true,
    website_endpoint: true,
  };
  out.push(
    change(
      moduleAddress,
      "aws_s3_bucket",
      "this",
      i,
      { bucket, force_destroy: false, object_lock_enabled: false, region: REGION, tags, timeouts: null },
      unknownBucket,
    ),
  );
  const companion = (type, after, p) => {
    if (rand() < p)
      out.push(
        change(
          moduleAddress,
          type,
          "this",
          i,
          { region: REGION, expected_bucket_owner: null, ...after },
          { bucket: true, id: true },
        ),
      );
  };
  companion(
    "aws_s3_bucket_versioning",
    { mfa: null, versioning_configuration: [{ status: rand() < 0.85 ? "Enabled" : "Suspended" }] },
    0.8,
  );
  companion(
    "aws_s3_bucket_server_side_encryption_configuration",
    {
      rule: [
        {
          apply_server_side_encryption_by_default: [
            { kms_master_key_id: null, sse_algorithm: rand() < 0.7 ? "aws:kms" : "AES256" },
          ],
          bucket_key_enabled: rand() < 0.5,
        },
      ],
    },
    0.8,
  );
  companion(
    "aws_s3_bucket_public_access_block",
    {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: rand() < 0.9,
    },
    0.85,
  );
  companion(
    "aws_s3_bucket_logging",
    {
      target_bucket: "acme-logs",
      target_prefix: `${bucket}/`,
      target_grant: [],
      target_object_key_format: [],
    },
    0.6,
  );
  companion("aws_s3_bucket_ownership_controls", { rule: [{ object_ownership: "BucketOwnerEnforced" }] }, 0.7);
  if (rand() < 0.6) {
    out.push(
      change(
        moduleAddress,
        "aws_s3_bucket_policy",
        "this",
        i,
        { region: REGION, policy: policyJson(rand, arn) },
        { bucket: true, id: true },
      ),
    );
  }
  out.push(
    change(
      moduleAddress,
      "aws_iam_policy",
      "this",
      i,
      {
        name: `${name}-access`,
        name_prefix: null,
        path: "/",
        description: null,
        policy: policyJson(rand, arn),
        tags: null,
        delay_after_policy_creation_in_ms: null,
      },
      { arn: true, id: true, policy_id: true, attachment_count: true, tags_all: true },
    ),
  );
  out.push(
    change(
      moduleAddress,
      "aws_iam_role",
      "this",
      i,
      {
        name: `${name}-role`,
        assume_role_policy: trustJson(rand),
        description: null,
        force_detach_policies: false,
        max_session_duration: 3600,
        path: "/",
        permissions_boundary: null,
        tags: null,
      },
      {
        arn: true,
        id: true,
        unique_id: true,
        create_date: true,
        inline_policy: true,
        managed_policy_arns: true,
        name_prefix: true,
        tags_all: true,
      },
    ),
  );
  out.push(
    change(
      moduleAddress,
      "aws_iam_role_policy_attachment",
      "this",
      i,
      { role: `${name}-role` },
      { id: true, policy_arn: true },
    ),
  );
}

function rootExtras(rand, n, out) {
  // Legacy (AWS provider v3 style) inline buckets and backup resources in the root module.
  for (let i = 0; i < n; i++) {
    const bucket = `legacy-${i}`;
    out.push(
      change(
        "",
        "aws_s3_bucket",
        "legacy",
        i,
        {
          bucket,
          acl: rand() < 0.1 ? "public-read" : "private",
          force_destroy: false,
          versioning: [{ enabled: rand() < 0.6, mfa_delete: false }],
          server_side_encryption_configuration:
            rand() < 0.5
              ? [
                  {
                    rule: [
                      {
                        apply_server_side_encryption_by_default: [
                          { kms_master_key_id: null, sse_algorithm: "aws:kms" },
                        ],
                        bucket_key_enabled: false,
                      },
                    ],
                  },
                ]
              : [],
          logging: [],
          tags: null,
        },
        { id: true, arn: true, bucket_domain_name: true, tags_all: true },
      ),
    );
  }
  out.push(
    change(
      "",
      "aws_backup_vault",
      "main",
      undefined,
      {
        name: "main",
        kms_key_arn: rand() < 0.5 ? "arn:aws:kms:eu-west-1:111122223333:key/abcd" : null,
        force_destroy: false,
        tags: null,
      },
      { arn: true, id: true, recovery_points: true, tags_all: true },
    ),
  );
  out.push(
    change(
      "",
      "aws_backup_plan",
      "daily",
      undefined,
      {
        name: "daily",
        rule: [
          {
            rule_name: "daily",
            target_vault_name: "main",
            schedule: "cron(0 5 * * ? *)",
            lifecycle: [
              { cold_storage_after: null, delete_after: 35, opt_in_to_archive_for_supported_resources: null },
            ],
            copy_action: [],
            recovery_point_tags: null,
            start_window: 60,
            completion_window: 180,
            enable_continuous_backup: false,
          },
        ],
        advanced_backup_setting: [],
        tags: null,
      },
      { arn: true, id: true, version: true, tags_all: true },
    ),
  );
  out.push(
    change(
      "",
      "aws_backup_selection",
      "tagged",
      undefined,
      {
        name: "tagged",
        iam_role_arn: "arn:aws:iam::111122223333:role/backup",
        selection_tag: [{ type: "STRINGEQUALS", key: "Backup", value: "daily" }],
        resources: null,
        not_resources: null,
      },
      { id: true, plan_id: true, condition: true, not_resources: true, resources: true },
    ),
  );
  out.push(
    change(
      "",
      "aws_ssm_parameter",
      "db_password",
      undefined,
      { name: "/app/db/password", type: "SecureString", value: "s3cr3t-bench-value", tier: "Standard" },
      { arn: true, id: true, version: true },
      { value: true },
    ),
  );
}

function rootConfig(keys) {
  const store = storeConfig();
  return {
    provider_config: { aws: { name: "aws", full_name: PROVIDER, expressions: { region: lit(REGION) } } },
    root_module: {
      resources: [
        {
          address: "aws_s3_bucket.legacy",
          mode: "managed",
          type: "aws_s3_bucket",
          name: "legacy",
          provider_config_key: "aws",
          expressions: {
            bucket: { references: ["count.index"] },
            acl: lit("private"),
            versioning: [{ enabled: lit(true) }],
          },
          schema_version: 0,
          count_expression: { references: ["var.legacy_count"] },
        },
        {
          address: "aws_backup_vault.main",
          mode: "managed",
          type: "aws_backup_vault",
          name: "main",
          provider_config_key: "aws",
          expressions: { name: lit("main") },
          schema_version: 0,
        },
        {
          address: "aws_backup_plan.daily",
          mode: "managed",
          type: "aws_backup_plan",
          name: "daily",
          provider_config_key: "aws",
          expressions: {
            name: lit("daily"),
            rule: [
              {
                rule_name: lit("daily"),
                target_vault_name: ref("aws_backup_vault.main", "name"),
                schedule: lit("cron(0 5 * * ? *)"),
                lifecycle: [{ delete_after: lit(35) }],
              },
            ],
          },
          schema_version: 0,
        },
        {
          address: "aws_backup_selection.tagged",
          mode: "managed",
          type: "aws_backup_selection",
          name: "tagged",
          provider_config_key: "aws",
          expressions: {
            name: lit("tagged"),
            plan_id: ref("aws_backup_plan.daily"),
            iam_role_arn: lit("arn:aws:iam::111122223333:role/backup"),
            selection_tag: [{ type: lit("STRINGEQUALS"), key: lit("Backup"), value: lit("daily") }],
          },
          schema_version: 0,
        },
        {
          address: "aws_ssm_parameter.db_password",
          mode: "managed",
          type: "aws_ssm_parameter",
          name: "db_password",
          provider_config_key: "aws",
          expressions: {
            name: lit("/app/db/password"),
            type: lit("SecureString"),
            value: { references: ["var.db_password"] },
          },
          schema_version: 0,
        },
      ],
      module_calls: {
        app: {
          source: "./modules/app",
          expressions: { name: { references: ["each.key"] } },
          for_each_expression: { references: ["local.apps"] },
          module: {
            module_calls: {
              store: {
                source: "../store",
                expressions: {
                  name: { references: ["var.name"] },
                  tags: lit({ Team: "data" }),
                  log_bucket: lit("acme-logs"),
                },
                count_expression: lit(keys.length > 0 ? 3 : 0),
                module: store,
              },
            },
            variables: { name: {} },
          },
        },
      },
      variables: { legacy_count: { default: 10 }, db_password: { sensitive: true } },
    },
  };
}

/** planned_values form of a resource change (what `terraform show -json` prints under planned_values). */
function planned(rc) {
  const { address, mode, type, name, index, provider_name } = rc;
  return {
    address,
    mode,
    type,
    name,
    ...(index === undefined ? {} : { index }),
    provider_name,
    schema_version: 0,
    values: rc.change.after,
    sensitive_values: rc.change.after_sensitive,
  };
}

/**
 * Writes the plan with streaming writes so a 50k-resource plan never sits in memory as one string.
 * Each app instance draws from its own seed, so the planned_values pass and the resource_changes
 * pass produce the same resources without holding them all.
 */
export async function generatePlan(size, file) {
  // ~8.35 resources per store instance on average, 3 store instances per app; legacy buckets ~2 %.
  const legacy = Math.max(5, Math.round(size * 0.02));
  const apps = Math.max(1, Math.round((size - legacy - 5) / (3 * 8.35)));
  const keys = Array.from({ length: apps }, (_, i) => `app${String(i).padStart(5, "0")}`);
  const rootResources = () => {
    const out = [];
    rootExtras(prng(size), legacy, out);
    return out;
  };
  const appResources = (a) => {
    const rand = prng(size * 7919 + a);
    const out = [];
    for (let i = 0; i < 3; i++)
      storeInstance(rand, `module.app[${JSON.stringify(keys[a])}].module.store[${i}]`, keys[a], i, out);
    return out;
  };
  const stream = createWriteStream(file);
  const write = async (s) => {
    if (!stream.write(s)) await once(stream, "drain");
  };
  await write(
    `{"format_version":"1.2","terraform_version":"1.11.4","variables":{"legacy_count":{"value":${legacy}},"db_password":{"value":"s3cr3t-bench-value"}},`,
  );
  await write(
    `"planned_values":{"root_module":{"resources":${JSON.stringify(rootResources().map(planned))},"child_modules":[`,
  );
  for (let a = 0; a < apps; a++) {
    const appAddr = `module.app[${JSON.stringify(keys[a])}]`;
    const byStore = new Map();
    for (const rc of appResources(a)) {
      const list = byStore.get(rc.module_address) ?? [];
      list.push(planned(rc));
      byStore.set(rc.module_address, list);
    }
    const children = [...byStore].map(([address, resources]) => ({ resources, address }));
    await write((a === 0 ? "" : ",") + JSON.stringify({ address: appAddr, child_modules: children }));
  }
  await write(`]}},"resource_changes":[`);
  let count = 0;
  const emit = async (rcs) => {
    for (const rc of rcs) {
      await write((count === 0 ? "" : ",") + JSON.stringify(rc));
      count++;
    }
  };
  await emit(rootResources());
  for (let a = 0; a < apps; a++) await emit(appResources(a));
  await write(
    `],"configuration":${JSON.stringify(rootConfig(keys))},"timestamp":"2026-11-28T08:00:00Z","applyable":true,"complete":true,"errored":false}`,
  );
  stream.end();
  await once(stream, "finish");
  return { resources: count };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const size = Number(process.argv[2] ?? 1000);
  const file = process.argv[3] ?? `bench/out/plan-${size}.json`;
  const { resources } = await generatePlan(size, file);
  process.stdout.write(`${file}: ${resources} resource instances\n`);
}
