/**
 * The gate as cdktf needs it: packs and config loaded once, ahead of time (that is I/O, and async),
 * then a synchronous check per synthesized stack, because cdktf runs validations synchronously
 * inside `app.synth()`. The check itself is the same pipeline as `plangate check` on a Terraform
 * JSON configuration: same model, engine, fixes, waivers, report and exit code.
 */
import { defaultCheckDeps } from "../check/deps.js";
import { exitCode } from "../check/exit.js";
import { type CheckRequest, checkModel, prepareCheck, reportOf } from "../check/run.js";
import type { CheckedResult, Report, UnknownSetting } from "../check/types.js";
import { toolVersion } from "../check/version.js";
import { loadConfig } from "../config/load.js";
import type { Severity } from "../engine/types.js";
import { isObject } from "../plan/config.js";
import { buildModelFromTerraformJson } from "../plan/tfjson.js";
import type { PlanModel } from "../plan/types.js";
import { loadSchemaIndex } from "../policy/provider-schema/index.js";

export interface GateOptions {
  /** Packs: built-in names (`aws-s3`), files, directories or npm packages. Default: the config's, else the built-in packs. */
  readonly packs?: readonly string[];
  /** Rule ids or globs to run (like `--rule`). */
  readonly rules?: readonly string[];
  /** A `.plangate.yaml` (waivers, rule overrides, parameters); default: found upward from `cwd`; `false`: none. */
  readonly config?: string | false;
  readonly failOn?: Severity;
  /** How unknown results count (like `--unknown`); before a plan, many values are unknown. */
  readonly unknown?: UnknownSetting;
  readonly allowEmpty?: boolean;
  readonly strictWaivers?: boolean;
  /** Base for relative paths and the config search (default `process.cwd()`). */
  readonly cwd?: string;
  /** YYYY-MM-DD that waiver expiry is judged against (default: today, UTC). */
  readonly today?: string;
}

export interface StackCheck {
  readonly report: Report;
  readonly exitCode: 0 | 1 | 2;
  readonly model: PlanModel;
  /** Construct path of each resource address, from cdktf's `//` metadata. */
  readonly constructPaths: ReadonlyMap<string, string>;
}

export interface PreparedGate {
  /** Check one synthesized stack (the JSON of `stack.toTerraform()` or `cdk.tf.json`). Synchronous. */
  checkDocument(doc: unknown, name: string): StackCheck;
}

/** `aws_s3_bucket.Reports_Bucket_E08B790D` -> `reports/Reports/Bucket`, from cdktf's `//` metadata. */
export function constructPaths(doc: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!isObject(doc)) return out;
  for (const [key, prefix] of [
    ["resource", ""],
    ["data", "data."],
  ] as const) {
    const byType = doc[key];
    if (!isObject(byType)) continue;
    for (const [type, byName] of Object.entries(byType)) {
      if (!isObject(byName)) continue;
      for (const [name, body] of Object.entries(byName)) {
        const meta = isObject(body) && isObject(body["//"]) ? body["//"].metadata : undefined;
        const path = isObject(meta) && typeof meta.path === "string" ? meta.path : undefined;
        if (path) out.set(`${prefix}${type}.${name}`, path);
      }
    }
  }
  return out;
}

/** Load config and packs once; the returned gate checks stacks synchronously. */
export async function prepareGate(options: GateOptions = {}): Promise<PreparedGate> {
  const cwd = options.cwd ?? process.cwd();
  const config = options.config === false ? undefined : await loadConfig(options.config, cwd);
  const deps = defaultCheckDeps({ cwd });
  // The request `plangate check` would make with these options: the gate is the same pipeline
  // (load step here, then the synchronous per-model check and report), masking included.
  const request: Omit<CheckRequest, "plans"> = {
    ...(options.packs ? { packs: options.packs } : {}),
    ...(options.rules ? { rules: options.rules } : {}),
    ...(config ? { config } : {}),
    ...(options.failOn ? { failOn: options.failOn } : {}),
    ...(options.unknown ? { unknown: options.unknown } : {}),
    strictWaivers: options.strictWaivers ?? false,
    allowEmpty: options.allowEmpty ?? false,
    today: options.today ?? new Date().toISOString().slice(0, 10),
    toolVersion: toolVersion(),
  };
  const prepared = await prepareCheck(request, deps);
  const schemas = loadSchemaIndex();

  return {
    checkDocument(doc, name) {
      const model = buildModelFromTerraformJson([{ file: name, doc }], {
        schemaFor: (mode, type) =>
          schemas.knowsProvider(type) ? schemas.resourceSchema(type, mode) : undefined,
      });
      const report = reportOf(prepared, request, [checkModel(prepared, model, deps)]);
      return { report, exitCode: exitCode(report), model, constructPaths: constructPaths(doc) };
    },
  };
}

/** The results that make the gate fail (verdict `blocking`), in report order. */
export function blockingResults(report: Report): CheckedResult[] {
  return report.plans.flatMap((p) => p.results.filter((r) => r.verdict === "blocking"));
}
