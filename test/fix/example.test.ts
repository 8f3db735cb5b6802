/** examples/insecure: plan.json is consistent with main.tf and with the provider schema. */
import fs from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { scanHcl } from "../../src/fix/hcl-scanner.js";
import { buildPlanModel } from "../../src/plan/model.js";
import { fmtClean } from "./helpers.js";

const DIR = path.resolve(import.meta.dirname, "../../examples/insecure");
const ROOT = path.resolve(import.meta.dirname, "../..");
const tf = fs.readFileSync(path.join(DIR, "main.tf"), "utf8");
const plan = JSON.parse(fs.readFileSync(path.join(DIR, "plan.json"), "utf8"));

describe("examples/insecure", () => {
  it("main.tf is fmt-clean and its resources are exactly the plan's", () => {
    expect(fmtClean(tf)).toBe(true);
    const blocks = scanHcl(tf)
      .items.flatMap((i) =>
        i.kind === "block" && i.type === "resource" ? [`${i.labels[0]}.${i.labels[1]}`] : [],
      )
      .sort();
    const model = buildPlanModel(plan, "plan.json");
    expect(model.resources.map((r) => r.address).sort()).toEqual(blocks);
    expect(
      plan.configuration.root_module.resources.map((r: { address: string }) => r.address).sort(),
    ).toEqual(blocks);
    expect(model.warnings).toEqual([]);
  });

  it("is what terraform show -json prints: format 1.2, Terraform 1.11.4, one line", () => {
    expect(plan.format_version).toBe("1.2");
    expect(plan.terraform_version).toBe("1.11.4");
    expect(fs.readFileSync(path.join(DIR, "plan.json"), "utf8")).not.toContain("\n");
    for (const rc of plan.resource_changes) {
      expect(rc.change.actions).toEqual(["create"]);
      expect(rc.change.before).toBeNull();
      // planned_values hold the same values as `after`
      const pv = plan.planned_values.root_module.resources.find(
        (r: { address: string }) => r.address === rc.address,
      );
      expect(pv.values).toEqual(rc.change.after);
      expect(pv.sensitive_values).toEqual(rc.change.after_sensitive);
    }
  });

  it("planned values match the AWS provider 6.19 schema", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const r of plan.planned_values.root_module.resources) {
      const file = path.join(ROOT, "schemas/providers/aws", `${r.type}.values.schema.json`);
      const validate = ajv.compile(JSON.parse(fs.readFileSync(file, "utf8")));
      expect(validate(r.values), `${r.address}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(r.schema_version).toBe(r.type === "aws_backup_plan" ? 1 : 0);
    }
  });
});
