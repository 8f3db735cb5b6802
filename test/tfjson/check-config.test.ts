/** Terraform JSON configuration through `plangate check` and `plangate fix`, end to end. */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultCheckDeps } from "../../src/check/deps.js";
import { runCheck } from "../../src/check/run.js";
import { render } from "../../src/report/index.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CONFIG = "test/fixtures/tfjson/insecure.tf.json";

interface SarifResult {
  readonly locations: readonly {
    readonly physicalLocation: {
      readonly artifactLocation: { readonly uri: string };
      readonly region?: { readonly startLine: number };
    };
  }[];
  readonly message: { readonly text: string };
}

describe("check on a Terraform JSON configuration", () => {
  it("points SARIF results at the resource's block in the .tf.json", async () => {
    const report = await runCheck(
      { plans: [path.join(ROOT, CONFIG)], today: "2026-01-01", toolVersion: "0.0.0" },
      defaultCheckDeps({ cwd: ROOT }),
    );
    const sarif = JSON.parse(render("sarif", report)) as { runs: { results: SarifResult[] }[] };
    const results = sarif.runs[0]?.results ?? [];
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.locations[0]?.physicalLocation.artifactLocation.uri).toBe(CONFIG);
    const bucket = report.plans[0]?.results.find(
      (r) => r.address === "aws_s3_bucket.data" && r.status === "fail",
    );
    // `"data": {` of aws_s3_bucket opens on line 19 of the fixture.
    expect(bucket?.location).toMatchObject({ file: CONFIG, line: 19 });
  });

  it("shows fixes as Terraform JSON edits, not HCL, in every format that prints them", async () => {
    const report = await runCheck(
      { plans: [path.join(ROOT, CONFIG)], today: "2026-01-01", toolVersion: "0.0.0" },
      defaultCheckDeps({ cwd: ROOT }),
    );
    for (const format of ["text", "markdown", "github", "junit"] as const) {
      const out = render(format, report);
      expect(out, format).toContain("+ aws_s3_bucket_versioning.data (linked to aws_s3_bucket.data):");
      const link = '"bucket": "${aws_s3_bucket.data.id}"';
      expect(out, format).toContain(format === "junit" ? link.replaceAll('"', "&quot;") : link);
      expect(out, format).not.toContain('resource "aws_s3_bucket_versioning"');
    }
  });
});
