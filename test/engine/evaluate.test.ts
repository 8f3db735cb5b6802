import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/engine/evaluate.js";
import type { RuleResult } from "../../src/engine/types.js";
import { type FixtureResource, packOf, planModel, ruleYaml } from "../policy/plan-fixture.js";

const PACK = `apiVersion: plangate/v1
kind: PolicyPack
metadata: { name: first, version: 1.0.0 }
rules:
  - id: tagged
    title: Resources carry an Owner tag
    severity: low
    enforcement: advisory
    resource: [aws_s3_bucket, aws_sqs_queue]
    require: { attribute: tags.Owner, exists: true }
    message: "{{address}} ({{type}} {{name}}) breaks {{rule}}: {{title}}"
  - id: versioned
    title: Buckets are versioned
    severity: medium
    enforcement: soft-mandatory
    resource: aws_s3_bucket
    where: { attribute: tags.Env, equals: prod }
    require: { attribute: "versioning[0].enabled", equals: true }
    unknown: fail
`;

const resources: readonly FixtureResource[] = [
  { address: "aws_sqs_queue.q", after: { name: "q", tags: { Owner: "me" } } },
  {
    address: "aws_s3_bucket.a",
    after: { bucket: "a", tags: { Env: "prod" }, versioning: [{ enabled: true }] },
  },
  { address: "aws_s3_bucket.b", after: { bucket: "b", tags: { Env: "dev", Owner: "x" } } },
  { address: "aws_s3_bucket.gone", actions: ["delete"], before: { bucket: "gone", tags: {} } },
  { address: "aws_s3_bucket.c", after: { bucket: "c" }, afterUnknown: { tags: true } },
];

describe("evaluate", () => {
  const model = planModel(resources);
  const second = packOf(
    ruleYaml("aws_s3_bucket", "attribute: bucket\nexists: true").replace("name: test", "name: second"),
  );
  const results = evaluate(model, [packOf(PACK), second]);

  it("orders results by pack, rule, then plan order (a multi-type rule keeps plan order); deleted resources are skipped", () => {
    expect(results.map((r) => `${r.pack}/${r.rule} ${r.address} ${r.status}`)).toEqual([
      "first/tagged aws_sqs_queue.q pass",
      "first/tagged aws_s3_bucket.a fail",
      "first/tagged aws_s3_bucket.b pass",
      "first/tagged aws_s3_bucket.c unknown",
      "first/versioned aws_s3_bucket.a pass",
      "first/versioned aws_s3_bucket.b not_applicable",
      "first/versioned aws_s3_bucket.c unknown",
      "second/r aws_s3_bucket.a pass",
      "second/r aws_s3_bucket.b pass",
      "second/r aws_s3_bucket.c pass",
    ]);
  });

  it("fills the message template with names only", () => {
    const fail = results.find((r) => r.status === "fail");
    expect(fail?.message).toBe(
      "aws_s3_bucket.a (aws_s3_bucket a) breaks tagged: Resources carry an Owner tag",
    );
    const unknown = results.find((r) => r.rule === "tagged" && r.status === "unknown");
    expect(unknown?.message).toBe(
      "Resources carry an Owner tag: not decidable until apply (tags.Owner known after apply)",
    );
  });

  it("an unknown where with a passing require passes; with anything else it is unknown, naming the where's path", () => {
    const c = results.find((r) => r.rule === "versioned" && r.address === "aws_s3_bucket.c");
    expect(c?.unknowns).toEqual([{ address: "aws_s3_bucket.c", path: ["tags", "Env"] }]);
  });

  it("carries rule metadata, the unknown policy and a stable fingerprint", () => {
    const [first] = results;
    expect(first).toMatchObject({
      title: "Resources carry an Owner tag",
      severity: "low",
      enforcement: "advisory",
      controls: [],
      resourceType: "aws_sqs_queue",
    });
    expect(results.find((r) => r.rule === "versioned")?.unknownPolicy).toBe("fail");
    expect(first?.unknownPolicy).toBe("unknown");
    expect(evaluate(model, [packOf(PACK)], { unknownPolicy: "pass" })[0]?.unknownPolicy).toBe("pass");
    expect(first?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(results.map((r) => r.fingerprint)).size).toBe(results.length);
    const again = evaluate(planModel([...resources].reverse()), [packOf(PACK), second]);
    const byKey = (rs: typeof results) =>
      new Map(rs.map((r) => [`${r.pack}/${r.rule}/${r.address}`, r.fingerprint]));
    expect(byKey(again)).toEqual(byKey(results));
  });

  it("a failing result carries the rule's fix hint", () => {
    const hinted = packOf(
      ruleYaml(
        "aws_s3_bucket",
        "attribute: tags.Owner\nexists: true",
        "    fix: { hint: Tag the owning team }\n",
      ),
    );
    const rs = evaluate(model, [hinted]);
    expect(rs.filter((r) => r.hint === "Tag the owning team").map((r) => r.address)).toEqual([
      "aws_s3_bucket.a",
    ]);
    expect(rs.find((r) => r.status === "pass")?.hint).toBeUndefined();
  });

  it("is deterministic and plain JSON", () => {
    expect(evaluate(model, [packOf(PACK), second])).toEqual(results);
    expect(JSON.parse(JSON.stringify(results))).toEqual(results);
  });

  it("selects rules by id or pack/id", () => {
    expect(
      new Set(
        evaluate(model, [packOf(PACK), second], { rules: new Set(["versioned", "second/r"]) }).map(
          (r) => r.rule,
        ),
      ),
    ).toEqual(new Set(["versioned", "r"]));
  });

  it("deleted resources and data reads are subjects only when the rule's actions or mode ask", () => {
    const deletes = packOf(
      ruleYaml("aws_s3_bucket", "attribute: bucket\nabsent: true", "    actions: [delete]\n"),
    );
    expect(evaluate(model, [deletes]).map((r) => `${r.address} ${r.status}`)).toEqual([
      "aws_s3_bucket.gone pass",
    ]);
    const withData = planModel([{ address: "data.aws_s3_bucket.d", after: { bucket: "d" } }, ...resources]);
    expect(evaluate(withData, [second]).map((r) => r.address)).not.toContain("data.aws_s3_bucket.d");
    const dataRule = packOf(ruleYaml("aws_s3_bucket", "attribute: bucket\nexists: true", "    mode: data\n"));
    expect(evaluate(withData, [dataRule]).map((r) => `${r.address} ${r.status}`)).toEqual([
      "data.aws_s3_bucket.d pass",
    ]);
  });

  it("decisionsOnly: the same results, with message and fingerprint left empty", () => {
    const packs = [packOf(PACK), second];
    const blank = (r: RuleResult): RuleResult => ({ ...r, message: "", fingerprint: "" });
    expect(evaluate(model, packs, { decisionsOnly: true })).toEqual(results.map(blank));
    const only = new Set(["first/tagged aws_s3_bucket.a", "first/versioned aws_s3_bucket.c"]);
    const picked = evaluate(model, packs, { only });
    expect(picked).toHaveLength(2);
    expect(evaluate(model, packs, { only, decisionsOnly: true })).toEqual(picked.map(blank));
  });

  it("only: the listed (rule, resource) pairs, as the full run decides them, looked up by address", () => {
    const packs = [packOf(PACK), second];
    const key = (r: RuleResult): string => `${r.pack}/${r.rule} ${r.address}`;
    const wanted = [
      "first/tagged aws_s3_bucket.c",
      "first/tagged aws_sqs_queue.q",
      "first/versioned aws_s3_bucket.b",
      "second/r aws_s3_bucket.a",
      "second/r aws_s3_bucket.gone",
      "first/tagged aws_s3_bucket.nowhere",
      "first/nosuchrule aws_s3_bucket.a",
    ];
    // Subjects are found through the address index: the by-type lists are never walked.
    const byType = new Map(model.byType);
    byType.get = () => {
      throw new Error("walked the subjects of a rule");
    };
    const picked = evaluate({ ...model, byType }, packs, { only: new Set(wanted) });
    expect(picked).toEqual(results.filter((r) => wanted.includes(key(r))));
    expect(picked.map(key)).toEqual([
      "first/tagged aws_sqs_queue.q",
      "first/tagged aws_s3_bucket.c",
      "first/versioned aws_s3_bucket.b",
      "second/r aws_s3_bucket.a",
    ]);
  });
});
