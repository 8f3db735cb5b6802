/**
 * `forbidden`: a resource that must not exist. The engine fails it with a `forbidden-resource`
 * violation; the fix is a `remove-resource` edit: the snippet shows the whole block with `-` lines,
 * `plangate fix` deletes the block from its .tf file, and the model without it passes.
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/engine/evaluate.js";
import { applyFixToModel } from "../../src/fix/apply-model.js";
import { deriveFixes } from "../../src/fix/derive.js";
import { mergeFixes } from "../../src/fix/merge.js";
import { nodeSourceFs } from "../../src/fix/node-fs.js";
import { planPatches } from "../../src/fix/patch.js";
import type { PlanModel } from "../../src/plan/types.js";
import { compilePack } from "../../src/policy/compile.js";
import { parsePackText } from "../../src/policy/source.js";
import { fmtClean, model, type Res, tempDir, writeFiles } from "./helpers.js";

const PACK = `apiVersion: plangate/v1
kind: PolicyPack
metadata: { name: t, version: 1.0.0 }
rules:
  - id: no-user-policies
    title: no user policies
    severity: low
    enforcement: soft-mandatory
    resource: [aws_iam_user_policy_attachment, aws_iam_policy_attachment]
    require:
      all:
        - any:
            - forbidden: users get permissions through groups
            - { attribute: user, absent: true }
        - { attribute: users, length: { equals: 0 } }
  - id: negated
    title: not forbidden always holds
    severity: low
    enforcement: advisory
    resource: aws_iam_user_policy_attachment
    require: { not: { forbidden: never mind } }
`;

const RESOURCES: Res[] = [
  {
    address: "aws_iam_user.alice",
    type: "aws_iam_user",
    name: "alice",
    after: { name: "alice" },
    expressions: { name: { constant_value: "alice" } },
  },
  {
    address: "aws_iam_user_policy_attachment.alice",
    type: "aws_iam_user_policy_attachment",
    name: "alice",
    after: { user: "alice", policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" },
    expressions: {
      user: { references: ["aws_iam_user.alice.name", "aws_iam_user.alice"] },
      policy_arn: { constant_value: "arn:aws:iam::aws:policy/ReadOnlyAccess" },
    },
  },
  {
    address: "aws_iam_policy_attachment.groups",
    type: "aws_iam_policy_attachment",
    name: "groups",
    after: { name: "g", users: [], groups: ["devs"], policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" },
  },
];

const MAIN_TF = `resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user_policy_attachment" "alice" {
  user       = aws_iam_user.alice.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_policy_attachment" "groups" {
  name       = "g"
  groups     = ["devs"]
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
`;

function run(m: PlanModel) {
  const compiled = compilePack(parsePackText(PACK, "t.yaml", "yaml"));
  expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  if (!compiled.pack) throw new Error("no pack");
  const pack = compiled.pack;
  return { results: evaluate(m, [pack], {}), again: (m2: PlanModel) => evaluate(m2, [pack], {}) };
}

describe("forbidden resources", () => {
  const m = model(RESOURCES);
  const { results, again } = run(m);
  const fixed = deriveFixes(results, m);
  const failing = fixed.find((r) => r.rule === "no-user-policies" && r.status === "fail");

  it("fail with a forbidden-resource violation; other types and `not` pass", () => {
    expect(failing?.address).toBe("aws_iam_user_policy_attachment.alice");
    expect(failing?.violations).toEqual([
      {
        kind: "forbidden-resource",
        address: "aws_iam_user_policy_attachment.alice",
        reason: "users get permissions through groups",
      },
    ]);
    const others = results.filter((r) => r.address !== failing?.address && r.rule === "no-user-policies");
    expect(others.map((r) => [r.address, r.status])).toEqual([["aws_iam_policy_attachment.groups", "pass"]]);
    expect(results.find((r) => r.rule === "negated")?.status).toBe("pass");
  });

  it("the fix removes the resource: the snippet shows the block with - lines", () => {
    expect(failing?.fix?.edits).toEqual([
      { op: "remove-resource", address: "aws_iam_user_policy_attachment.alice" },
    ]);
    expect(failing?.fix?.hints).toEqual([]);
    expect(failing?.fix?.hcl).toBe(
      [
        "  # aws_iam_user_policy_attachment.alice: delete this resource (users get permissions through groups)",
        '- resource "aws_iam_user_policy_attachment" "alice" {',
        "-   user       = aws_iam_user.alice.name",
        '-   policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"',
        "- }",
      ].join("\n"),
    );
  });

  it("applied to the model, the resource is gone and nothing fails", () => {
    const after = applyFixToModel(m, failing?.fix ?? { edits: [] });
    expect(after.byAddress.has("aws_iam_user_policy_attachment.alice")).toBe(false);
    expect(after.links.some((l) => l.from === "aws_iam_user_policy_attachment.alice")).toBe(false);
    expect(again(after).filter((r) => r.status === "fail")).toEqual([]);
  });

  it("plangate fix deletes the block from the .tf file, leaving fmt-clean text", () => {
    const dir = tempDir();
    writeFiles(dir, { "main.tf": MAIN_TF });
    const merged = mergeFixes(fixed);
    const plan = planPatches(merged, m, dir, nodeSourceFs);
    expect(plan.notes).toEqual([]);
    expect(plan.unapplied).toEqual([]);
    expect(plan.files[0]?.after).toBe(`resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_policy_attachment" "groups" {
  name       = "g"
  groups     = ["devs"]
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
`);
    expect(fmtClean(plan.files[0]?.after ?? "")).toBe(true);
  });

  it("the last block of a file goes with the blank line before it", () => {
    const dir = tempDir();
    const text = `resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user_policy_attachment" "alice" {
  user       = aws_iam_user.alice.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
`;
    writeFiles(dir, { "main.tf": text });
    const plan = planPatches(mergeFixes(fixed), m, dir, nodeSourceFs);
    expect(plan.files[0]?.after).toBe(`resource "aws_iam_user" "alice" {
  name = "alice"
}
`);
  });
});
