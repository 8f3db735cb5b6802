import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/engine/evaluate.js";
import type { RuleResult } from "../../src/engine/types.js";
import type { JsonObject, ResourceInstance } from "../../src/plan/types.js";
import { compileMatcher, type MatcherSpec } from "../../src/policy/policy-document/match.js";
import {
  type DocStatement,
  documentFromStatements,
  parseDocument,
  valuesFromExpressions,
} from "../../src/policy/policy-document/normalize.js";
import { readDocument } from "../../src/policy/policy-document/read.js";
import { newEvalContext } from "../../src/policy/runtime.js";
import { type FixtureResource, packOf, planModel, ruleYaml } from "./plan-fixture.js";

function statements(doc: JsonObject): readonly DocStatement[] {
  const parsed = parseDocument(JSON.stringify(doc));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.document.statements;
}

function matches(spec: MatcherSpec, statement: JsonObject): boolean | undefined {
  const [s] = statements({ Version: "2012-10-17", Statement: statement });
  return compileMatcher(spec)(s as DocStatement);
}

describe("normalization", () => {
  it("lists every list field; Principal * is { AWS: [*] }; condition values become strings", () => {
    const [s] = statements({
      Statement: {
        Effect: "Deny",
        Action: "s3:*",
        Resource: "*",
        Principal: "*",
        Condition: { Bool: { "aws:SecureTransport": false } },
      },
    });
    expect(s?.statement).toEqual({
      Effect: "Deny",
      Action: ["s3:*"],
      Resource: ["*"],
      Principal: { AWS: ["*"] },
      Condition: { Bool: { "aws:SecureTransport": ["false"] } },
    });
  });
  it("invalid JSON is an error that says so", () => {
    const parsed = parseDocument("{not json");
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.error).toMatch(/^the policy document is not valid JSON/);
  });
});

describe("statement matching", () => {
  it("actions: wildcards on either side, case-insensitive; NotAction covers what it does not list", () => {
    expect(matches({ actions: ["s3:GetObject"] }, { Effect: "Allow", Action: "s3:*" })).toBe(true);
    expect(matches({ actions: ["s3:GetObject"] }, { Effect: "Allow", Action: "S3:get*" })).toBe(true);
    expect(matches({ actions: ["s3:GetObject"] }, { Effect: "Allow", Action: "s3:Put*" })).toBe(false);
    expect(matches({ actions: ["s3:*"] }, { Effect: "Allow", Action: "*" })).toBe(true);
    expect(matches({ actions: ["iam:PassRole"] }, { Effect: "Allow", NotAction: ["s3:*"] })).toBe(true);
    expect(matches({ actions: ["s3:GetObject"] }, { Effect: "Allow", NotAction: ["s3:*"] })).toBe(false);
  });
  it("actionMatches tests the Action entries as written", () => {
    const spec: MatcherSpec = { actionMatches: /^[A-Za-z0-9-]+:\*$/ };
    expect(matches(spec, { Effect: "Allow", Action: ["ec2:Describe*", "s3:*"] })).toBe(true);
    expect(matches(spec, { Effect: "Allow", Action: ["ec2:Describe*"] })).toBe(false);
  });
  it("resources: case-sensitive wildcards, NotResource", () => {
    expect(
      matches({ resources: ["arn:aws:s3:::b/key"] }, { Effect: "Allow", Resource: "arn:aws:s3:::b/*" }),
    ).toBe(true);
    expect(
      matches({ resources: ["arn:aws:s3:::B/key"] }, { Effect: "Allow", Resource: "arn:aws:s3:::b/*" }),
    ).toBe(false);
    expect(
      matches({ resources: ["arn:aws:s3:::other"] }, { Effect: "Allow", NotResource: "arn:aws:s3:::b/*" }),
    ).toBe(true);
  });
  it("principals: type, values, anonymous, other accounts", () => {
    const anon = { Effect: "Allow", Principal: "*" };
    expect(matches({ principals: { type: "*" } }, anon)).toBe(true);
    expect(
      matches(
        { principals: { type: "*" } },
        { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" } },
      ),
    ).toBe(false);
    expect(
      matches(
        { principals: { type: "Service", values: ["*.amazonaws.com"] } },
        { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" } },
      ),
    ).toBe(true);
    const own = { principals: { type: "AWS" as const, otherAccounts: ["111111111111"] } };
    expect(
      matches(own, {
        Effect: "Allow",
        Principal: { AWS: ["arn:aws:iam::111111111111:role/x", "111111111111"] },
      }),
    ).toBe(false);
    expect(matches(own, { Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" } })).toBe(
      true,
    );
    expect(matches(own, { Effect: "Allow", Principal: { AWS: "222222222222" } })).toBe(true);
    expect(matches(own, anon)).toBe(true);
    expect(matches(own, { Effect: "Allow", Principal: { Service: "s3.amazonaws.com" } })).toBe(false);
  });
  it("conditions: keys case-insensitive, IfExists variants, values", () => {
    const tls = { conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] };
    expect(matches(tls, { Effect: "Deny", Condition: { Bool: { "AWS:securetransport": "false" } } })).toBe(
      true,
    );
    expect(
      matches(tls, { Effect: "Deny", Condition: { BoolIfExists: { "aws:SecureTransport": false } } }),
    ).toBe(true);
    expect(matches(tls, { Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "true" } } })).toBe(
      false,
    );
    expect(
      matches(
        { conditions: [{ variable: "aws:SecureTransport" }] },
        { Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "true" } } },
      ),
    ).toBe(true);
  });
  it("missingConditions and unconditional", () => {
    const spec = { missingConditions: ["aws:SourceAccount", "aws:SourceArn"] };
    expect(matches(spec, { Effect: "Allow" })).toBe(true);
    expect(
      matches(spec, { Effect: "Allow", Condition: { StringEquals: { "aws:sourceaccount": "1" } } }),
    ).toBe(false);
    expect(matches({ unconditional: true }, { Effect: "Allow" })).toBe(true);
    expect(
      matches(
        { unconditional: true },
        { Effect: "Allow", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } },
      ),
    ).toBe(false);
  });
});

const TLS_ONLY = `policyDocument:
  attribute: policy
  require:
    effect: Deny
    actions: ["s3:GetObject"]
    principals: { type: "*" }
    conditions: [{ test: Bool, variable: "aws:SecureTransport", values: ["false"] }]`;

const NO_ADMIN = `policyDocument:
  attribute: policy
  forbid: { effect: Allow, actions: ["*"], resources: ["*"] }`;

function run(resource: string, require: string, resources: readonly FixtureResource[]): RuleResult[] {
  return evaluate(planModel(resources), [packOf(ruleYaml(resource, require))]);
}

function policy(doc: JsonObject): FixtureResource {
  return { address: "aws_s3_bucket_policy.p", after: { bucket: "b", policy: JSON.stringify(doc) } };
}

const denyInsecure = {
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};

describe("policyDocument on a string attribute", () => {
  it("require: passes with a matching statement, fails with policy-missing-statement", () => {
    expect(run("aws_s3_bucket_policy", TLS_ONLY, [policy({ Statement: [denyInsecure] })])[0]?.status).toBe(
      "pass",
    );
    const [r] = run("aws_s3_bucket_policy", TLS_ONLY, [policy({ Statement: [] })]);
    expect(r?.status).toBe("fail");
    expect(r?.violations).toEqual([
      {
        kind: "policy-missing-statement",
        address: "aws_s3_bucket_policy.p",
        path: ["policy"],
        statement: {
          Effect: "Deny",
          Action: ["s3:GetObject"],
          Principal: { AWS: ["*"] },
          Condition: { Bool: { "aws:SecureTransport": ["false"] } },
        },
      },
    ]);
  });
  it("forbid: each matching statement is a policy-forbidden-statement with its index", () => {
    const doc = {
      Statement: [
        { Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
        { Effect: "Allow", Action: "*", Resource: "*" },
      ],
    };
    const [r] = run("aws_iam_policy", NO_ADMIN, [
      { address: "aws_iam_policy.p", after: { policy: JSON.stringify(doc) } },
    ]);
    expect(r?.status).toBe("fail");
    expect(r?.violations).toHaveLength(1);
    expect(r?.violations[0]).toMatchObject({
      kind: "policy-forbidden-statement",
      index: 1,
      narrow: { Action: "must not grant *", Resource: "must not apply to *" },
    });
  });
  it("not valid JSON: fails and says why", () => {
    const [r] = run("aws_iam_policy", NO_ADMIN, [
      { address: "aws_iam_policy.p", after: { policy: "{oops" } },
    ]);
    expect(r?.status).toBe("fail");
    expect(r?.message).toMatch(/not valid JSON/);
  });
  it("unknown document: unknown, naming the attribute", () => {
    const [r] = run("aws_iam_policy", NO_ADMIN, [
      { address: "aws_iam_policy.p", after: {}, afterUnknown: { policy: true } },
    ]);
    expect(r?.status).toBe("unknown");
    expect(r?.unknowns).toEqual([{ address: "aws_iam_policy.p", path: ["policy"] }]);
  });
});

/** The shape Terraform prints for `policy = data.aws_iam_policy_document.tls.json` before apply. */
function viaDataSource(statement: JsonObject, statementUnknown: JsonObject = {}): FixtureResource[] {
  return [
    {
      address: "aws_s3_bucket.b",
      after: { bucket: "b" },
      afterUnknown: { arn: true, id: true },
      expressions: { bucket: { constant_value: "b" } },
    },
    {
      address: "aws_s3_bucket_policy.p",
      after: {},
      afterUnknown: { bucket: true, id: true, policy: true },
      expressions: {
        bucket: { references: ["aws_s3_bucket.b.id", "aws_s3_bucket.b"] },
        policy: { references: ["data.aws_iam_policy_document.tls.json", "data.aws_iam_policy_document.tls"] },
      },
    },
    {
      address: "data.aws_iam_policy_document.tls",
      actions: ["read"],
      after: {
        override_json: null,
        override_policy_documents: null,
        policy_id: null,
        source_json: null,
        source_policy_documents: null,
        statement: [statement],
        version: null,
      },
      afterUnknown: { id: true, json: true, minified_json: true, statement: [statementUnknown] },
      expressions: {
        statement: [
          {
            effect: { constant_value: statement.effect ?? null },
            actions: { constant_value: statement.actions ?? null },
            resources: { references: ["aws_s3_bucket.b.arn", "aws_s3_bucket.b"] },
          },
        ],
      },
    },
  ];
}

const tlsStatement = {
  actions: ["s3:*"],
  condition: [{ test: "Bool", values: ["false"], variable: "aws:SecureTransport" }],
  effect: "Deny",
  not_actions: null,
  not_principals: [],
  not_resources: null,
  principals: [{ identifiers: ["*"], type: "*" }],
  resources: [null, null],
  sid: null,
};

describe("policyDocument through an aws_iam_policy_document data source", () => {
  it("an unknown policy is decided from the data source's statement blocks", () => {
    const [r] = run(
      "aws_s3_bucket_policy",
      TLS_ONLY,
      viaDataSource(tlsStatement, { resources: [true, true] }),
    );
    expect(r?.status).toBe("pass");
    expect(r?.related).toEqual(["data.aws_iam_policy_document.tls"]);
  });
  it("fails when the statements lack the TLS deny", () => {
    const allow = { ...tlsStatement, effect: "Allow", condition: [] };
    const [r] = run("aws_s3_bucket_policy", TLS_ONLY, viaDataSource(allow, { resources: [true, true] }));
    expect(r?.status).toBe("fail");
    expect(r?.violations[0]?.kind).toBe("policy-missing-statement");
  });
  it("stays unknown when a field the matcher needs is unknown", () => {
    const unknownCondition = {
      ...tlsStatement,
      condition: [{ test: "Bool", values: null, variable: "aws:SecureTransport" }],
    };
    const [r] = run(
      "aws_s3_bucket_policy",
      TLS_ONLY,
      viaDataSource(unknownCondition, { condition: [{ values: true }] }),
    );
    expect(r?.status).toBe("unknown");
  });
  it("works on the data source's own json attribute", () => {
    const results = run(
      "aws_iam_policy_document",
      TLS_ONLY.replace("attribute: policy", "attribute: json"),
      viaDataSource(tlsStatement),
    ).filter((x) => x.address.startsWith("data."));
    expect(results).toHaveLength(0); // data sources are subjects only with `mode: data`
    const pack = packOf(
      ruleYaml(
        "aws_iam_policy_document",
        TLS_ONLY.replace("attribute: policy", "attribute: json"),
        "    mode: data\n",
      ),
    );
    const [d] = evaluate(planModel(viaDataSource(tlsStatement)), [pack]);
    expect(d?.address).toBe("data.aws_iam_policy_document.tls");
    expect(d?.status).toBe("pass");
  });
});

describe("aws_iam_policy_document from configuration expressions", () => {
  it("literal statement blocks give the document; references are unknown fields", () => {
    const values = valuesFromExpressions({
      statement: [
        {
          effect: { constant_value: "Deny" },
          actions: { constant_value: ["s3:*"] },
          resources: { references: ["aws_s3_bucket.b.arn", "aws_s3_bucket.b"] },
          principals: [{ type: { constant_value: "*" }, identifiers: { constant_value: ["*"] } }],
          condition: [
            {
              test: { constant_value: "Bool" },
              variable: { constant_value: "aws:SecureTransport" },
              values: { constant_value: ["false"] },
            },
          ],
        },
      ],
    });
    const doc = documentFromStatements(values);
    expect(doc?.statements).toEqual([
      {
        statement: {
          Effect: "Deny",
          Action: ["s3:*"],
          Principal: { AWS: ["*"] },
          Condition: { Bool: { "aws:SecureTransport": ["false"] } },
        },
        unknown: new Set(["Resource"]),
      },
    ]);
    const s = doc?.statements[0] as DocStatement;
    expect(compileMatcher({ effect: "Deny", principals: { type: "*" } })(s)).toBe(true);
    expect(compileMatcher({ resources: ["arn:aws:s3:::b"] })(s)).toBeUndefined();
  });
  it("merged source documents make the statements alone undecidable", () => {
    const values = valuesFromExpressions({
      source_policy_documents: { references: ["data.aws_iam_policy_document.base.json"] },
      statement: [{ effect: { constant_value: "Allow" } }],
    });
    expect(documentFromStatements(values)).toBeUndefined();
  });
});

describe("readDocument: each distinct policy text parsed once per run", () => {
  const policy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
  });
  const model = planModel([
    { address: "aws_iam_policy.a", after: { policy } },
    { address: "aws_iam_policy.b", after: { policy } },
    { address: "aws_iam_policy.c", after: { policy: policy.replace("GetObject", "PutObject") } },
  ]);
  const doc = (address: string, ctx: ReturnType<typeof newEvalContext>) => {
    const read = readDocument(model.byAddress.get(address) as ResourceInstance, ["policy"], ctx);
    if (read.state !== "document") throw new Error(`${address}: ${read.state}`);
    return read.document;
  };

  it("shares one parsed document between resources with the same text, in one run only", () => {
    const run = newEvalContext(model);
    expect(doc("aws_iam_policy.b", run)).toBe(doc("aws_iam_policy.a", run));
    expect(doc("aws_iam_policy.c", run)).not.toBe(doc("aws_iam_policy.a", run));
    expect(doc("aws_iam_policy.c", run).statements[0]?.statement.Action).toEqual(["s3:PutObject"]);
    // A new run parses again: nothing is kept between runs (a library process runs many).
    const next = newEvalContext(model);
    expect(doc("aws_iam_policy.a", next)).not.toBe(doc("aws_iam_policy.a", run));
    expect(doc("aws_iam_policy.a", next)).toEqual(doc("aws_iam_policy.a", run));
  });
});
