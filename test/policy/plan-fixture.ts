/**
 * Small plans in the exact shape `terraform show -json` prints (format 1.2: `resource_changes` with
 * `after_unknown` / `*_sensitive`, `configuration` with `references`), built through the real
 * `buildPlanModel`, so the engine sees what it sees in production.
 */
import { buildPlanModel } from "../../src/plan/model.js";
import type { Action, JsonObject, JsonValue, PlanModel } from "../../src/plan/types.js";
import { compilePack } from "../../src/policy/compile.js";
import type { CompiledPack } from "../../src/policy/compiled-pack.js";
import { formatDiagnostic } from "../../src/policy/diagnostic.js";
import { parsePackText } from "../../src/policy/source.js";

export interface FixtureResource {
  /** Root-module address: `aws_s3_bucket.b`, `data.aws_iam_policy_document.p`, `aws_s3_bucket.b[0]`. */
  readonly address: string;
  readonly actions?: readonly Action[];
  readonly before?: JsonValue;
  readonly after?: JsonObject | null;
  readonly afterUnknown?: JsonObject;
  readonly afterSensitive?: JsonObject;
  /** `configuration` expressions of the resource block (`{constant_value}` / `{references}`). */
  readonly expressions?: JsonObject;
}

function parse(address: string): {
  mode: "managed" | "data";
  type: string;
  name: string;
  index?: number | string;
} {
  const m = /^(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\[(\d+|"[^"]*")\])?$/.exec(address);
  if (!m) throw new Error(`fixture address ${address}`);
  const index =
    m[4] === undefined ? undefined : m[4].startsWith('"') ? (JSON.parse(m[4]) as string) : Number(m[4]);
  return {
    mode: m[1] ? "data" : "managed",
    type: m[2] as string,
    name: m[3] as string,
    ...(index !== undefined ? { index } : {}),
  };
}

function provider(type: string): string {
  return `registry.terraform.io/hashicorp/${type.slice(0, type.indexOf("_"))}`;
}

export function planDocument(resources: readonly FixtureResource[]): JsonObject {
  const changes: JsonValue[] = [];
  const config = new Map<string, JsonObject>();
  for (const r of resources) {
    const { mode, type, name, index } = parse(r.address);
    const actions = r.actions ?? (mode === "data" ? ["read"] : ["create"]);
    const after = actions.length === 1 && actions[0] === "delete" ? null : (r.after ?? {});
    changes.push({
      address: r.address,
      mode,
      type,
      name,
      ...(index !== undefined ? { index } : {}),
      provider_name: provider(type),
      change: {
        actions: [...actions],
        before: r.before ?? null,
        after,
        after_unknown: r.afterUnknown ?? {},
        before_sensitive: r.before ? {} : false,
        after_sensitive: after === null ? false : (r.afterSensitive ?? {}),
      },
    });
    const configAddress = `${mode === "data" ? "data." : ""}${type}.${name}`;
    if (!config.has(configAddress)) {
      config.set(configAddress, {
        address: configAddress,
        mode,
        type,
        name,
        provider_config_key: type.slice(0, type.indexOf("_")),
        expressions: r.expressions ?? {},
        schema_version: 0,
      });
    }
  }
  return {
    format_version: "1.2",
    terraform_version: "1.9.8",
    planned_values: { root_module: {} },
    resource_changes: changes,
    configuration: { root_module: { resources: [...config.values()] } },
    timestamp: "2026-11-28T07:00:00Z",
    applyable: true,
    complete: true,
    errored: false,
  };
}

export function planModel(resources: readonly FixtureResource[]): PlanModel {
  return buildPlanModel(planDocument(resources), "fixture.json");
}

/** A one-rule pack around `require` (YAML text), compiled; throws on any diagnostic error. */
export function packOf(yaml: string, file = "pack.yaml"): CompiledPack {
  const result = compilePack(parsePackText(yaml, file, "yaml"));
  if (!result.pack) throw new Error(result.diagnostics.map(formatDiagnostic).join("\n"));
  return result.pack;
}

/** A pack with one rule on `resource` whose `require` is the given YAML (indented by the caller). */
export function ruleYaml(resource: string, body: string, extra = ""): string {
  return `apiVersion: plangate/v1
kind: PolicyPack
metadata: { name: test, version: 1.0.0 }
rules:
  - id: r
    title: T
    severity: high
    enforcement: hard-mandatory
    resource: ${resource}
${extra}    require:
${body
  .split("\n")
  .map((l) => `      ${l}`)
  .join("\n")}
`;
}
