/**
 * Fix passes match the re-evaluated results to pending fixes by rule and address. Two resource
 * objects can share an address (a broken plan): every pending fix of that (pack, rule, address)
 * gets the re-evaluated result, not only the first.
 */
import { describe, expect, it } from "vitest";
import type { FixEdit, RuleResult } from "../../src/engine/types.js";
import { deriveFixesIterated, type EvaluateRules } from "../../src/fix/iterate.js";
import { failed, model } from "./helpers.js";

const subject = "aws_s3_bucket.b";

const addVersioning: FixEdit = {
  op: "add-resource",
  address: "aws_s3_bucket_versioning.b",
  type: "aws_s3_bucket_versioning",
  name: "b",
  linkTo: subject,
  attributes: { versioning_configuration: [{ status: "Enabled" }] },
  references: { bucket: `${subject}.id` },
};

describe("fix passes: results shared by an address", () => {
  const m = model([{ address: subject, type: "aws_s3_bucket", name: "b", after: { bucket: "b" } }]);
  // Two failures of one rule on one address, each with a fix that adds a companion (so passes run).
  const first = failed("versioned", subject, [], { fix: { edits: [addVersioning], hints: [] } });
  const second = failed("versioned", subject, [], { fix: { edits: [addVersioning], hints: [] } });
  // The re-evaluation returns one result for the (pack, rule, address): it still fails, with a hint.
  const evaluate: EvaluateRules = (): readonly RuleResult[] => [
    failed("versioned", subject, [], { hint: "still failing" }),
  ];

  it("every pending fix of that (pack, rule, address) gets the re-evaluated result", () => {
    const out = deriveFixesIterated([first, second], m, evaluate, { hcl: false });
    expect(out.map((r) => r.fix?.hints)).toEqual([["still failing"], ["still failing"]]);
  });
});
