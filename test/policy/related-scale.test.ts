/**
 * `related` with `scope: plan` and a `where` that compares with the subject: the where is indexed
 * once per run, not evaluated for every (subject, candidate) pair — and the index answers exactly
 * what evaluating every pair answers.
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/engine/evaluate.js";
import type { RuleResult } from "../../src/engine/types.js";
import type { JsonObject, PlanModel } from "../../src/plan/types.js";
import { type FixtureResource, packOf, planModel, ruleYaml } from "./plan-fixture.js";

/** The aws-backup shape: a selection whose tag condition names the subject's tag value. */
const BY_TAG = `some: selection_tag
require:
  all:
    - { attribute: type, equals: STRINGEQUALS }
    - { attribute: key, equals: Backup }
    - { attribute: value, equals: { $subject: 'tags["Backup"]' } }`;

const WHERES: Readonly<Record<string, string>> = {
  "by-tag": BY_TAG,
  negated: `not: { attribute: "selection_tag[0].value", equals: { $subject: tags.Backup } }`,
  "any-of": `any:
  - { attribute: resources, contains: "*" }
  - { attribute: "selection_tag[*].value", equals: { $subject: tags.Backup } }`,
  "whole-map": `attribute: match_tags
equals: { $subject: tags }`,
  "no-subject": `{ attribute: "selection_tag[0].key", equals: Backup }`,
};

function indent(text: string, by: number): string {
  return text
    .split("\n")
    .map((l) => " ".repeat(by) + l)
    .join("\n");
}

/**
 * Two rules per where: as written (indexed), and the same where next to a `related` that never
 * holds (`any` of the two decides like the where alone), which is evaluated pair by pair.
 */
function pack(resource: string): string {
  const rules = Object.entries(WHERES).flatMap(([id, where]) =>
    [false, true].map((direct) => {
      const w = direct
        ? `any:\n  -\n${indent(where, 4)}\n  - related: { type: aws_nothing_here, scope: plan }`
        : where;
      return `  - id: ${id}${direct ? "-direct" : ""}
    title: Selected for backup
    severity: high
    enforcement: hard-mandatory
    resource: ${resource}
    require:
      related:
        type: aws_backup_selection
        scope: plan
        where:
${indent(w, 10)}
        require: { attribute: iam_role_arn, exists: true }`;
    }),
  );
  return `apiVersion: plangate/v1
kind: PolicyPack
metadata: { name: scale, version: 1.0.0 }
rules:
${rules.join("\n")}
`;
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomPlan(seed: number): FixtureResource[] {
  const rand = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const values = ["daily", "weekly", "monthly", ""];
  const out: FixtureResource[] = [];
  for (let i = 0; i < 12; i++) {
    const tags: JsonObject = {};
    if (rand() < 0.8) tags.Backup = pick(values);
    if (rand() < 0.3) tags.Team = pick(["a", "b"]);
    const unknown = rand();
    out.push({
      address: `aws_s3_bucket.b${i}`,
      after: { bucket: `b${i}`, tags },
      // Unknown tag value (the subject's operand is unknown), or an unknown other tag (partial map).
      afterUnknown:
        unknown < 0.15 ? { tags: { Backup: true } } : unknown < 0.3 ? { tags: { Late: true } } : {},
    });
  }
  for (let i = 0; i < 10; i++) {
    const tags = Array.from({ length: Math.floor(rand() * 3) }, () => ({
      type: pick(["STRINGEQUALS", "STRINGLIKE"]),
      key: pick(["Backup", "Team"]),
      value: pick(values),
    }));
    const unknownTag = rand() < 0.2 && tags.length > 0;
    const roleKnown = rand() < 0.8;
    const matchTags: JsonObject = {};
    if (rand() < 0.5) matchTags.Backup = pick(values);
    out.push({
      address: `aws_backup_selection.s${i}`,
      actions: rand() < 0.1 ? ["delete"] : ["create"],
      ...(rand() < 0.1 ? { before: { name: `s${i}` } } : {}),
      after: {
        name: `s${i}`,
        selection_tag: tags,
        resources: rand() < 0.2 ? ["*"] : [],
        ...(roleKnown ? { iam_role_arn: "arn:aws:iam::1:role/backup" } : {}),
        ...(rand() < 0.8 ? { match_tags: matchTags } : {}),
      },
      afterUnknown: {
        ...(unknownTag ? { selection_tag: [{ value: true }] } : {}),
        ...(roleKnown ? {} : { iam_role_arn: true }),
      },
    });
  }
  return out;
}

/** What a result says, without the rule's own name. */
function decision(r: RuleResult): unknown {
  const { rule: _rule, fingerprint: _fingerprint, ...rest } = r;
  return rest;
}

describe("related scope: plan with a subject-dependent where", () => {
  it("decides exactly as evaluating the where for every pair (random plans, several where shapes)", () => {
    const compiled = [packOf(pack("aws_s3_bucket")), packOf(pack("aws_backup_selection"))];
    for (let seed = 1; seed <= 60; seed++) {
      const results = evaluate(planModel(randomPlan(seed)), compiled);
      const indexed = results.filter((r) => !r.rule.endsWith("-direct"));
      const direct = results.filter((r) => r.rule.endsWith("-direct"));
      expect(indexed.length).toBe(direct.length);
      indexed.forEach((r, i) => {
        const d = direct[i] as RuleResult;
        expect(d.rule).toBe(`${r.rule}-direct`);
        expect(decision(r), `seed ${seed}, ${r.rule} ${r.address}`).toEqual(decision(d));
      });
    }
  });

  it("scales linearly: 2,000 buckets x 2,000 selections read each selection a bounded number of times", () => {
    const n = 2000;
    const resources: FixtureResource[] = [];
    for (let i = 0; i < n; i++)
      resources.push({
        address: `aws_s3_bucket.b${i}`,
        after: { bucket: `b${i}`, tags: { Backup: `p${i}` } },
      });
    for (let i = 0; i < n; i++) {
      resources.push({
        address: `aws_backup_selection.s${i}`,
        after: {
          iam_role_arn: "arn:aws:iam::1:role/backup",
          selection_tag: [{ type: "STRINGEQUALS", key: "Backup", value: `p${i}` }],
        },
      });
    }
    const model = planModel(resources);
    const reads = countAfterReads(model, "aws_backup_selection");
    const rule = pack("aws_s3_bucket").split("\n  - id: ")[1] as string;
    const onlyByTag = packOf(`apiVersion: plangate/v1
kind: PolicyPack
metadata: { name: scale, version: 1.0.0 }
rules:
  - id: ${rule}`);
    const results = evaluate(model, [onlyByTag]);
    expect(results).toHaveLength(n);
    expect(results.every((r) => r.status === "pass" && r.related.length === 1)).toBe(true);
    expect(results[7]?.related).toEqual(["aws_backup_selection.s7"]);
    // Pair by pair: at least n * n = 4,000,000 reads.
    expect(reads()).toBeLessThan(30 * n);
  });
});

describe("related through links", () => {
  it("a hub linked many times to each of many resources counts each resource once", () => {
    const n = 40;
    const resources: FixtureResource[] = [{ address: "aws_kms_key.k", after: { description: "k" } }];
    for (let i = 0; i < n; i++) {
      resources.push({
        address: `aws_s3_bucket.b${i}`,
        after: { bucket: `b${i}` },
        expressions: {
          kms_key_id: { references: ["aws_kms_key.k.arn", "aws_kms_key.k"] },
          replica_key: { references: ["aws_kms_key.k.id", "aws_kms_key.k"] },
        },
      });
    }
    const results = evaluate(planModel(resources), [
      packOf(
        ruleYaml(
          "aws_kms_key",
          `related: { type: aws_s3_bucket, count: { min: ${n}, max: ${n} }, require: { attribute: bucket, exists: true } }`,
        ),
      ),
    ]);
    expect(results[0]?.status).toBe("pass");
    expect(results[0]?.related).toEqual(Array.from({ length: n }, (_, i) => `aws_s3_bucket.b${i}`));
  });
});

/** Counts reads of `after` on every resource of `type` in the model. */
function countAfterReads(model: PlanModel, type: string): () => number {
  let count = 0;
  for (const r of model.byType.get(type) ?? []) {
    const after = r.after;
    Object.defineProperty(r, "after", {
      get: () => {
        count++;
        return after;
      },
    });
  }
  return () => count;
}
