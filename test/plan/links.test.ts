/**
 * Link assertions written by hand from reading the plans' `configuration` sections.
 */
import { describe, expect, it } from "vitest";
import { buildPlanModel } from "../../src/plan/model.js";
import { corpusPlan, fixturePlan, linksFrom } from "./helpers.js";

describe("split S3 resources, root and nested modules", () => {
  it("checkov nested child modules: each companion links to the bucket of its own module", async () => {
    const m = await corpusPlan("checkov__plan_nested_child_modules_with_connections-tfplan.json");
    expect(linksFrom(m, "aws_s3_bucket_public_access_block.root")).toEqual([
      "aws_s3_bucket.root_bucket via bucket (reference)",
    ]);
    expect(linksFrom(m, "module.s3_module.aws_s3_bucket_public_access_block.module_bucket")).toEqual([
      "module.s3_module.aws_s3_bucket.module_bucket via bucket (reference)",
    ]);
    expect(
      linksFrom(m, "module.s3_module.module.s3_submodule.aws_s3_bucket_public_access_block.submodule_bucket"),
    ).toEqual(["module.s3_module.module.s3_submodule.aws_s3_bucket.submodule_bucket via bucket (reference)"]);
    // terraform-aws-modules/s3-bucket: `bucket = aws_s3_bucket.this[0].id`.
    expect(linksFrom(m, "module.s3_bucket.aws_s3_bucket_acl.this[0]")).toEqual([
      "module.s3_bucket.aws_s3_bucket.this[0] via bucket (reference)",
    ]);
    expect(
      m.incoming
        .get("module.s3_bucket.aws_s3_bucket.this[0]")
        ?.map((l) => l.from)
        .sort(),
    ).toEqual([
      "module.s3_bucket.aws_s3_bucket_acl.this[0]",
      "module.s3_bucket.aws_s3_bucket_public_access_block.this[0]",
    ]);
  });

  it("terraform-compliance multi-module (format 0.1): same names in two module trees stay apart", async () => {
    const m = await corpusPlan("tfcompliance__test_multi-module-referencing-plan.out.json");
    expect(m.formatVersion).toBe("0.1");
    expect(linksFrom(m, "aws_s3_bucket_public_access_block.no_module_boundary")).toEqual([
      "aws_s3_bucket.no_module_boundary via bucket (reference)",
    ]);
    for (const tree of ["first_layer", "root_layer"]) {
      const prefix = `module.${tree}.module.second_layer.module.third_layer`;
      // The buckets of both trees share literal names; the reference wins and no value link is added.
      expect(linksFrom(m, `${prefix}.aws_s3_bucket_public_access_block.test`)).toEqual([
        `${prefix}.aws_s3_bucket.test via bucket (reference)`,
      ]);
    }
  });

  it("tf-gatekeeper: var.X followed into the module call, then module.M.OUT into the child's output", async () => {
    const m = await corpusPlan("thebearguy-tf-gatekeeper__tfplan.json");
    expect(m.complete).toBe(false);
    expect(m.partial).toBe(true);
    expect(linksFrom(m, "module.raw_bucket.aws_s3_bucket_versioning.this")).toEqual([
      "module.raw_bucket.aws_s3_bucket.this via bucket (reference)",
    ]);
    // module "iam" gets `curated_bucket_arn = module.curated_bucket.bucket_arn` (= aws_s3_bucket.this.arn).
    expect(linksFrom(m, "module.iam.aws_iam_policy.athena_policy")).toEqual([
      "module.athena_results_bucket.aws_s3_bucket.this via policy (reference)",
      "module.curated_bucket.aws_s3_bucket.this via policy (reference)",
    ]);
    expect(linksFrom(m, "module.iam.aws_iam_role_policy_attachment.glue_attach")).toEqual([
      "module.iam.aws_iam_policy.glue_policy via policy_arn (reference)",
      "module.iam.aws_iam_role.glue_role via role (reference)",
    ]);
  });
});

describe("count and for_each binding", () => {
  it("snyk count-02: explicit [0] and a nested logging block", async () => {
    const m = await corpusPlan("snyk-policy-engine__count-02-plan.json");
    expect(linksFrom(m, "aws_s3_bucket_logging.s3_bucket_log[0]")).toEqual([
      "aws_s3_bucket.logbucket1 via target_bucket (reference)",
      "aws_s3_bucket.validbucket2[0] via bucket (reference)",
    ]);
    // `logging { target_bucket = aws_s3_bucket.logbucket1.id }`: via is the top-level block name.
    expect(linksFrom(m, "aws_s3_bucket.validbucket1[0]")).toEqual([
      "aws_s3_bucket.logbucket1 via logging (reference)",
    ]);
    expect(linksFrom(m, "aws_s3_bucket.validbucket2[0]")).toEqual([]);
  });

  it("each.key and each.value bind to the same key; module instance keys are kept apart", async () => {
    const m = await fixturePlan("tfdata-modules.plan.json");
    expect(linksFrom(m, 'terraform_data.team_p["a"]')).toEqual([
      'terraform_data.team["a"] via input (reference)',
    ]);
    expect(linksFrom(m, 'terraform_data.team_p["b"]')).toEqual([
      'terraform_data.team["b"] via input (reference)',
    ]);
    // `for_each = terraform_data.team`, `input = each.value.id`.
    expect(linksFrom(m, 'terraform_data.team_v["b"]')).toEqual([
      'terraform_data.team["b"] via input (reference)',
    ]);
    expect(linksFrom(m, 'module.s3["data"].terraform_data.pab[0]')).toEqual([
      'module.s3["data"].terraform_data.this[0] via input (reference)',
    ]);
    expect(linksFrom(m, 'module.s3["logs"].terraform_data.pab[0]')).toEqual([
      'module.s3["logs"].terraform_data.policy[0] via input (reference)',
      'module.s3["logs"].terraform_data.this[0] via input (reference)',
    ]);
    // Module `for_each = terraform_data.team`, `bucket = each.value.id`, then `input = var.bucket`.
    expect(linksFrom(m, 'module.per_team["b"].terraform_data.this[0]')).toEqual([
      'terraform_data.team["b"] via input (reference)',
    ]);
    // `module.s3["data"].bucket_id` picks one module instance.
    expect(linksFrom(m, "terraform_data.logging")).toEqual([
      'module.s3["data"].terraform_data.this[0] via input (reference)',
      'module.s3["logs"].terraform_data.this[0] via triggers_replace (reference)',
    ]);
  });
});

const AWS = "registry.terraform.io/hashicorp/aws";

/**
 * A public access block whose `bucket` refers to `references`, as Terraform 1.11 prints it; `bucket`
 * is its planned value, unknown when not given.
 */
function accessBlock(
  name: string,
  references: string[],
  bucket?: string,
): { change: object; config: object; planned: object } {
  const after = {
    ...(bucket !== undefined ? { bucket } : {}),
    block_public_acls: true,
    block_public_policy: true,
    ignore_public_acls: true,
    restrict_public_buckets: true,
  };
  const address = `aws_s3_bucket_public_access_block.${name}`;
  const common = { address, mode: "managed", type: "aws_s3_bucket_public_access_block", name };
  return {
    planned: { ...common, provider_name: AWS, schema_version: 0, values: after, sensitive_values: {} },
    change: {
      ...common,
      provider_name: AWS,
      change: {
        actions: ["create"],
        before: null,
        after,
        after_unknown: bucket !== undefined ? { id: true } : { bucket: true, id: true },
        before_sensitive: false,
        after_sensitive: {},
      },
    },
    config: {
      ...common,
      provider_config_key: "aws",
      expressions: {
        block_public_acls: { constant_value: true },
        block_public_policy: { constant_value: true },
        bucket: { references },
        ignore_public_acls: { constant_value: true },
        restrict_public_buckets: { constant_value: true },
      },
      schema_version: 0,
    },
  };
}

/**
 * `aws_s3_bucket.b` with `count = 1` (only `b[0]` in the plan) and three access blocks with `bucket
 * = try(aws_s3_bucket.b[1].id, "fallback")`, `try(aws_s3_bucket.b["k"].id, "fallback")` (valid
 * Terraform: `try` catches the bad index; both plan "fallback") and `aws_s3_bucket.b[0].id`: the
 * references as `terraform show -json` prints them (format 1.2; the same configuration with
 * `terraform_data` printed these lists).
 */
function oneBucketPlan(): unknown {
  const bucketValues = { bucket: "plangate-b-0", force_destroy: false, tags: null, timeouts: null };
  const bucket = {
    address: "aws_s3_bucket.b[0]",
    mode: "managed",
    type: "aws_s3_bucket",
    name: "b",
    index: 0,
  };
  const blocks = [
    accessBlock("one", ["aws_s3_bucket.b[1].id", "aws_s3_bucket.b[1]", "aws_s3_bucket.b"], "fallback"),
    accessBlock("k", ['aws_s3_bucket.b["k"].id', 'aws_s3_bucket.b["k"]', "aws_s3_bucket.b"], "fallback"),
    accessBlock("zero", ["aws_s3_bucket.b[0].id", "aws_s3_bucket.b[0]", "aws_s3_bucket.b"]),
  ];
  return {
    format_version: "1.2",
    terraform_version: "1.11.4",
    planned_values: {
      root_module: {
        resources: [
          { ...bucket, provider_name: AWS, schema_version: 0, values: bucketValues, sensitive_values: {} },
          ...blocks.map((b) => b.planned),
        ],
      },
    },
    resource_changes: [
      {
        ...bucket,
        provider_name: AWS,
        change: {
          actions: ["create"],
          before: null,
          after: bucketValues,
          after_unknown: { arn: true, id: true, region: true, tags_all: true },
          before_sensitive: false,
          after_sensitive: { tags_all: {} },
        },
      },
      ...blocks.map((b) => b.change),
    ],
    configuration: {
      provider_config: { aws: { name: "aws", full_name: AWS } },
      root_module: {
        resources: [
          {
            address: "aws_s3_bucket.b",
            mode: "managed",
            type: "aws_s3_bucket",
            name: "b",
            provider_config_key: "aws",
            expressions: { bucket: { references: ["count.index"] } },
            schema_version: 0,
            count_expression: { constant_value: 1 },
          },
          ...blocks.map((b) => b.config),
        ],
      },
    },
    timestamp: "2025-01-01T00:00:00Z",
    applyable: true,
    complete: true,
    errored: false,
  };
}

describe("a block with one instance in the plan", () => {
  it('a reference to b[1] or b["k"] makes no link to b[0]; a reference to b[0] does', () => {
    const m = buildPlanModel(oneBucketPlan(), "one-bucket.json");
    expect(m.byAddress.has("aws_s3_bucket.b[0]")).toBe(true);
    // Compared together, so a failure shows all three.
    const from = (name: string) => linksFrom(m, `aws_s3_bucket_public_access_block.${name}`);
    expect({ one: from("one"), k: from("k"), zero: from("zero") }).toEqual({
      one: [],
      k: [],
      zero: ["aws_s3_bucket.b[0] via bucket (reference)"],
    });
  });
});

describe("the terraform-aws-modules/s3-bucket conditional", () => {
  it("vitormartins1: policy not created, `local.attach_policy ? policy.id : bucket.id` links to the bucket", async () => {
    const m = await corpusPlan("vitormartins1-etl-poc__terraform_plan.json");
    expect(m.byAddress.has("module.s3_bucket.aws_s3_bucket_policy.this[0]")).toBe(false);
    expect(linksFrom(m, "module.s3_bucket.aws_s3_bucket_public_access_block.this[0]")).toEqual([
      "module.s3_bucket.aws_s3_bucket.this[0] via bucket (reference)",
    ]);
    // Root policy document built from `module.s3_bucket.s3_bucket_arn`.
    expect(linksFrom(m, "aws_iam_policy.lambda_s3_policy")).toEqual([
      "module.s3_bucket.aws_s3_bucket.this[0] via policy (reference)",
    ]);
  });

  it("with the policy created, a companion naming only the policy's id reaches the bucket (transitive)", async () => {
    const m = await fixturePlan("s3-module-companions.plan.json");
    for (const key of ["data", "logs"]) {
      const mod = `module.buckets["${key}"]`;
      expect(linksFrom(m, `${mod}.aws_s3_bucket_versioning.this[0]`)).toEqual([
        `${mod}.aws_s3_bucket.this[0] via bucket (transitive)`,
        `${mod}.aws_s3_bucket_policy.this[0] via bucket (reference)`,
      ]);
      expect(linksFrom(m, `${mod}.aws_s3_bucket_public_access_block.this[0]`)).toEqual([
        `${mod}.aws_s3_bucket.this[0] via bucket (reference)`,
        `${mod}.aws_s3_bucket_policy.this[0] via bucket (reference)`,
      ]);
    }
    expect(linksFrom(m, "aws_s3_bucket_logging.data")).toEqual([
      'module.buckets["data"].aws_s3_bucket.this[0] via bucket (reference)',
      'module.buckets["logs"].aws_s3_bucket.this[0] via target_bucket (reference)',
    ]);
  });
});

describe("links by known value", () => {
  it("awslabs iam-validator: a bucket policy names its bucket by a literal", async () => {
    const m = await corpusPlan("awslabs-iam-validator__public_access-test_plan-older.json");
    expect(linksFrom(m, "aws_s3_bucket_policy.allow_public_access")).toEqual([
      "aws_s3_bucket.example via bucket (value)",
      "data.aws_iam_policy_document.allow_access_from_another_account via policy (reference)",
    ]);
  });

  it("a literal bucket name on a companion", async () => {
    const m = await fixturePlan("s3-module-companions.plan.json");
    expect(linksFrom(m, "aws_s3_bucket_server_side_encryption_configuration.literal")).toEqual([
      "aws_s3_bucket.named via bucket (value)",
    ]);
  });

  it("does not link a resource to an unrelated one sharing a name (lambda function and its role)", async () => {
    const m = await corpusPlan("vitormartins1-etl-poc__terraform_plan.json");
    expect(linksFrom(m, "module.lambda_function.aws_lambda_function.this[0]")).toEqual([
      "module.lambda_function.aws_iam_role.lambda[0] via role (reference)",
    ]);
  });
});

describe("format 0.1", () => {
  it("regula s3-bucket_sse: a nested encryption block refers to the KMS key", async () => {
    const m = await corpusPlan("regula__s3-bucket_sse_infra.json");
    expect(m.formatVersion).toBe("0.1");
    expect(linksFrom(m, "aws_s3_bucket.kms_encrypted")).toEqual([
      "aws_kms_key.key via server_side_encryption_configuration (reference)",
    ]);
  });
});
