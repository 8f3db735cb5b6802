import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/engine/evaluate.js";
import type { RuleResult } from "../../src/engine/types.js";
import { type FixtureResource, packOf, planModel, ruleYaml } from "./plan-fixture.js";

const bucket: FixtureResource = {
  address: "aws_s3_bucket.b",
  after: { bucket: "data" },
  afterUnknown: { id: true, arn: true },
  expressions: { bucket: { constant_value: "data" } },
};

function versioning(
  name: string,
  status: string | null,
  extra: Partial<FixtureResource> = {},
): FixtureResource {
  return {
    address: `aws_s3_bucket_versioning.${name}`,
    after: status === null ? {} : { versioning_configuration: [{ status }] },
    afterUnknown:
      status === null ? { bucket: true, versioning_configuration: [{ status: true }] } : { bucket: true },
    expressions: {
      bucket: { references: ["aws_s3_bucket.b.id", "aws_s3_bucket.b"] },
      versioning_configuration: [
        { status: status === null ? { references: ["var.s"] } : { constant_value: status } },
      ],
    },
    ...extra,
  };
}

const VERSIONED = `related:
  type: aws_s3_bucket_versioning
  via: bucket
  direction: in
  require: { attribute: "versioning_configuration[0].status", equals: Enabled }`;

function run(require: string, resources: readonly FixtureResource[]): RuleResult {
  const results = evaluate(planModel(resources), [packOf(ruleYaml("aws_s3_bucket", require))]);
  expect(results).toHaveLength(1);
  return results[0] as RuleResult;
}

describe("related", () => {
  it("passes with a linked companion that satisfies require, and names it", () => {
    const r = run(VERSIONED, [bucket, versioning("v", "Enabled")]);
    expect(r.status).toBe("pass");
    expect(r.related).toEqual(["aws_s3_bucket_versioning.v"]);
  });

  it("a missing companion is a missing-related violation carrying the companion's requirements", () => {
    const r = run(VERSIONED, [bucket]);
    expect(r.status).toBe("fail");
    expect(r.violations).toEqual([
      {
        kind: "missing-related",
        address: "aws_s3_bucket.b",
        type: "aws_s3_bucket_versioning",
        via: "bucket",
        requirements: [
          { path: ["versioning_configuration", 0, "status"], expected: { op: "equals", value: "Enabled" } },
        ],
      },
    ]);
  });

  it("an existing companion that fails is fixed in place (its attribute violation)", () => {
    const r = run(VERSIONED, [bucket, versioning("v", "Suspended")]);
    expect(r.status).toBe("fail");
    expect(r.violations).toEqual([
      expect.objectContaining({
        kind: "attribute",
        address: "aws_s3_bucket_versioning.v",
        path: ["versioning_configuration", 0, "status"],
      }),
    ]);
  });

  it("a companion whose value is unknown makes the result unknown, naming the companion's path", () => {
    const r = run(VERSIONED, [bucket, versioning("v", null)]);
    expect(r.status).toBe("unknown");
    expect(r.unknowns).toEqual([
      { address: "aws_s3_bucket_versioning.v", path: ["versioning_configuration", 0, "status"] },
    ]);
  });

  it("a companion that will be deleted does not count", () => {
    const r = run(VERSIONED, [
      bucket,
      versioning("v", "Enabled", {
        actions: ["delete"],
        before: { versioning_configuration: [{ status: "Enabled" }] },
      }),
    ]);
    expect(r.status).toBe("fail");
    expect(r.violations[0]?.kind).toBe("missing-related");
  });

  it("via and direction filter the links", () => {
    expect(
      run(VERSIONED.replace("via: bucket", "via: expected_bucket_owner"), [
        bucket,
        versioning("v", "Enabled"),
      ]).status,
    ).toBe("fail");
    expect(
      run(VERSIONED.replace("direction: in", "direction: out"), [bucket, versioning("v", "Enabled")]).status,
    ).toBe("fail");
  });

  it("count.max forbids; max alone means at most", () => {
    const forbid = `related:\n  type: aws_s3_bucket_versioning\n  count: { max: 0 }`;
    const r = run(forbid, [bucket, versioning("v", "Enabled")]);
    expect(r.status).toBe("fail");
    expect(r.violations).toEqual([
      {
        kind: "forbidden-related",
        address: "aws_s3_bucket.b",
        related: "aws_s3_bucket_versioning.v",
        type: "aws_s3_bucket_versioning",
      },
    ]);
    expect(run(forbid, [bucket]).status).toBe("pass");
    const two = `related:\n  type: aws_s3_bucket_versioning\n  count: { min: 2 }`;
    expect(run(two, [bucket, versioning("v", "Enabled"), versioning("w", "Enabled")]).status).toBe("pass");
    expect(run(two, [bucket, versioning("v", "Enabled")]).status).toBe("fail");
  });

  it("where filters candidates; an unknown where counts as maybe", () => {
    const where = `related:\n  type: aws_s3_bucket_versioning\n  where: { attribute: "versioning_configuration[0].status", equals: Enabled }`;
    expect(run(where, [bucket, versioning("v", "Suspended")]).status).toBe("fail");
    expect(run(where, [bucket, versioning("v", "Enabled")]).status).toBe("pass");
    expect(run(where, [bucket, versioning("v", null)]).status).toBe("unknown");
  });

  it("not related: fails with forbidden-related", () => {
    const r = run(`not:\n  related: { type: aws_s3_bucket_versioning }`, [
      bucket,
      versioning("v", "Enabled"),
    ]);
    expect(r.status).toBe("fail");
    expect(r.violations[0]?.kind).toBe("forbidden-related");
  });

  it("$subject reads the rule's subject inside related", () => {
    const owner = `related:
  type: aws_s3_bucket_versioning
  require: { attribute: expected_bucket_owner, equals: { $subject: tags.Owner } }`;
    const tagged = { ...bucket, after: { bucket: "data", tags: { Owner: "111111111111" } } };
    const companion = (owner: string) =>
      versioning("v", "Enabled", { after: { expected_bucket_owner: owner } });
    expect(run(owner, [tagged, companion("111111111111")]).status).toBe("pass");
    expect(run(owner, [tagged, companion("222222222222")]).status).toBe("fail");
  });

  it("scope: plan looks at every resource of the type", () => {
    const trail: FixtureResource = {
      address: "aws_cloudtrail.t",
      after: { name: "t", is_multi_region_trail: true },
    };
    const require = `related:\n  type: aws_cloudtrail\n  scope: plan\n  require: { attribute: is_multi_region_trail, equals: true }`;
    expect(run(require, [bucket, trail]).status).toBe("pass");
    expect(run(require, [bucket]).status).toBe("fail");
  });

  it("any: the split companion first, the legacy inline block second", () => {
    const require = `any:\n  - ${VERSIONED.replace(/\n/g, "\n    ")}\n  - { attribute: "versioning[0].enabled", equals: true }`;
    const inline = { ...bucket, after: { bucket: "data", versioning: [{ enabled: true }] } };
    expect(run(require, [inline]).status).toBe("pass");
    const r = run(require, [bucket]);
    expect(r.status).toBe("fail");
    expect(r.violations[0]?.kind).toBe("missing-related");
  });

  it("rules over the same subjects give each result as the rule alone does (they run subject by subject)", () => {
    const pack = packOf(
      ruleYaml("aws_s3_bucket", VERSIONED).replace(
        "rules:\n",
        `rules:
  - id: named
    title: N
    severity: low
    enforcement: advisory
    resource: aws_s3_bucket
    require: { attribute: bucket, exists: true }
  - id: twice
    title: V
    severity: low
    enforcement: advisory
    resource: aws_s3_bucket
    require:
      all:
        - ${VERSIONED.replaceAll("\n", "\n          ")}
        - { attribute: bucket, equals: data }
`,
      ),
    );
    const other: FixtureResource = { ...bucket, address: "aws_s3_bucket.c", after: { bucket: "other" } };
    const model = planModel([bucket, versioning("v", "Enabled"), other]);
    const all = evaluate(model, [pack]);
    const alone = ["named", "twice", "r"].flatMap((id) => evaluate(model, [pack], { rules: new Set([id]) }));
    expect(all).toEqual(alone);
    expect(all.map((r) => `${r.rule} ${r.address} ${r.status} ${r.related.join(",")}`)).toEqual([
      "named aws_s3_bucket.b pass ",
      "named aws_s3_bucket.c pass ",
      "twice aws_s3_bucket.b pass aws_s3_bucket_versioning.v",
      "twice aws_s3_bucket.c fail ",
      "r aws_s3_bucket.b pass aws_s3_bucket_versioning.v",
      "r aws_s3_bucket.c fail ",
    ]);
  });
});
