/**
 * The graph is built in linear time: a plan 4x larger takes about 4x longer, not 16x.
 */
import { describe, expect, it } from "vitest";
import { buildPlanModel } from "../../src/plan/model.js";

const COMPANIONS = ["versioning", "public_access_block", "policy", "server_side_encryption_configuration"];

/** N module instances (for_each) of a bucket module with companions, plus a root consumer per instance. */
function syntheticPlan(n: number): unknown {
  const changes: unknown[] = [];
  const rootResources: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const mod = `module.b["k${i}"]`;
    const change = (type: string, after: object, unknown: object) => ({
      address: `${mod}.${type}.this[0]`,
      module_address: mod,
      mode: "managed",
      type,
      name: "this",
      index: 0,
      provider_name: "registry.terraform.io/hashicorp/aws",
      change: {
        actions: ["create"],
        before: null,
        after,
        after_unknown: unknown,
        before_sensitive: false,
        after_sensitive: {},
      },
    });
    changes.push(change("aws_s3_bucket", { bucket: `bucket-${i}` }, { id: true, arn: true }));
    for (const c of COMPANIONS) changes.push(change(`aws_s3_bucket_${c}`, {}, { bucket: true, id: true }));
    changes.push({
      address: `aws_iam_policy.p${i}`,
      mode: "managed",
      type: "aws_iam_policy",
      name: `p${i}`,
      provider_name: "registry.terraform.io/hashicorp/aws",
      change: {
        actions: ["create"],
        before: null,
        after: { name: `p${i}` },
        after_unknown: { policy: true },
        before_sensitive: false,
        after_sensitive: {},
      },
    });
    rootResources.push({
      address: `aws_iam_policy.p${i}`,
      mode: "managed",
      type: "aws_iam_policy",
      name: `p${i}`,
      provider_config_key: "aws",
      expressions: { policy: { references: [`module.b["k${i}"].arn`, `module.b["k${i}"]`] } },
    });
  }
  const ref = (t: string) => ({ references: [`${t}.this[0].id`, `${t}.this[0]`, `${t}.this`] });
  const moduleResources = [
    {
      address: "aws_s3_bucket.this",
      mode: "managed",
      type: "aws_s3_bucket",
      name: "this",
      expressions: { bucket: { references: ["var.name"] } },
      count_expression: { constant_value: 1 },
    },
    ...COMPANIONS.map((c) => ({
      address: `aws_s3_bucket_${c}.this`,
      mode: "managed",
      type: `aws_s3_bucket_${c}`,
      name: "this",
      expressions: { bucket: c === "versioning" ? ref("aws_s3_bucket_policy") : ref("aws_s3_bucket") },
      count_expression: { constant_value: 1 },
    })),
  ];
  return {
    format_version: "1.2",
    terraform_version: "1.9.8",
    planned_values: { root_module: {} },
    resource_changes: changes,
    configuration: {
      root_module: {
        resources: rootResources,
        module_calls: {
          b: {
            source: "./b",
            expressions: { name: { references: ["each.key"] } },
            for_each_expression: { references: ["local.names"] },
            module: {
              resources: moduleResources,
              outputs: {
                arn: {
                  expression: {
                    references: ["aws_s3_bucket.this[0].arn", "aws_s3_bucket.this[0]", "aws_s3_bucket.this"],
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}

/** Best of three: the machine is shared, and the slowest runs measure the neighbours. */
function timeBuild(n: number): { ms: number; links: number } {
  const doc = syntheticPlan(n);
  let best = Number.POSITIVE_INFINITY;
  let links = 0;
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    const model = buildPlanModel(doc, "synthetic.json");
    best = Math.min(best, performance.now() - start);
    links = model.links.length;
  }
  return { ms: best, links };
}

describe("scale", () => {
  it("builds the graph of 4x the resources in well under 16x the time", () => {
    timeBuild(500); // warm up the JIT
    const small = timeBuild(1_000);
    const large = timeBuild(4_000);
    // Per instance: 4 companions + versioning's transitive link + the root policy's link.
    expect(small.links).toBe(1_000 * 6);
    expect(large.links).toBe(4_000 * 6);
    expect(large.ms / small.ms).toBeLessThan(9);
  }, 60_000);
});
