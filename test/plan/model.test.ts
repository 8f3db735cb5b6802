import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { actionScopes, isCheckable, plannedToExist, selectedBy } from "../../src/plan/actions.js";
import {
  formatKey,
  isResourceAddress,
  parseAddress,
  parseModuleAddress,
  parseReference,
} from "../../src/plan/address.js";
import { buildPlanModel } from "../../src/plan/model.js";
import type { Action, AttributeValues } from "../../src/plan/types.js";
import { knownAt, lookup } from "../../src/plan/values.js";
import { CORPUS, corpusPlan, fixturePlan } from "./helpers.js";

describe("resource records", () => {
  it("a module instance resource carries its module address, config path and configuration block", async () => {
    const m = await fixturePlan("s3-module-companions.plan.json");
    const r = m.byAddress.get('module.buckets["logs"].aws_s3_bucket_versioning.this[0]');
    expect(r).toMatchObject({
      moduleAddress: 'module.buckets["logs"]',
      modulePath: ["buckets"],
      configAddress: "module.buckets.aws_s3_bucket_versioning.this",
      mode: "managed",
      type: "aws_s3_bucket_versioning",
      name: "this",
      index: 0,
      provider: "registry.terraform.io/hashicorp/aws",
      actions: ["create"],
      unknownPaths: ["bucket", "id", "versioning_configuration[0].mfa_delete"],
    });
    expect(r?.config?.address).toBe("aws_s3_bucket_versioning.this");
    expect(r?.config?.countExpression).toEqual({ references: ["local.create_bucket"] });
    expect(m.moduleCalls).toEqual([{ path: ["buckets"], source: "./modules/bucket", repeated: true }]);
    expect(m.byType.get("aws_s3_bucket")?.map((b) => b.address)).toEqual([
      "aws_s3_bucket.named",
      'module.buckets["data"].aws_s3_bucket.this[0]',
      'module.buckets["logs"].aws_s3_bucket.this[0]',
    ]);
  });

  it("for_each keys with dots stay one key", async () => {
    const m = await corpusPlan("infracost__terraform_v0.14_plan.json");
    const r = m.byAddress.get('module.instances.aws_instance.module_instance_named["test.1"]');
    expect(r).toMatchObject({ index: "test.1", moduleAddress: "module.instances", actions: ["no-op"] });
  });

  it("data sources read during planning come from prior_state as no-op reads", async () => {
    const m = await corpusPlan("vitormartins1-etl-poc__terraform_plan.json");
    const r = m.byAddress.get("module.s3_bucket.data.aws_partition.current");
    expect(r).toMatchObject({ mode: "data", actions: ["no-op"], moduleAddress: "module.s3_bucket" });
    expect(r && lookup(r.after, ["partition"])).toEqual({ state: "known", value: "aws", sensitive: false });
    // Data sources that do appear in resource_changes (deferred reads) are not duplicated.
    const reads = m.resources.filter((x) => x.address === "module.lambda_function.data.aws_region.current");
    expect(reads.map((x) => x.actions)).toEqual([["read"]]);
  });

  it("deposed objects keep their key; the address maps to the current object", async () => {
    const m = await corpusPlan("necron99-robert-consulting__terraform-plan.json");
    const all = m.resources.filter((r) => r.address === "null_resource.build_lambda_package");
    expect(all.map((r) => r.deposed ?? "current").sort()).toEqual([
      "23af97a9",
      "81080e93",
      "current",
      "eefd2467",
    ]);
    expect(m.byAddress.get("null_resource.build_lambda_package")?.deposed).toBeUndefined();
    expect(all.filter(isCheckable)).toHaveLength(1);
  });

  it("replace_paths and action_reason", async () => {
    const m = await corpusPlan("necron99-robert-consulting__terraform-plan.json");
    const r = m.byAddress.get("aws_lambda_permission.api_gateway_lambda");
    expect(r).toMatchObject({ actions: ["delete", "create"], actionReason: "replace_because_cannot_update" });
    expect(r?.replacePaths).toEqual([["source_arn"]]);
    expect(r && actionScopes(r.actions)).toEqual(["replace"]);
  });

  it("sensitive paths come from before_sensitive and after_sensitive", async () => {
    const m = await corpusPlan("necron99-robert-consulting__terraform-plan.json");
    expect(m.byAddress.get("aws_acm_certificate.staging_ssl_cert")?.sensitivePaths).toContain("private_key");
    const k = (await corpusPlan("awslabs-iam-validator__identity_policies-test_plan.json")).byAddress.get(
      "aws_iam_access_key.lb",
    );
    expect(k?.sensitivePaths).toEqual(["secret", "ses_smtp_password_v4"]);
  });

  it("is deterministic", () => {
    const text = readFileSync(`${CORPUS}thebearguy-tf-gatekeeper__tfplan.json`, "utf8");
    const a = buildPlanModel(JSON.parse(text), "a.json");
    const b = buildPlanModel(JSON.parse(text), "a.json");
    expect(JSON.stringify(a.links)).toBe(JSON.stringify(b.links));
    expect(a.resources.map((r) => r.address)).toEqual(b.resources.map((r) => r.address));
  });
});

describe("unknown values are never read as null or absent (corpus after_unknown shapes)", () => {
  it("a list element unknown while the list is known, and a wholly unknown block", async () => {
    const m = await corpusPlan("andr1yk-task6-storage__tfplan.json");
    const doc = m.byAddress.get("data.aws_iam_policy_document.grafana_backup_policy");
    if (!doc) throw new Error("fixture changed");
    // after has `resources: [null]`, after_unknown `resources: [true]`.
    expect(lookup(doc.after, ["statement", 0, "resources", 0])).toEqual({
      state: "unknown",
      sensitive: false,
    });
    expect(lookup(doc.after, ["statement", 0, "actions", 0])).toEqual({
      state: "known",
      value: "s3:ListBucket",
      sensitive: false,
    });
    expect(lookup(doc.after, ["json"])).toEqual({ state: "unknown", sensitive: false });
    const bucket = m.byAddress.get("aws_s3_bucket.grafana_backups");
    if (!bucket) throw new Error("fixture changed");
    // `versioning: true` in after_unknown: every path below it is unknown, not absent.
    expect(lookup(bucket.after, ["versioning", 0, "enabled"])).toEqual({
      state: "unknown",
      sensitive: false,
    });
    expect(lookup(bucket.after, ["bucket"])).toMatchObject({
      state: "known",
      value: "grafana-backups-andr1yk",
    });
    expect(lookup(bucket.after, ["bucket_prefix"]).state).toBe("unknown");
    // `after: {}` with `bucket` unknown.
    const policy = m.byAddress.get("aws_s3_bucket_policy.grafana_backups_policy");
    if (!policy) throw new Error("fixture changed");
    expect(lookup(policy.after, ["bucket"]).state).toBe("unknown");
    expect(policy.unknownPaths).toEqual(["bucket", "id", "policy"]);
  });

  it("knownAt reads a top-level key as lookup does: the value when known and not sensitive", async () => {
    const sides: AttributeValues[] = [
      { value: { a: "x", b: null, c: [1] }, unknown: { b: true }, sensitive: { c: [false, true] } },
      { value: { a: "x" }, unknown: true, sensitive: false },
      { value: { a: "x" }, unknown: {}, sensitive: true },
      { value: { a: "x", b: "y" }, unknown: { a: false, c: true }, sensitive: { b: { deep: true } } },
      { value: ["x"], unknown: {}, sensitive: {} },
      { value: null, unknown: { a: true }, sensitive: false },
    ];
    for (const plan of ["andr1yk-task6-storage__tfplan.json", "checkov__plan_with_iam_policies-tfplan.json"])
      for (const r of (await corpusPlan(plan)).resources) sides.push(r.before, r.after);
    let known = 0;
    for (const side of sides) {
      const keys = new Set(["a", "b", "c", "__proto__"]);
      if (side.value && typeof side.value === "object") for (const k of Object.keys(side.value)) keys.add(k);
      for (const key of keys) {
        const l = lookup(side, [key]);
        const expected = l.state === "known" && !l.sensitive ? l.value : undefined;
        expect(knownAt(side, key), key).toEqual(expected);
        if (expected !== undefined) known++;
      }
    }
    expect(known).toBeGreaterThan(20);
  });

  it("a sensitive value reads as sensitive", async () => {
    const m = await fixturePlan("opentofu-ephemeral.plan.json");
    const db = m.byAddress.get("aws_db_instance.main");
    expect(db && lookup(db.after, ["password"])).toMatchObject({ state: "known", sensitive: true });
  });
});

describe("action scopes", () => {
  it.each<[Action[], string[]]>([
    [["create"], ["create"]],
    [["update"], ["update"]],
    [["no-op"], ["no-op"]],
    [["read"], ["read"]],
    [["delete"], ["delete"]],
    [["forget"], ["forget"]],
    [["delete", "create"], ["replace"]],
    [["create", "delete"], ["replace"]],
    [
      ["create", "forget"],
      ["replace", "forget"],
    ],
    [["open"], []],
  ])("%j -> %j", (actions, scopes) => {
    expect(actionScopes(actions)).toEqual(scopes);
  });

  it("planned to exist: create, update, replace, no-op", () => {
    expect((["create", "update", "no-op"] as Action[]).every((a) => plannedToExist([a]))).toBe(true);
    expect(plannedToExist(["create", "delete"])).toBe(true);
    expect(plannedToExist(["delete"])).toBe(false);
    expect(plannedToExist(["forget"])).toBe(false);
    expect(plannedToExist(["read"])).toBe(false);
  });

  it("ephemeral resources are never selected", async () => {
    const m = await fixturePlan("opentofu-ephemeral.plan.json");
    expect(
      m.resources
        .filter((r) => selectedBy(r, ["create", "update", "replace", "no-op", "read"]))
        .map((r) => r.address),
    ).toEqual(["aws_db_instance.main"]);
  });
});

describe("addresses and references", () => {
  it("parses instance addresses", () => {
    expect(parseAddress('module.s3["logs"].module.inner[2].aws_s3_bucket.this["a.b[0]"]')).toEqual({
      modules: [
        { name: "s3", key: "logs" },
        { name: "inner", key: 2 },
      ],
      mode: "managed",
      type: "aws_s3_bucket",
      name: "this",
      key: "a.b[0]",
    });
    expect(parseAddress("data.aws_iam_policy_document.x")).toEqual({
      modules: [],
      mode: "data",
      type: "aws_iam_policy_document",
      name: "x",
    });
    expect(parseAddress("aws_s3_bucket")).toBeUndefined();
  });

  it("parses module instance addresses, and nothing else, as module steps", () => {
    expect(parseModuleAddress('module.s3["logs"].module.inner[2]')).toEqual([
      { name: "s3", key: "logs" },
      { name: "inner", key: 2 },
    ]);
    for (const text of ["module.a.aws_s3_bucket.b", "module", 'module.a["x', "aws_s3_bucket.b"])
      expect(parseModuleAddress(text)).toBeUndefined();
  });

  it("takes a resource address for its printed parts only where parseAddress reads those parts", () => {
    const modes = ["managed", "data", "ephemeral", "weird"];
    const names = ["aws_s3_bucket", "b", "data", "module", "ephemeral", "a.b", "a[0]", 'a"b', "a]b", ""];
    const keys = [undefined, 0, 7, 12, -1, 1.5, -0, 2 ** 60, "k", "a.b[0]", 'q"x', "\\", "\u0001", "\ud800"];
    let taken = 0;
    for (const mode of modes)
      for (const type of names)
        for (const name of names)
          for (const key of keys) {
            const prefix = mode === "managed" ? "" : `${mode}.`;
            const texts = [
              `${prefix}${type}.${name}${formatKey(key)}`,
              `module.m.${prefix}${type}.${name}${formatKey(key)}`,
              `${prefix}${type}.${name}.${formatKey(key)}`,
              `${prefix}${type}..${name}${formatKey(key)}`,
              `${prefix}${type}.${name}[${JSON.stringify(String(key))}]`,
              `${prefix}${type}.${name}[0${String(key)}]`,
            ];
            for (const text of texts)
              for (const start of [0, 9]) {
                if (!isResourceAddress(text, start, mode, type, name, key)) continue;
                taken++;
                expect(parseAddress(text.slice(start)), text).toEqual({
                  modules: [],
                  mode,
                  type,
                  name,
                  ...(key !== undefined ? { key } : {}),
                });
              }
          }
    expect(taken).toBeGreaterThan(100);
    expect(isResourceAddress("aws_s3_bucket.b[3]", 0, "managed", "aws_s3_bucket", "b", 3)).toBe(true);
    expect(isResourceAddress('module.m.data.t.n["k"]', 9, "data", "t", "n", "k")).toBe(true);
  });

  it("reads `module_address` as a hint only: records are those of the address alone", () => {
    // Each pair: the module address printed, the resource address (odd ones included).
    const pairs: [string, string][] = [
      ["module.a", "module.a.aws_s3_bucket.b"],
      ["module.a", "module.a.module.b.aws_s3_bucket.b"],
      ["module.a", 'module.a.["k"].aws_s3_bucket.b'],
      ['module.a["x', 'module.a["x.y"].aws_s3_bucket.b'],
      ["module.a.", "module.a..aws_s3_bucket.b[0]"],
      ['module.a["k.]"]', 'module.a["k.]"].data.aws_iam_policy_document.d["q"]'],
      ["module.a[01]", "module.a[01].aws_s3_bucket.b[007]"],
      ["module.a[1]", "module.a[01].aws_s3_bucket.b"],
      ["module.a", "module.b.aws_s3_bucket.b"],
      ["", "module.a.aws_s3_bucket.b"],
      ["aws_s3_bucket", "aws_s3_bucket.b"],
    ];
    const change = (address: string, moduleAddress?: string) => ({
      address,
      ...(moduleAddress !== undefined ? { module_address: moduleAddress } : {}),
      type: "aws_s3_bucket",
      name: "b",
      change: { actions: ["create"], before: null, after: {} },
    });
    const records = (changes: unknown[]) =>
      buildPlanModel({ format_version: "1.2", resource_changes: changes }, "p.json").resources.map((r) => [
        r.modulePath,
        r.configAddress,
        r.index,
      ]);
    const hinted = records(pairs.map(([m, a]) => change(a, m)));
    expect(hinted).toEqual(records(pairs.map(([, a]) => change(a))));
    expect(hinted[2]).toEqual([["a"], "module.a.aws_s3_bucket.b", undefined]);
    expect(hinted[8]).toEqual([["b"], "module.b.aws_s3_bucket.b", undefined]);
    // A module address the address does not parse with leaves the error to the address.
    expect(() => records([change("module.a.module.aws_s3_bucket.b", "module.a")])).toThrow(
      /cannot parse resource address/,
    );
  });

  it("classifies references", () => {
    expect(parseReference("aws_s3_bucket.b[0].id")).toEqual({
      kind: "resource",
      target: "aws_s3_bucket.b",
      key: 0,
      attribute: "id",
    });
    expect(parseReference('aws_s3_bucket.b["k"]')).toEqual({
      kind: "resource",
      target: "aws_s3_bucket.b",
      key: "k",
    });
    expect(parseReference("data.aws_iam_policy_document.x.json")).toEqual({
      kind: "resource",
      target: "data.aws_iam_policy_document.x",
      attribute: "json",
    });
    expect(parseReference('module.s3["data"].bucket_id')).toEqual({
      kind: "module",
      name: "s3",
      key: "data",
      output: "bucket_id",
    });
    expect(parseReference("var.bucket")).toEqual({ kind: "var", name: "bucket" });
    for (const r of ["local.x", "count.index", "each.key", "path.module", "terraform.workspace", "self.id"]) {
      expect(parseReference(r)).toBeUndefined();
    }
  });
});
