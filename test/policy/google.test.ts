import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/engine/evaluate.js";
import { buildPlanModel } from "../../src/plan/model.js";
import { compilePack } from "../../src/policy/compile.js";
import { loadPacks } from "../../src/policy/load.js";
import { loadSchemaIndex } from "../../src/policy/provider-schema/index.js";
import { parsePackText } from "../../src/policy/source.js";

const fixtures = fileURLToPath(new URL("../fixtures/", import.meta.url));

describe("a google_storage_bucket pack (the engine knows no provider)", async () => {
  const [source] = await loadPacks([`${fixtures}packs/google-storage.yaml`]);
  const index = loadSchemaIndex();

  it("validates against the google schema subset with no diagnostic", () => {
    expect(index.knowsProvider("google_storage_bucket")).toBe(true);
    expect(compilePack(source!, { schemaIndex: index }).diagnostics).toEqual([]);
  });

  it("a typo in it is caught by the google schema", () => {
    const text = readFileSync(`${fixtures}packs/google-storage.yaml`, "utf8").replace(
      "public_access_prevention, equals",
      "public_access_preventon, equals",
    );
    const result = compilePack(parsePackText(text, "google-storage.yaml", "yaml"), { schemaIndex: index });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        line: 34,
        column: 27,
        code: "unknown-attribute",
        message:
          'unknown attribute "public_access_preventon" of google_storage_bucket (did you mean "public_access_prevention"?)',
      }),
    ]);
  });

  it("evaluates on a plan fixture: pass, fail, unknown, not_applicable", () => {
    const pack = compilePack(source!, { schemaIndex: index }).pack!;
    const doc = JSON.parse(readFileSync(`${fixtures}plans/google-storage.plan.json`, "utf8")) as unknown;
    const results = evaluate(buildPlanModel(doc, "google-storage.plan.json"), [pack]);
    const table = results.map((r) => `${r.rule} ${r.address} ${r.status}`);
    expect(table).toEqual([
      "gcs-uniform-access google_storage_bucket.private pass",
      "gcs-uniform-access google_storage_bucket.public fail",
      "gcs-public-access-prevention google_storage_bucket.private pass",
      "gcs-public-access-prevention google_storage_bucket.public unknown",
      "gcs-versioning google_storage_bucket.private pass",
      "gcs-versioning google_storage_bucket.public unknown",
      "gcs-cmek google_storage_bucket.private unknown",
      "gcs-cmek google_storage_bucket.public unknown",
      "gcs-location google_storage_bucket.private pass",
      "gcs-location google_storage_bucket.public fail",
      "gcs-no-public-members google_storage_bucket.private pass",
      "gcs-no-public-members google_storage_bucket.public fail",
      "gcs-pii-soft-delete google_storage_bucket.private pass",
      "gcs-pii-soft-delete google_storage_bucket.public not_applicable",
    ]);
    const publicMember = results.find((r) => r.rule === "gcs-no-public-members" && r.status === "fail");
    expect(publicMember?.violations).toEqual([
      {
        kind: "forbidden-related",
        address: "google_storage_bucket.public",
        related: "google_storage_bucket_iam_member.public_read",
        type: "google_storage_bucket_iam_member",
      },
    ]);
    const location = results.find((r) => r.rule === "gcs-location" && r.status === "fail");
    expect(location?.violations[0]).toMatchObject({
      expected: { op: "in", values: ["EU", "EUROPE-WEST1"] },
      actual: { state: "known", value: "US" },
    });
    const cmek = results.find((r) => r.rule === "gcs-cmek" && r.address.endsWith("private"));
    expect(cmek?.unknowns).toEqual([
      { address: "google_storage_bucket.private", path: ["encryption", 0, "default_kms_key_name"] },
    ]);
  });

  it("parameters from the config override the defaults", () => {
    const pack = compilePack(source!, { schemaIndex: index, params: { allowedLocations: ["US"] } }).pack!;
    const doc = JSON.parse(readFileSync(`${fixtures}plans/google-storage.plan.json`, "utf8")) as unknown;
    const results = evaluate(buildPlanModel(doc, "g.json"), [pack], {
      rules: new Set(["gcs-baseline/gcs-location"]),
    });
    expect(results.map((r) => r.status)).toEqual(["fail", "pass"]);
  });
});
