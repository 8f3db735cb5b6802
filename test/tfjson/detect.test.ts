import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readPlanInput } from "../../src/plan/read.js";

const FIXTURES = new URL("../fixtures/tfjson/", import.meta.url).pathname;
const PLAN = new URL("../fixtures/tfjson/empty-plan.json", import.meta.url).pathname;

describe("readPlanInput with Terraform JSON configurations", () => {
  it("detects a configuration file by shape and a directory as configuration", async () => {
    const file = await readPlanInput(join(FIXTURES, "cdktf.out", "stacks", "app", "cdk.tf.json"));
    expect(file.source).toBe("configuration");
    expect(file.resources).toHaveLength(2);
    const dir = await readPlanInput(join(FIXTURES, "dir"));
    expect(dir.source).toBe("configuration");
    expect(dir.resources.map((r) => r.address)).toContain("module.store.aws_s3_bucket.this");
    // A file given alone still follows its local modules.
    const main = await readPlanInput(join(FIXTURES, "dir", "main.tf.json"));
    expect(main.resources).toHaveLength(3);
  });

  it("honours a forced input kind", async () => {
    await expect(readPlanInput(join(FIXTURES, "dir", "main.tf.json"), { inputKind: "plan" })).rejects.toThrow(
      /not a Terraform plan/,
    );
    await expect(readPlanInput(PLAN, { inputKind: "config" })).rejects.toThrow(/plan or state JSON/);
    expect((await readPlanInput(PLAN)).source).toBe("plan");
  });
});
