/**
 * The CI wiring examples are exercised, not just shipped: the plangate commands they contain run
 * against the bundled example plan, with `npx plangate@0` replaced by this checkout's binary.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(root, "bin", "plangate.js");
const examplePlan = join(root, "examples", "insecure", "plan.json");

interface Step {
  readonly id?: string;
  readonly run?: string;
}

/** Runs one example shell command with the local binary in place of the published package. */
function runExample(command: string, cwd: string, env: Record<string, string> = {}) {
  const local = command.replaceAll("npx --yes plangate@0", `node ${JSON.stringify(bin)}`);
  expect(local).not.toBe(command);
  return spawnSync("bash", ["-c", local], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
}

describe("GitHub Actions example", () => {
  const workflow = parse(readFileSync(join(root, "examples", "github-actions", "plangate.yml"), "utf8")) as {
    jobs: { policy: { steps: Step[] } };
  };
  const steps = workflow.jobs.policy.steps;

  it("plans, converts the plan to JSON, then checks it", () => {
    const runs = steps.flatMap((s) => (s.run ? [s.run] : []));
    const show = runs.findIndex((r) => r.includes("terraform show -json tf.plan > plan.json"));
    const check = runs.findIndex((r) => r.includes("plangate@0 check plan.json"));
    expect(runs.findIndex((r) => r.includes("terraform plan"))).toBeLessThan(show);
    expect(show).toBeGreaterThanOrEqual(0);
    expect(check).toBeGreaterThan(show);
  });

  it("its check step writes SARIF and the PR comment and fails the gate on the insecure example", () => {
    const gate = steps.find((s) => s.id === "gate");
    expect(gate?.run).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), "plangate-gha-"));
    writeFileSync(join(dir, "plan.json"), readFileSync(examplePlan));
    const r = runExample(gate?.run ?? "", dir);
    expect(r.status).toBe(1);
    // `github` format: workflow commands that annotate the PR.
    expect(r.stdout).toMatch(/^::error /m);
    const sarif = JSON.parse(readFileSync(join(dir, "plangate.sarif"), "utf8")) as {
      version: string;
      runs: { results: unknown[] }[];
    };
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0]?.results.length).toBeGreaterThan(0);
    const comment = readFileSync(join(dir, "plangate.md"), "utf8");
    expect(comment).toContain("aws_s3_bucket.data");
    expect(comment.length).toBeLessThan(65536);
  });
});

describe("Atlantis example", () => {
  const repos = parse(readFileSync(join(root, "examples", "atlantis", "repos.yaml"), "utf8")) as {
    repos: { custom_policy_check: boolean; policy_check: boolean }[];
    workflows: { plangate: { policy_check: { steps: (string | Step)[] } } };
    policies: { owners: { teams?: string[]; users?: string[] } };
  };
  const run = repos.workflows.plangate.policy_check.steps.find(
    (s): s is Step => typeof s === "object" && !!s.run,
  )?.run;

  it("is a custom policy check with owners, so not anyone can approve", () => {
    expect(repos.repos[0]?.policy_check).toBe(true);
    expect(repos.repos[0]?.custom_policy_check).toBe(true);
    expect(
      (repos.policies.owners.teams ?? []).length + (repos.policies.owners.users ?? []).length,
    ).toBeGreaterThan(0);
    expect(repos.workflows.plangate.policy_check.steps[0]).toBe("show");
  });

  it("blocks the insecure plan with an exit code and a summary Atlantis reads as a failure", () => {
    const r = runExample(run ?? "", root, { SHOWFILE: examplePlan, DIR: join(root, "examples", "insecure") });
    expect(r.status).toBe(1);
    const last = r.stdout.trim().split("\n").at(-1) ?? "";
    // Atlantis (since runatlantis/atlantis#6019) looks for "N failures" with N > 0 and FAIL prefixes.
    expect(last).toMatch(/[1-9]\d* blocking failures?/);
    expect(last).toContain("BLOCKED");
    expect(r.stdout).toMatch(/^\s*FAIL\b/m);
  });

  it('passes with an output that never says "fail" (older Atlantis matches that substring)', () => {
    const passing = `${run ?? ""} --rule s3-no-public-acl --rule s3-no-public-policy --rule iam-policy-no-service-wildcard`;
    const r = runExample(passing, root, { SHOWFILE: examplePlan, DIR: join(root, "examples", "insecure") });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n").at(-1)).toMatch(/— PASSED$/);
    expect(r.stdout.toLowerCase()).not.toContain("fail");
  });

  it("errors (exit 2) rather than passing when the config or a pack cannot be read", () => {
    const dir = mkdtempSync(join(tmpdir(), "plangate-atlantis-"));
    writeFileSync(join(dir, ".plangate.yaml"), "packs: [./broken.yaml]\n");
    writeFileSync(join(dir, "broken.yaml"), "apiVersion: plangate/v1\nkind: PolicyPack\nrules: [\n");
    const r = runExample(run ?? "", dir, { SHOWFILE: examplePlan, DIR: dir });
    expect(r.status).toBe(2);
    expect(r.stdout).not.toContain("PASSED");
    expect(r.stderr).toMatch(/^plangate: error: .*broken\.yaml:\d+:\d+/m);
    expect(existsSync(join(dir, "broken.yaml"))).toBe(true);
  });
});

describe("pre-commit example", () => {
  const config = parse(
    readFileSync(join(root, "examples", "pre-commit", ".pre-commit-config.yaml"), "utf8"),
  ) as {
    repos: { hooks: { entry: string; files: string }[] }[];
  };
  const hook = config.repos[0]?.hooks[0];

  it("plans and gates a real binary plan (terraform_data plans offline)", () => {
    const dir = mkdtempSync(join(tmpdir(), "plangate-precommit-"));
    writeFileSync(join(dir, "main.tf"), 'resource "terraform_data" "a" {\n  input = "x"\n}\n');
    const env = { ...process.env, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
    const init = spawnSync("terraform", ["init", "-input=false", "-no-color"], {
      cwd: dir,
      encoding: "utf8",
      env,
    });
    expect(init.status, init.stderr).toBe(0);
    expect(new RegExp(hook?.files ?? "^$").test("main.tf")).toBe(true);
    const r = runExample(hook?.entry ?? "", dir, { TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" });
    // The plan was read through `terraform show -json`; no built-in rule applies to terraform_data,
    // and an empty gate is an error rather than a silent pass.
    expect(r.status).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/empty gate/);
    expect(existsSync(join(dir, ".tf.plan"))).toBe(true);
  });
});
