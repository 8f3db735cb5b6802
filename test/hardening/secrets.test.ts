/**
 * Secrets never leak. The fixture plants a marker in every sensitive path (attributes, nested
 * blocks, IAM documents, before and after, sensitive variables and outputs, configuration
 * constants) and in the .tf sources next to lines a fix edits. The marker must be absent from every
 * byte of every format in the reporter registry, from `inspect`, from fix snippets and diffs, and
 * from error messages.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultCheckDeps } from "../../src/check/deps.js";
import { runCheck } from "../../src/check/run.js";
import type { Report } from "../../src/check/types.js";
import { inspectReport, inspectText } from "../../src/cli/commands/inspect.js";
import { mergeFixes } from "../../src/fix/merge.js";
import { nodeSourceFs } from "../../src/fix/node-fs.js";
import { planPatches, renderPatch } from "../../src/fix/patch.js";
import { readPlanInput } from "../../src/plan/read.js";
import { InputError } from "../../src/plan/types.js";
import { FORMATS, render } from "../../src/report/index.js";
import { withholdSensitivePatches } from "../../src/safety/secrets.js";
import { FIXTURES } from "./pipeline.js";

const MARKER = "PLANGATE-SECRET-7f3a";
const SRC = path.join(FIXTURES, "secrets");

let dir: string;
let report: Report;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "plangate-secrets-"));
  cpSync(SRC, dir, { recursive: true });
  const deps = defaultCheckDeps({ cwd: dir, sourceDir: dir });
  report = await runCheck(
    { plans: [path.join(dir, "plan.json")], today: "2026-01-01", toolVersion: "0.0.0" },
    deps,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectNoMarker(label: string, text: string): void {
  const at = text.indexOf(MARKER);
  // Show where it leaked: the line holding the marker.
  const line =
    at === -1
      ? ""
      : text.slice(
          text.lastIndexOf("\n", at) + 1,
          text.indexOf("\n", at) === -1 ? undefined : text.indexOf("\n", at),
        );
  expect(line, `${label} leaks a sensitive value`).toBe("");
}

describe("the fixture", () => {
  it("plants the marker in the plan and the sources", () => {
    const plan = readFileSync(path.join(SRC, "plan.json"), "utf8");
    expect(plan.split(MARKER).length - 1).toBeGreaterThan(25);
    expect(readFileSync(path.join(SRC, "main.tf"), "utf8")).toContain(MARKER);
  });
  it("fails rules on the resources that hold secrets (so violations, fixes and statements are rendered)", () => {
    const failed = (report.plans[0]?.results ?? []).filter((r) => r.status === "fail");
    const kinds = new Set(failed.flatMap((r) => r.violations.map((v) => `${v.kind} ${v.address}`)));
    for (const k of [
      "policy-forbidden-statement aws_iam_policy.secret",
      "policy-forbidden-statement aws_iam_role.secret",
      "policy-missing-statement aws_s3_bucket_policy.secret",
      "attribute aws_s3_bucket_server_side_encryption_configuration.secret",
      "forbidden-related aws_s3_bucket.secret",
    ])
      expect([...kinds]).toContain(k);
    expect(failed.every((r) => r.fix !== undefined)).toBe(true);
  });
});

describe("no output shows a sensitive value", () => {
  for (const format of FORMATS) {
    it(`format ${format}`, () => {
      expectNoMarker(format, render(format, report));
      expectNoMarker(`${format} (quiet)`, render(format, report, { quiet: true }));
    });
  }
  it("the report as data (what library users get)", () => expectNoMarker("report", JSON.stringify(report)));
  it("inspect (text and JSON)", async () => {
    const model = await readPlanInput(path.join(dir, "plan.json"));
    const r = inspectReport(model);
    expectNoMarker("inspect json", JSON.stringify(r));
    expectNoMarker("inspect text", inspectText(r, model.file));
  });
  it("fix: snippets, hints and the unified diff against the sources", async () => {
    const deps = defaultCheckDeps({ cwd: dir });
    const model = await deps.readPlan(path.join(dir, "plan.json"));
    const packs = await deps.loadPacks(["aws-s3", "aws-iam", "aws-backup"], {});
    const results = deps.deriveFixes(
      deps.evaluate(
        model,
        packs.map((p) => p.compiled),
        { unknownPolicy: "unknown" },
      ),
      model,
    );
    const { maskSensitiveResults } = await import("../../src/check/mask.js");
    const masked = maskSensitiveResults(results, model);
    const planned = planPatches(mergeFixes(masked), model, dir, nodeSourceFs);
    // Regression: the diff's context lines printed `kms_master_key_id = "<secret>"` from main.tf.
    const { plan, withheld } = withholdSensitivePatches(planned, model);
    expect(withheld).toEqual(["main.tf"]);
    expectNoMarker("fix diff", renderPatch(plan));
    expectNoMarker("fix notes", [...plan.notes, ...plan.refused].join("\n"));
    for (const r of masked) expectNoMarker(`fix of ${r.rule}`, JSON.stringify(r.fix ?? {}));
  });
});

describe("error messages", () => {
  it("a plan broken next to a sensitive value does not quote it", async () => {
    const text = readFileSync(path.join(SRC, "plan.json"), "utf8");
    const cases = [
      text.replace(`"${MARKER}-acl"`, `${MARKER}-acl`),
      text.replace(`"acl": "${MARKER}-acl"`, `"acl": "${MARKER}-acl`),
      text.replace(`"password": "${MARKER}-password"`, `"password": ${MARKER}`),
      text.slice(0, text.indexOf(MARKER) + 10),
    ];
    for (const [i, c] of cases.entries()) {
      const f = path.join(dir, `broken-${i}.json`);
      writeFileSync(f, c);
      const err = await readPlanInput(f).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (err === undefined) continue;
      expect(err).toBeInstanceOf(InputError);
      expectNoMarker(`error ${i}`, (err as InputError).oneLine());
    }
  });
});
