/**
 * `runCheck`: the whole gate as one call — config, packs, plans, evaluation, fixes, locations,
 * waivers — returning the report. The stages it drives come in as `CheckDeps`, so this module holds
 * only the orchestration (and tests can drive it with fakes); `defaultCheckDeps()` in `deps.ts`
 * binds the real plan reader, pack loader, engine and fix stage.
 */
import path from "node:path";
import type { LoadedConfig } from "../config/parse.js";
import type { RuleResult, Severity, UnknownPolicy } from "../engine/types.js";
import type { JsonValue, PlanModel } from "../plan/types.js";
import { InputError } from "../plan/types.js";
import { pointerSegment } from "../policy/diagnostic.js";
import { assembleReport, type PlanResults } from "./assemble.js";
import { maskSensitiveResults } from "./mask.js";
import { globToRegExp, hasGlob } from "./pattern.js";
import type { PackInfo, Report, RuleInfo, SourceLocation, Suggestion, UnknownSetting } from "./types.js";
import type { WaiverSpec } from "./waivers.js";

/** A loaded, compiled pack as the check stage needs it: identity plus rule metadata. */
export interface LoadedPack<P = unknown> {
  readonly info: PackInfo;
  readonly rules: readonly RuleInfo[];
  /** The compiled pack, opaque here: handed back to `evaluate`. */
  readonly compiled: P;
}

export interface EvaluateOptions {
  /** Rule ids to run (after `--rule` and disables); undefined: all. */
  readonly rules?: ReadonlySet<string>;
  /** How unknowns count where the rule does not say. */
  readonly unknownPolicy: UnknownPolicy;
  /** Only these results (`pack/rule address` keys); undefined: all. */
  readonly only?: ReadonlySet<string>;
  /**
   * Statuses, violations and unknowns only: `message` and `fingerprint` are "" (fix passes read
   * neither; their results never reach the report).
   */
  readonly decisionsOnly?: boolean;
}

export interface CheckDeps<P = unknown> {
  readPlan(file: string): Promise<PlanModel>;
  /** Load and compile packs; pack errors throw `InputError` (with file:line:column). */
  loadPacks(
    specs: readonly string[],
    params: Readonly<Record<string, Readonly<Record<string, JsonValue>>>>,
    /** Where the config sets a pack's parameter (`file:line:column`), for errors about it. */
    paramWhere?: (pack: string, name: string) => string | undefined,
  ): Promise<readonly LoadedPack<P>[]>;
  evaluate(model: PlanModel, packs: readonly P[], opts: EvaluateOptions): readonly RuleResult[];
  /**
   * Fixes for the failed results. With `evaluateRules` (the gate's packs bound), fix passes run:
   * a new companion's own requirements are evaluated and folded in (see fix/iterate.ts).
   */
  deriveFixes(
    results: readonly RuleResult[],
    model: PlanModel,
    evaluateRules?: (
      model: PlanModel,
      rules: ReadonlySet<string>,
      only?: ReadonlySet<string>,
    ) => readonly RuleResult[],
  ): readonly RuleResult[];
  /** Where a resource's block is written (needs `--source-dir`); undefined when not found. */
  locate?(model: PlanModel, address: string): SourceLocation | undefined;
  /**
   * Failed results' fixes as line replacements in the sources (needs `--source-dir`), by
   * `pack/rule address`: only fixes that land whole, for PR suggestion blocks.
   */
  suggest?(model: PlanModel, results: readonly RuleResult[]): ReadonlyMap<string, readonly Suggestion[]>;
}

export interface CheckRequest {
  /** Plan inputs: JSON plans, binary plans, `-`, or Terraform JSON configuration. */
  readonly plans: readonly string[];
  /** `--pack`: added to the config's packs; with neither, the built-in packs run. */
  readonly packs?: readonly string[];
  /** `--rule`: rule ids or globs to run. */
  readonly rules?: readonly string[];
  readonly config?: LoadedConfig;
  readonly failOn?: Severity;
  readonly unknown?: UnknownSetting;
  readonly strictWaivers?: boolean;
  readonly allowEmpty?: boolean;
  /** YYYY-MM-DD: the day waivers are judged against. */
  readonly today: string;
  readonly toolVersion: string;
  /**
   * Derive a fix for each failure (default true). `false` skips the fix stage, for outputs that
   * print no fixes (SARIF): a quarter of the time of a check on a big plan. Results then carry
   * no `fix`; statuses, verdicts and exit code are the same.
   */
  readonly fixes?: boolean;
}

export const BUILTIN_PACKS = ["aws-s3", "aws-iam", "aws-backup"] as const;

/** A config pack entry that names a file or directory resolves against the config's directory. */
function resolvePackSpec(spec: string, dir: string): string {
  const looksLikePath = spec.startsWith(".") || spec.startsWith("/") || /\.(ya?ml|json|m?js)$/.test(spec);
  return looksLikePath && !path.isAbsolute(spec) ? path.join(dir, spec) : spec;
}

export function packSpecs(req: Pick<CheckRequest, "packs" | "config">): string[] {
  const fromConfig = (req.config?.config.packs ?? []).map((p) => resolvePackSpec(p, req.config?.dir ?? "."));
  const all = [...fromConfig, ...(req.packs ?? [])];
  return all.length > 0 ? [...new Set(all)] : [...BUILTIN_PACKS];
}

/** The rules to run: `--rule` globs minus disabled ones. Throws when `--rule` matches nothing. */
export function selectRules(
  rules: readonly RuleInfo[],
  filter: readonly string[] | undefined,
  disabled: (id: string) => boolean,
): RuleInfo[] {
  let selected = [...rules];
  if (filter && filter.length > 0) {
    // `s3-*`, `s3-versioning-enabled` or the qualified `aws-s3/s3-versioning-enabled`.
    const tests = filter.map((f) => (hasGlob(f) ? globToRegExp(f) : f));
    const matches = (t: string | RegExp, r: RuleInfo): boolean =>
      [r.id, `${r.pack}/${r.id}`].some((name) => (typeof t === "string" ? t === name : t.test(name)));
    selected = selected.filter((r) => tests.some((t) => matches(t, r)));
    const unmatched = filter.filter((_f, i) => !rules.some((r) => matches(tests[i] as string | RegExp, r)));
    if (unmatched.length > 0) {
      throw new InputError(`--rule ${unmatched.join(", ")}: no such rule in the loaded packs`);
    }
  }
  return selected.filter((r) => !disabled(r.id));
}

function waiversOf(config: LoadedConfig | undefined): WaiverSpec[] {
  return (config?.config.waivers ?? []).map((w, i) => {
    const where = config?.waiverWhere[i];
    return { ...w, ...(where ? { where } : {}) };
  });
}

function locations(
  model: PlanModel,
  results: readonly RuleResult[],
  locate: CheckDeps["locate"],
): ReadonlyMap<string, SourceLocation> | undefined {
  if (!locate) return undefined;
  const out = new Map<string, SourceLocation>();
  for (const r of results) {
    // Only what gets annotated: passes need no location, and finding one reads .tf files.
    if ((r.status !== "fail" && r.status !== "unknown") || out.has(r.address)) continue;
    const loc = locate(model, r.address);
    if (loc) out.set(r.address, loc);
  }
  return out;
}

/** What the gate loaded before any plan is read: packs and the rules that run. */
export interface PreparedCheck<P = unknown> {
  readonly packs: readonly LoadedPack<P>[];
  readonly compiled: readonly P[];
  /** Rules that run, after `--rule` and disables. */
  readonly rules: readonly RuleInfo[];
  readonly ruleIds: ReadonlySet<string>;
}

/**
 * The async half of the gate: config parameters, packs, rule selection. Shared by `runCheck`,
 * `plangate fix` and the cdktf gate (which must check synchronously afterwards).
 */
export async function prepareCheck<P>(
  req: Pick<CheckRequest, "packs" | "rules" | "config">,
  deps: Pick<CheckDeps<P>, "loadPacks">,
): Promise<PreparedCheck<P>> {
  const config = req.config?.config;
  const overrides = config?.rules ?? {};
  const disabled = (id: string): boolean => overrides[id]?.disabled === true;
  const params = (config?.parameters ?? {}) as Record<string, Record<string, JsonValue>>;
  // Packs first: a pack error must stop the run before any plan is read.
  const where = req.config?.where;
  const paramWhere = where
    ? (pack: string, name: string): string =>
        where(`/parameters/${pointerSegment(pack)}/${pointerSegment(name)}`, true)
    : undefined;
  const packs = await deps.loadPacks(packSpecs(req), params, paramWhere);
  // Parameters for a pack that does not run would silently change nothing: a typo, most likely.
  const loaded = new Set(packs.map((p) => p.info.name));
  const stray = Object.keys(params).filter((n) => !loaded.has(n));
  if (stray.length > 0) {
    throw new InputError(
      `parameters given for pack(s) not loaded: ${stray.join(", ")} (loaded: ${[...loaded].join(", ")})`,
      where?.(`/parameters/${pointerSegment(stray[0] as string)}`, true),
    );
  }
  const rules = selectRules(
    packs.flatMap((p) => p.rules),
    req.rules,
    disabled,
  );
  return { packs, compiled: packs.map((p) => p.compiled), rules, ruleIds: new Set(rules.map((r) => r.id)) };
}

/** One model through the prepared gate's rules, without fixes. */
function evaluateRules<P>(
  prepared: PreparedCheck<P>,
  model: PlanModel,
  deps: Pick<CheckDeps<P>, "evaluate">,
): readonly RuleResult[] {
  const { compiled, ruleIds } = prepared;
  const raw = deps.evaluate(model, compiled, { rules: ruleIds, unknownPolicy: "unknown" });
  return raw.filter((r) => ruleIds.has(r.rule));
}

/**
 * One model through the prepared gate: evaluate, then fixes with fix passes. Values are NOT
 * masked: `plangate fix` writes these edits; whatever is reported goes through `checkModel`.
 */
export function evaluateWithFixes<P>(
  prepared: PreparedCheck<P>,
  model: PlanModel,
  deps: Pick<CheckDeps<P>, "evaluate" | "deriveFixes">,
): readonly RuleResult[] {
  const { compiled } = prepared;
  const results = evaluateRules(prepared, model, deps);
  if (!results.some((r) => r.status === "fail")) return results;
  // Fix passes re-evaluate with qualified ids (`pack/rule`), which the engine accepts as they are.
  return deps.deriveFixes(results, model, (m, rules, only) =>
    deps.evaluate(m, compiled, {
      rules,
      unknownPolicy: "unknown",
      decisionsOnly: true,
      ...(only ? { only } : {}),
    }),
  );
}

/**
 * The sync half of the gate for one model: results with fixes (unless `fixes` is false),
 * sensitive values masked, locations.
 */
export function checkModel<P>(
  prepared: PreparedCheck<P>,
  model: PlanModel,
  deps: Pick<CheckDeps<P>, "evaluate" | "deriveFixes" | "locate" | "suggest">,
  fixes = true,
): PlanResults {
  const results = fixes ? evaluateWithFixes(prepared, model, deps) : evaluateRules(prepared, model, deps);
  const masked = results.some((r) => r.status === "fail") ? maskSensitiveResults(results, model) : results;
  const locs = locations(model, masked, deps.locate);
  // From the masked results: a fix hidden for a sensitive value gives no suggestion either.
  const suggestions = deps.suggest?.(model, masked);
  return {
    model,
    results: masked,
    ...(locs ? { locations: locs } : {}),
    ...(suggestions && suggestions.size > 0 ? { suggestions } : {}),
  };
}

/** The report over checked models: verdicts, waivers, counts. */
export function reportOf<P>(
  prepared: PreparedCheck<P>,
  req: Omit<CheckRequest, "plans">,
  plans: readonly PlanResults[],
): Report {
  const config = req.config?.config;
  const failOn = req.failOn ?? config?.["fail-on"];
  return assembleReport({
    toolVersion: req.toolVersion,
    packs: prepared.packs.map((p) => p.info),
    rules: prepared.rules,
    plans,
    overrides: config?.rules ?? {},
    waivers: waiversOf(req.config),
    ...(req.unknown ? { unknownFlag: req.unknown } : {}),
    ...(config?.unknown ? { unknownConfig: config.unknown } : {}),
    ...(failOn ? { failOn } : {}),
    strictWaivers: req.strictWaivers ?? false,
    allowEmpty: req.allowEmpty ?? false,
    today: req.today,
    ...(req.rules && req.rules.length > 0 ? { ruleFilter: req.rules } : {}),
  });
}

export async function runCheck<P>(req: CheckRequest, deps: CheckDeps<P>): Promise<Report> {
  if (req.plans.length === 0) throw new InputError("no plan given (plangate check PLAN...)");
  const prepared = await prepareCheck(req, deps);
  const plans: PlanResults[] = [];
  for (const file of req.plans)
    plans.push(checkModel(prepared, await deps.readPlan(file), deps, req.fixes ?? true));
  return reportOf(prepared, req, plans);
}
