/** Test helpers: plan documents in the shape `terraform show -json` prints, and result values. */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Fix, RuleResult, Violation } from "../../src/engine/types.js";
import { buildPlanModel } from "../../src/plan/model.js";
import type { JsonObject, JsonValue, PlanModel } from "../../src/plan/types.js";

export interface Res {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly after: JsonObject;
  readonly afterUnknown?: JsonObject;
  readonly afterSensitive?: JsonValue;
  /** configuration expressions of the block */
  readonly expressions?: JsonObject;
  readonly count?: boolean;
  readonly forEach?: boolean;
  readonly actions?: string[];
}

/** A format-1.2 plan with these resources (root module and `module.NAME` ones, given by address). */
export function planDoc(resources: readonly Res[], moduleSources: Record<string, string> = {}): JsonObject {
  const rc = resources.map((r) => {
    const mod = /^(module\.[^.]+(?:\[[^\]]+\])?)\./.exec(r.address)?.[1];
    return {
      address: r.address,
      ...(mod ? { module_address: mod } : {}),
      mode: "managed",
      type: r.type,
      name: r.name,
      ...(r.index !== undefined ? { index: r.index } : {}),
      provider_name: "registry.terraform.io/hashicorp/aws",
      change: {
        actions: r.actions ?? ["create"],
        before: null,
        after: r.after,
        after_unknown: r.afterUnknown ?? {},
        before_sensitive: false,
        after_sensitive: r.afterSensitive ?? {},
      },
    };
  });
  const byModule = new Map<string, JsonObject[]>();
  const seen = new Set<string>();
  for (const r of resources) {
    const mod = /^module\.([^.[]+)/.exec(r.address)?.[1] ?? "";
    const key = `${mod} ${r.type}.${r.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const list = byModule.get(mod) ?? [];
    list.push({
      address: `${r.type}.${r.name}`,
      mode: "managed",
      type: r.type,
      name: r.name,
      provider_config_key: "aws",
      expressions: r.expressions ?? {},
      schema_version: 0,
      ...(r.count ? { count_expression: { constant_value: 2 } } : {}),
      ...(r.forEach ? { for_each_expression: { references: ["var.names"] } } : {}),
    });
    byModule.set(mod, list);
  }
  const calls: JsonObject = {};
  for (const [name, source] of Object.entries(moduleSources)) {
    calls[name] = { source, module: { resources: byModule.get(name) ?? [] } };
  }
  return {
    format_version: "1.2",
    terraform_version: "1.11.4",
    resource_changes: rc,
    configuration: {
      provider_config: {},
      root_module: { resources: byModule.get("") ?? [], module_calls: calls },
    },
    complete: true,
    errored: false,
    applyable: true,
  } as unknown as JsonObject;
}

export function model(resources: readonly Res[], moduleSources: Record<string, string> = {}): PlanModel {
  return buildPlanModel(planDoc(resources, moduleSources), "plan.json");
}

export function failed(
  rule: string,
  address: string,
  violations: Violation[],
  extra: Partial<RuleResult> = {},
): RuleResult {
  return {
    rule,
    pack: "test",
    title: rule,
    severity: "high",
    enforcement: "hard-mandatory",
    controls: [],
    address,
    resourceType: address.split(".").at(-2)?.replace(/\[.*$/, "") ?? "",
    status: "fail",
    message: `${rule} failed`,
    violations,
    unknowns: [],
    related: [],
    unknownPolicy: "unknown",
    fingerprint: `${rule}:${address}`,
    ...extra,
  };
}

export function withFix(r: RuleResult, fix: Fix): RuleResult {
  return { ...r, fix };
}

export function tempDir(prefix = "plangate-fix-"): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

/** `terraform fmt -check` on a text; returns true when fmt would not change it. */
export function fmtClean(text: string): boolean {
  const dir = tempDir("plangate-fmt-");
  fs.writeFileSync(path.join(dir, "main.tf"), text);
  try {
    execFileSync("terraform", ["fmt", "-check", "main.tf"], { cwd: dir, stdio: "pipe" });
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What `terraform fmt` makes of a text (for failure messages). */
export function fmtDiff(text: string): string {
  const dir = tempDir("plangate-fmt-");
  fs.writeFileSync(path.join(dir, "main.tf"), text);
  try {
    return execFileSync("terraform", ["fmt", "-diff", "-check", "main.tf"], {
      cwd: dir,
      stdio: "pipe",
    }).toString();
  } catch (err) {
    return String((err as { stdout?: Buffer }).stdout ?? err);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
