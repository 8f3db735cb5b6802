/**
 * Synthesize the app in code and check it with plangate: at synth time (the validation), on the
 * synthesized cdk.tf.json (the library), and with the CLI on cdktf.out (`plangate check DIR`).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { App } from "cdktf";
import { addPlangateValidation, createPlangate } from "../../../dist/cdktf/index.js";
import { ReportsStack } from "./stack.js";

const CLI = fileURLToPath(new URL("../../../bin/plangate.js", import.meta.url));
const PACKS = ["aws-s3", "aws-iam", "aws-backup"];
const temps: string[] = [];
after(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

function outdir(): string {
  const d = mkdtempSync(join(tmpdir(), "plangate-cdktf-"));
  temps.push(d);
  return d;
}

/** status of each (rule, construct path) pair, for assertions that read like the stack. */
function statuses(
  check: Awaited<ReturnType<Awaited<ReturnType<typeof createPlangate>>["check"]>>,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of check.report.plans[0]?.results ?? []) {
    out.set(`${r.rule} ${check.constructPaths.get(r.address) ?? r.address}`, r.status);
  }
  return out;
}

describe("cdktf app checked by plangate", () => {
  it("synthesizes the compliant stack: nothing blocks", async () => {
    const dir = outdir();
    const app = new App({ outdir: dir });
    const stack = new ReportsStack(app, "reports");
    let printed = "";
    await addPlangateValidation(stack, { packs: PACKS, config: false, print: (t) => (printed += t) });
    app.synth();
    assert.match(printed, /pre-plan/);
    assert.match(printed, /PASSED/);

    const doc: unknown = JSON.parse(readFileSync(join(dir, "stacks", "reports", "cdk.tf.json"), "utf8"));
    const plangate = await createPlangate({ packs: PACKS, config: false });
    const check = plangate.checkSynthesized(doc, "cdk.tf.json");
    assert.equal(check.exitCode, 0);
    const s = statuses(check);
    for (const bucket of ["reports/Reports/Bucket", "reports/Logs/Bucket"]) {
      for (const rule of [
        "s3-encryption-kms",
        "s3-bucket-key-enabled",
        "s3-versioning-enabled",
        "s3-bucket-public-access-block",
        "s3-acls-disabled",
        "s3-tls-only",
        "s3-no-public-policy",
      ]) {
        assert.equal(s.get(`${rule} ${bucket}`), "pass", `${rule} on ${bucket}`);
      }
    }
    assert.equal(s.get("backup-tagged-data-covered reports/Reports/Bucket"), "pass");
    assert.equal(s.get("backup-plan-min-retention reports/Plan"), "pass");
    assert.equal(s.get("backup-vault-cmk-encryption reports/Vault"), "pass");
    assert.equal(s.get("iam-role-cross-account-external-id reports/BackupRole"), "pass");
    // Linked through `${aws_s3_bucket.Logs_Bucket_....id}`: the log bucket is not asked to log itself.
    assert.equal(s.get("s3-access-logging reports/Logs/Bucket"), "not_applicable");

    // The CLI reads the synth output directory as a Terraform JSON configuration.
    const cli = spawnSync(
      process.execPath,
      [CLI, "check", join(dir, "stacks", "reports"), "--format", "json"],
      {
        encoding: "utf8",
        cwd: dir,
      },
    );
    assert.equal(cli.status, 0, cli.stderr);
    const report = JSON.parse(cli.stdout) as { plans: { source: string; prePlan: boolean }[] };
    assert.equal(report.plans[0]?.source, "configuration");
  });

  it("fails the synth of the insecure stack with the blocking failures, naming the constructs", async () => {
    const app = new App({ outdir: outdir() });
    const stack = new ReportsStack(app, "insecure", { insecure: true });
    let printed = "";
    await addPlangateValidation(stack, { packs: PACKS, config: false, print: (t) => (printed += t) });
    assert.throws(
      () => app.synth(),
      (err: Error) => {
        assert.match(
          err.message,
          /plangate s3-encryption-kms \(hard-mandatory, high\): .*\[construct insecure\/Reports\/Bucket\]/,
        );
        assert.match(err.message, /plangate s3-bucket-public-access-block \(hard-mandatory, high\)/);
        assert.match(err.message, /plangate s3-versioning-enabled \(soft-mandatory, medium\)/);
        assert.match(err.message, /plangate backup-plan-min-retention \(soft-mandatory, medium\)/);
        return true;
      },
    );
    assert.match(printed, /BLOCKED/);
    // The report carries fixes as it does for plans, as JSON attribute edits (the input is JSON).
    assert.match(
      printed,
      /~ aws_s3_bucket_server_side_encryption_configuration\.\S+: "rule\[0\]\.apply_server_side_encryption_by_default\[0\]\.sse_algorithm": "aws:kms"/,
    );
  });

  it("checks without validations: the same verdicts from stack.toTerraform()", async () => {
    const plangate = await createPlangate({ packs: PACKS, config: false });
    const app = new App({ outdir: outdir() });
    const check = plangate.check(new ReportsStack(app, "insecure", { insecure: true }));
    assert.equal(check.exitCode, 1);
    const s = statuses(check);
    assert.equal(s.get("s3-encryption-kms insecure/Reports/Bucket"), "fail");
    assert.equal(s.get("s3-versioning-enabled insecure/Logs/Bucket"), "fail");
    assert.equal(s.get("backup-plan-min-retention insecure/Plan"), "fail");
    assert.ok(check.errors.length >= 8, check.errors.join("\n"));
  });
});
