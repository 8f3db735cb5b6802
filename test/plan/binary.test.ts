/**
 * A binary plan file is read through `terraform show -json`. Terraform is on every machine of this
 * project; `terraform_data` needs no provider download, so this plans offline.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPlanInput } from "../../src/plan/read.js";
import { runCli } from "./cli.js";

const MAIN_TF = `
resource "terraform_data" "bucket" {
  count = 2
  input = "bucket-\${count.index}"
}

resource "terraform_data" "versioning" {
  count = 2
  input = terraform_data.bucket[count.index].id
}

resource "terraform_data" "secret" {
  input = sensitive("s3cr3t-value")
}
`;

const dir = mkdtempSync(join(tmpdir(), "plangate-binary-plan-"));
const env = { ...process.env, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };

function terraform(args: string[]): void {
  try {
    execFileSync("terraform", args, { cwd: dir, env, stdio: "pipe", timeout: 120_000 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === "ENOENT")
      throw new Error("terraform is not on PATH: this test needs Terraform >= 1.4 installed");
    throw new Error(`terraform ${args.join(" ")} failed: ${e.stderr?.toString() ?? e.message}`);
  }
}

beforeAll(() => {
  writeFileSync(join(dir, "main.tf"), MAIN_TF);
  terraform(["init", "-input=false", "-no-color"]);
  terraform(["plan", "-input=false", "-no-color", "-out", "tf.plan"]);
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("binary plan files", () => {
  it("plangate inspect tf.plan converts it with terraform show -json", () => {
    const run = runCli(["inspect", "tf.plan", "--format", "json"], { cwd: dir });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as {
      format_version: string;
      complete: boolean | null;
      resources: {
        address: string;
        actions: string[];
        sensitive: string[];
        links: { to: string; via: string }[];
      }[];
    };
    expect(out.format_version).toMatch(/^1\.\d+$/);
    expect(out.complete).toBe(true);
    const byAddress = new Map(out.resources.map((r) => [r.address, r]));
    expect([...byAddress.keys()].sort()).toEqual([
      "terraform_data.bucket[0]",
      "terraform_data.bucket[1]",
      "terraform_data.secret",
      "terraform_data.versioning[0]",
      "terraform_data.versioning[1]",
    ]);
    // `terraform_data.bucket[count.index]` binds each instance to the bucket with its own index.
    expect(byAddress.get("terraform_data.versioning[1]")?.links).toEqual([
      { to: "terraform_data.bucket[1]", via: "input", kind: "reference" },
    ]);
    expect(byAddress.get("terraform_data.secret")?.sensitive).toEqual(["input"]);
    expect(run.stdout).not.toContain("s3cr3t-value");
  });

  it("readPlanInput reads it too, with an explicit binary", async () => {
    const model = await readPlanInput(join(dir, "tf.plan"), { terraformBin: "terraform" });
    expect(model.resources.map((r) => r.actions.join("+"))).toEqual(Array(5).fill("create"));
  });
});
