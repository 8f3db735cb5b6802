// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` is Terraform interpolation syntax under test, not a JS template.
import { describe, expect, it } from "vitest";
import { buildModelFromTerraformJson, isTerraformJsonConfig } from "../../src/plan/tfjson.js";
import type { JsonValue, PlanModel } from "../../src/plan/types.js";
import { lookup } from "../../src/plan/values.js";

function model(doc: JsonValue, file = "main.tf.json"): PlanModel {
  return buildModelFromTerraformJson([{ file, doc }]);
}

function linksOf(m: PlanModel, from: string): string[] {
  return (m.outgoing.get(from) ?? []).map((l) => `${l.to} via ${l.via}`).sort();
}

describe("isTerraformJsonConfig", () => {
  it("detects configurations by their top-level blocks", () => {
    expect(isTerraformJsonConfig({ resource: {} })).toBe(true);
    expect(isTerraformJsonConfig({ terraform: { required_version: ">= 1.5" } })).toBe(true);
    expect(isTerraformJsonConfig({ locals: { a: 1 } })).toBe(true);
    expect(isTerraformJsonConfig({ "//": {}, provider: { aws: {} } })).toBe(true);
  });
  it("rejects plans, state and other JSON", () => {
    expect(isTerraformJsonConfig({ format_version: "1.2", resource_changes: [] })).toBe(false);
    expect(isTerraformJsonConfig({ format_version: "1.0", values: {} })).toBe(false);
    // A plan always has format_version, even when it also has a `configuration` with resources.
    expect(isTerraformJsonConfig({ format_version: "1.2", resource: {} })).toBe(false);
    expect(isTerraformJsonConfig({ name: "x" })).toBe(false);
    expect(isTerraformJsonConfig([])).toBe(false);
    expect(isTerraformJsonConfig(null)).toBe(false);
  });
});

describe("buildModelFromTerraformJson", () => {
  it("gives the model of a configuration: one create per block, literals known", () => {
    const m = model({
      resource: {
        aws_s3_bucket: { reports: { bucket: "acme-reports", force_destroy: false, tags: { team: "data" } } },
      },
    });
    expect(m.source).toBe("configuration");
    expect(m.formatVersion).toBe("config");
    expect(m.complete).toBeNull();
    expect(m.resources).toHaveLength(1);
    const r = m.byAddress.get("aws_s3_bucket.reports");
    expect(r).toMatchObject({
      address: "aws_s3_bucket.reports",
      configAddress: "aws_s3_bucket.reports",
      moduleAddress: "",
      modulePath: [],
      mode: "managed",
      type: "aws_s3_bucket",
      name: "reports",
      actions: ["create"],
      provider: "registry.terraform.io/hashicorp/aws",
    });
    expect(r?.repeated).toBeUndefined();
    expect(lookup(r!.after, ["bucket"])).toEqual({ state: "known", value: "acme-reports", sensitive: false });
    expect(lookup(r!.after, ["force_destroy"])).toMatchObject({ state: "known", value: false });
    expect(lookup(r!.after, ["tags", "team"])).toMatchObject({ state: "known", value: "data" });
    expect(r?.config?.expressions.bucket).toEqual({ constant_value: "acme-reports" });
    expect(m.byType.get("aws_s3_bucket")).toHaveLength(1);
  });

  it("makes interpolations unknown and links through their references", () => {
    const m = model({
      resource: {
        aws_s3_bucket: { reports: { bucket: "acme-reports" } },
        aws_s3_bucket_versioning: {
          reports: {
            bucket: "${aws_s3_bucket.reports.id}",
            versioning_configuration: { status: "Enabled" },
          },
        },
        aws_s3_bucket_policy: {
          reports: {
            bucket: "${aws_s3_bucket.reports.bucket}",
            policy: "${data.aws_iam_policy_document.reports.json}",
          },
        },
      },
      data: {
        aws_iam_policy_document: {
          reports: {
            statement: [{ actions: ["s3:GetObject"], resources: ["${aws_s3_bucket.reports.arn}/*"] }],
          },
        },
      },
    });
    const v = m.byAddress.get("aws_s3_bucket_versioning.reports")!;
    expect(lookup(v.after, ["bucket"])).toEqual({ state: "unknown", sensitive: false });
    expect(v.unknownPaths).toEqual(["bucket"]);
    // A nested block given as an object is a list of one block, as plan JSON prints it.
    expect(lookup(v.after, ["versioning_configuration", 0, "status"])).toMatchObject({
      state: "known",
      value: "Enabled",
    });
    expect(v.config?.expressions.bucket).toEqual({
      references: ["aws_s3_bucket.reports.id", "aws_s3_bucket.reports"],
    });
    expect(linksOf(m, "aws_s3_bucket_versioning.reports")).toEqual(["aws_s3_bucket.reports via bucket"]);
    expect(linksOf(m, "aws_s3_bucket_policy.reports")).toEqual([
      "aws_s3_bucket.reports via bucket",
      "data.aws_iam_policy_document.reports via policy",
    ]);
    // An unknown element of a list is unknown at its own path; its literal siblings stay known.
    const doc = m.byAddress.get("data.aws_iam_policy_document.reports")!;
    expect(lookup(doc.after, ["statement", 0, "actions", 0])).toMatchObject({
      state: "known",
      value: "s3:GetObject",
    });
    expect(lookup(doc.after, ["statement", 0, "resources", 0])).toMatchObject({ state: "unknown" });
    expect(doc.mode).toBe("data");
    expect(doc.actions).toEqual(["read"]);
  });

  it("reads count and for_each blocks as one repeated record, and links to them through keys", () => {
    const m = model({
      variable: { names: { default: ["a", "b"] } },
      resource: {
        aws_s3_bucket: { logs: { count: 2, bucket: "logs-${count.index}" } },
        aws_s3_bucket_public_access_block: {
          logs: {
            for_each: "${toset(var.names)}",
            bucket: "${aws_s3_bucket.logs[0].id}",
            block_public_acls: true,
          },
        },
      },
    });
    expect(m.resources.map((r) => [r.address, r.repeated])).toEqual([
      ["aws_s3_bucket.logs", true],
      ["aws_s3_bucket_public_access_block.logs", true],
    ]);
    const pab = m.byAddress.get("aws_s3_bucket_public_access_block.logs")!;
    expect(pab.config?.forEachExpression).toEqual({ references: ["var.names"] });
    expect(m.byAddress.get("aws_s3_bucket.logs")?.config?.countExpression).toEqual({ constant_value: 2 });
    expect(linksOf(m, "aws_s3_bucket_public_access_block.logs")).toEqual(["aws_s3_bucket.logs via bucket"]);
  });

  it("ignores `//` comments and cdktf metadata, and keeps unique-suffixed names", () => {
    const m = model(
      {
        "//": { metadata: { backend: "local", stackName: "app", version: "0.21.0" } },
        terraform: { required_providers: { aws: { source: "aws", version: "6.19.0" } } },
        resource: {
          aws_s3_bucket: {
            Reports_Bucket_8F2A1C3E: {
              "//": { metadata: { path: "app/Reports/Bucket", uniqueId: "Reports_Bucket_8F2A1C3E" } },
              bucket: "acme-reports",
            },
          },
          aws_s3_bucket_versioning: {
            Reports_Versioning_0A1B2C3D: {
              "//": { metadata: { path: "app/Reports/Versioning", uniqueId: "Reports_Versioning_0A1B2C3D" } },
              bucket: "${aws_s3_bucket.Reports_Bucket_8F2A1C3E.id}",
              versioning_configuration: { "//": "a comment", status: "Enabled" },
            },
          },
        },
      },
      "cdk.tf.json",
    );
    const b = m.byAddress.get("aws_s3_bucket.Reports_Bucket_8F2A1C3E")!;
    expect(Object.keys(b.after.value as object)).toEqual(["bucket"]);
    const v = m.byAddress.get("aws_s3_bucket_versioning.Reports_Versioning_0A1B2C3D")!;
    expect(v.after.value).toEqual({ bucket: null, versioning_configuration: [{ status: "Enabled" }] });
    expect(linksOf(m, v.address)).toEqual(["aws_s3_bucket.Reports_Bucket_8F2A1C3E via bucket"]);
  });

  it("follows local modules given with the call's directory", () => {
    const m = buildModelFromTerraformJson([
      {
        file: "main.tf.json",
        doc: {
          resource: { aws_kms_key: { k: { description: "data" } } },
          module: {
            store: { source: "./modules/store", name: "acme-store", kms_key_arn: "${aws_kms_key.k.arn}" },
            remote: { source: "terraform-aws-modules/s3-bucket/aws", version: "4.1.0" },
          },
        },
      },
      {
        file: "modules/store/main.tf.json",
        dir: "modules/store",
        doc: {
          variable: { name: {}, kms_key_arn: {} },
          resource: {
            aws_s3_bucket: { this: { bucket: "${var.name}" } },
            aws_s3_bucket_server_side_encryption_configuration: {
              this: {
                bucket: "${aws_s3_bucket.this.id}",
                rule: [
                  {
                    apply_server_side_encryption_by_default: {
                      sse_algorithm: "aws:kms",
                      kms_master_key_id: "${var.kms_key_arn}",
                    },
                  },
                ],
              },
            },
          },
          output: { bucket_id: { value: "${aws_s3_bucket.this.id}" } },
        },
      },
    ]);
    expect(m.resources.map((r) => r.address)).toEqual([
      "aws_kms_key.k",
      "module.store.aws_s3_bucket.this",
      "module.store.aws_s3_bucket_server_side_encryption_configuration.this",
    ]);
    const sse = m.byAddress.get("module.store.aws_s3_bucket_server_side_encryption_configuration.this")!;
    expect(sse).toMatchObject({ moduleAddress: "module.store", modulePath: ["store"] });
    expect(linksOf(m, sse.address)).toEqual([
      "aws_kms_key.k via rule",
      "module.store.aws_s3_bucket.this via bucket",
    ]);
    expect(
      lookup(sse.after, ["rule", 0, "apply_server_side_encryption_by_default", 0, "sse_algorithm"]),
    ).toMatchObject({ state: "known", value: "aws:kms" });
    expect(m.moduleCalls.map((c) => [c.path.join("."), c.source])).toEqual([
      ["remote", "terraform-aws-modules/s3-bucket/aws"],
      ["store", "./modules/store"],
    ]);
    expect(m.warnings.join("\n")).toMatch(
      /module\.remote: source "terraform-aws-modules\/s3-bucket\/aws" is not local/,
    );
  });

  it("marks resources of a repeated module call as repeated and warns about missing modules", () => {
    const m = buildModelFromTerraformJson([
      {
        file: "main.tf.json",
        doc: { module: { b: { source: "./b", for_each: { x: 1 } }, gone: { source: "./nowhere" } } },
      },
      { file: "b/main.tf.json", dir: "b", doc: { resource: { aws_s3_bucket: { this: { bucket: "b" } } } } },
    ]);
    expect(m.byAddress.get("module.b.aws_s3_bucket.this")?.repeated).toBe(true);
    expect(m.warnings.some((w) => w.includes('module.gone: local source "./nowhere"'))).toBe(true);
  });

  it("tells blocks from maps with a schema, and marks unset computed attributes unknown", () => {
    const m = buildModelFromTerraformJson(
      [
        {
          file: "main.tf.json",
          doc: {
            resource: {
              aws_db_instance: {
                db: { password: "hunter2", settings: { a: "1" }, blk: { b: "2" } },
              },
            },
          },
        },
      ],
      {
        schemaFor: (mode, type) =>
          mode === "managed" && type === "aws_db_instance"
            ? {
                attributes: {
                  id: { type: "string", computed: true },
                  password: { type: "string", optional: true, sensitive: true },
                  settings: { type: ["map", "string"], optional: true },
                },
                block_types: {
                  blk: { nesting_mode: "single", block: { attributes: { b: { type: "string" } } } },
                },
              }
            : undefined,
      },
    );
    const db = m.byAddress.get("aws_db_instance.db")!;
    expect(db.after.value).toEqual({ password: "hunter2", settings: { a: "1" }, blk: { b: "2" }, id: null });
    expect(lookup(db.after, ["id"]).state).toBe("unknown");
    expect(lookup(db.after, ["password"])).toMatchObject({ state: "known", sensitive: true });
    expect(db.sensitivePaths).toEqual(["password"]);
  });

  it("overrides files merge into the blocks they name", () => {
    const m = buildModelFromTerraformJson([
      {
        file: "main.tf.json",
        doc: { resource: { aws_s3_bucket: { b: { bucket: "one", acl: "private" } } } },
      },
      { file: "main_override.tf.json", doc: { resource: { aws_s3_bucket: { b: { bucket: "two" } } } } },
    ]);
    expect(m.byAddress.get("aws_s3_bucket.b")?.after.value).toEqual({ bucket: "two", acl: "private" });
  });

  it("rejects duplicates, non-objects and plan JSON with InputError", () => {
    const dup = (): PlanModel =>
      buildModelFromTerraformJson([
        { file: "a.tf.json", doc: { resource: { aws_s3_bucket: { b: {} } } } },
        { file: "b.tf.json", doc: { resource: { aws_s3_bucket: { b: {} } } } },
      ]);
    expect(dup).toThrow(/duplicate resource "aws_s3_bucket" "b" \(also in a.tf.json\)/);
    expect(() => model([] as JsonValue)).toThrow(/must be a JSON object/);
    expect(() => model({ format_version: "1.2", resource_changes: [] })).toThrow(/plan or state JSON/);
    try {
      dup();
    } catch (e) {
      expect((e as Error).name).toBe("InputError");
    }
  });
});

describe("interpolated map keys", () => {
  it("make the whole map unknown, with the references of keys and values", () => {
    const m = model({
      resource: { aws_s3_bucket: { b: { tags: { "${var.key}": "x", team: "${var.team}" } } } },
    });
    const b = m.byAddress.get("aws_s3_bucket.b")!;
    expect(lookup(b.after, ["tags"]).state).toBe("unknown");
    expect(b.config?.expressions.tags).toEqual({ references: ["var.key", "var.team"] });
  });
});

describe("for_each over resources", () => {
  it("links `each.value.id` to the resources the for_each expression names", () => {
    const m = model({
      resource: {
        aws_s3_bucket: { team: { for_each: { a: "a", b: "b" }, bucket: "team-${each.key}" } },
        aws_s3_bucket_versioning: {
          team: {
            for_each: "${aws_s3_bucket.team}",
            bucket: "${each.value.id}",
            versioning_configuration: { status: "Enabled" },
          },
        },
      },
    });
    expect(linksOf(m, "aws_s3_bucket_versioning.team")).toContain("aws_s3_bucket.team via bucket");
  });
});
