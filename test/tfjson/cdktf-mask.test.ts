/**
 * The cdktf gate reports through the same masking as `plangate check`: a value the provider marks
 * sensitive never reaches its output, even where a rule parses it (a policy document read from a
 * sensitive attribute carries its statements into the violation and the fix).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createPlangate } from "../../src/cdktf/index.js";
import { FORMATS } from "../../src/report/index.js";

const MARKER = "PLANGATE_SECRET_MARKER_7f3a";

// key_material_base64 is sensitive in the shipped aws provider schema.
const PACK = `apiVersion: plangate/v1
kind: PolicyPack
metadata: { name: secret-doc, version: 1.0.0 }
rules:
  - id: secret-doc-no-admin
    title: no admin statement in the key material
    severity: high
    enforcement: hard-mandatory
    resource: aws_kms_external_key
    require:
      policyDocument:
        attribute: key_material_base64
        forbid: { effect: Allow, actions: ["*"] }
    message: "{{address}} allows everything"
`;

const stackDoc = {
  "//": { metadata: { version: "0.20.0", stackName: "secret" } },
  resource: {
    aws_kms_external_key: {
      Key_ABC123: {
        "//": { metadata: { path: "secret/Key" } },
        key_material_base64: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Sid: MARKER, Effect: "Allow", Action: "*", Resource: `arn:aws:s3:::${MARKER}` }],
        }),
      },
    },
  },
};

describe("plangate/cdktf masks sensitive values", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "plangate-cdktf-mask-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const pack = path.join(dir, "secret-doc.yaml");
  writeFileSync(pack, PACK);

  it.each(FORMATS)("%s output never holds the sensitive value", async (format) => {
    const plangate = await createPlangate({ config: false, packs: [pack], format, color: false });
    const check = plangate.checkSynthesized(stackDoc, "cdk.tf.json");
    // The rule did read the document: the gate fails on it.
    expect(check.exitCode).toBe(1);
    expect(check.output).not.toContain(MARKER);
    expect(check.errors.join("\n")).not.toContain(MARKER);
    expect(JSON.stringify(check.report)).not.toContain(MARKER);
  });
});
