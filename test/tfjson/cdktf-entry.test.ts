// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` is Terraform interpolation syntax under test, not a JS template.
/**
 * `plangate/cdktf` without cdktf: a structural stand-in for a TerraformStack (the entry point only
 * uses `node.path`, `node.addValidation` and `toTerraform()`). examples/cdktf runs it on real cdktf.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  addPlangateValidation,
  type CdktfStack,
  type CdktfValidation,
  createPlangate,
} from "../../src/cdktf/index.js";

const insecure: unknown = JSON.parse(
  readFileSync(new URL("../fixtures/tfjson/insecure.tf.json", import.meta.url), "utf8"),
);
const cdktfOut: unknown = JSON.parse(
  readFileSync(new URL("../fixtures/tfjson/cdktf.out/stacks/app/cdk.tf.json", import.meta.url), "utf8"),
);

function fakeStack(doc: unknown, path = "app"): CdktfStack & { validations: CdktfValidation[] } {
  const validations: CdktfValidation[] = [];
  return {
    validations,
    node: { path, addValidation: (v) => validations.push(v) },
    toTerraform: () => doc,
  };
}

describe("plangate/cdktf", () => {
  it("adds a validation that prints the report and returns one error per blocking failure", async () => {
    const stack = fakeStack(insecure);
    let printed = "";
    await addPlangateValidation(stack, { config: false, print: (t) => (printed += t), color: false });
    expect(stack.validations).toHaveLength(1);
    const errors = stack.validations[0]?.validate() ?? [];
    expect(printed).toMatch(/^cdktf:app \(pre-plan configuration/);
    expect(printed).toMatch(/BLOCKED/);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^plangate s3-encryption-kms \(hard-mandatory, high\): aws_s3_bucket\.data /),
        expect.stringMatching(/^plangate backup-plan-min-retention \(soft-mandatory, medium\): /),
      ]),
    );
  });

  it("names the construct of each failing resource from cdktf's metadata", async () => {
    const plangate = await createPlangate({ config: false, packs: ["aws-s3"], format: "json" });
    const check = plangate.checkSynthesized(cdktfOut, "cdk.tf.json");
    expect(check.exitCode).toBe(1);
    expect(check.constructPaths.get("aws_s3_bucket.Reports_Bucket_5B7C3A11")).toBe("app/Reports/Bucket");
    expect(check.errors).toContainEqual(
      expect.stringMatching(/^plangate s3-versioning-enabled .*\[construct app\/Reports\/Bucket\]$/),
    );
    expect(JSON.parse(check.output).plans[0].prePlan).toBe(true);
  });

  it("passes a compliant stack with no errors", async () => {
    const plangate = await createPlangate({ config: false, rules: ["s3-versioning-enabled"] });
    const ok = plangate.check(
      fakeStack({
        resource: {
          aws_s3_bucket: { b: { bucket: "b" } },
          aws_s3_bucket_versioning: {
            b: { bucket: "${aws_s3_bucket.b.id}", versioning_configuration: { status: "Enabled" } },
          },
        },
      }),
    );
    expect(ok.exitCode).toBe(0);
    expect(ok.errors).toEqual([]);
  });

  it("is never loaded by the CLI and imports no cdktf", () => {
    const src = ["index.ts", "gate.ts", "types.ts"].map((f) =>
      readFileSync(new URL(`../../src/cdktf/${f}`, import.meta.url), "utf8"),
    );
    for (const s of src) expect(s).not.toMatch(/from "(cdktf|constructs)"/);
    const cliDir = new URL("../../src/cli/", import.meta.url);
    for (const f of readdirSync(cliDir, { recursive: true, encoding: "utf8" }).filter((n) =>
      n.endsWith(".ts"),
    )) {
      expect({ f, cdktf: /cdktf\/|from "cdktf"/.test(readFileSync(new URL(f, cliDir), "utf8")) }).toEqual({
        f,
        cdktf: false,
      });
    }
  });
});
