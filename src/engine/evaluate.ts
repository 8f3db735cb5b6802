/**
 * `evaluate`: compiled packs over a plan model -> one result per (rule, subject instance).
 *
 * Subjects come from the model's by-type index, so the cost is linear in rules x candidate
 * resources. Order is deterministic: pack order, rule order, then plan order. Deleted resources and
 * data reads are subjects only for rules whose `actions` ask for them.
 */
import { selectedBy } from "../plan/actions.js";
import type { PlanModel, ResourceInstance } from "../plan/types.js";
import type { CompiledPack, CompiledRule } from "../policy/compiled-pack.js";
import {
  dedupeUnknowns,
  type EvalContext,
  newEvalContext,
  type Outcome,
  rootScope,
  type Scope,
} from "../policy/runtime.js";
import { fingerprint } from "./fingerprint.js";
import { fillTemplate, unknownMessage } from "./message.js";
import type { RuleResult, Status, UnknownPolicy, UnknownRef, Violation } from "./types.js";

export interface EvaluateOptions {
  /** How undecidable results count when the rule does not say (default `unknown`). */
  readonly unknownPolicy?: UnknownPolicy;
  /** Only these rules: ids (`s3-versioning-enabled`) or qualified ids (`aws-s3/s3-versioning-enabled`). */
  readonly rules?: ReadonlySet<string>;
  /**
   * Only these results, as `pack/rule address` keys. Fix passes re-check just the (rule, resource)
   * pairs whose fixes are pending; a result depends on no other subject's, so each comes out the same.
   */
  readonly only?: ReadonlySet<string>;
  /**
   * Decisions only, for fix passes: results carry everything but `message` and `fingerprint`,
   * which are `""` (not computed). A pass reads status, violations, unknowns, related and hint;
   * a message and a hash per re-checked result were work nothing read.
   */
  readonly decisionsOnly?: boolean;
}

const DEFAULT_FAIL_MESSAGE = "{{address}}: {{title}}";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function isSubject(rule: CompiledRule, r: ResourceInstance): boolean {
  return r.mode === rule.mode && selectedBy(r, rule.actions);
}

/**
 * Every subject of a rule, in plan order. Rules over the same types, mode and actions (most rules
 * of a pack) share one list per call: `selectedBy` runs once per resource, not once per rule.
 * Several types (each listed once, per the pack schema) are picked from the plan itself, which
 * is in plan order already: a positions map of every resource and a sort cost more.
 */
function subjectsOf(
  rule: CompiledRule,
  model: PlanModel,
  shared: Map<string, readonly ResourceInstance[]>,
): readonly ResourceInstance[] {
  const key = `${rule.mode}\u0000${rule.actions.join(",")}\u0000${rule.types.join(",")}`;
  let out = shared.get(key);
  if (out) return out;
  const [only] = rule.types;
  out =
    rule.types.length === 1 && only !== undefined
      ? (model.byType.get(only) ?? NONE).filter((r) => isSubject(rule, r))
      : model.resources.filter((r) => rule.types.includes(r.type) && isSubject(rule, r));
  shared.set(key, out);
  return out;
}

/**
 * `only` keys (`pack/rule address`) grouped by `pack/rule`. Pack names and rule ids hold no space
 * (the pack schema's patterns), so the first space ends the rule part; the address may hold spaces.
 */
function groupOnly(only: ReadonlySet<string>): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const key of only) {
    const space = key.indexOf(" ");
    if (space < 0) continue;
    const rule = key.slice(0, space);
    const address = key.slice(space + 1);
    const list = groups.get(rule);
    if (list) list.push(address);
    else groups.set(rule, [address]);
  }
  return groups;
}

/**
 * The subjects among `addresses`, in no particular order (`runWanted` walks them in plan order):
 * the fix passes ask for some (rule, resource) pairs, so they are looked up by address rather
 * than filtered out of every subject of the rule.
 */
function wantedSubjects(
  rule: CompiledRule,
  model: PlanModel,
  addresses: readonly string[],
): ResourceInstance[] {
  const found: ResourceInstance[] = [];
  for (const address of addresses) {
    const r = model.byAddress.get(address);
    if (r && rule.types.includes(r.type) && isSubject(rule, r)) found.push(r);
  }
  return found;
}

function selected(rule: CompiledRule, pack: CompiledPack, filter: ReadonlySet<string> | undefined): boolean {
  return filter === undefined || filter.has(rule.id) || filter.has(`${pack.name}/${rule.id}`);
}

/** One rule over its subjects: what a result needs besides the subject, and where it goes. */
interface Job {
  readonly pack: CompiledPack;
  readonly rule: CompiledRule;
  readonly unknownPolicy: UnknownPolicy;
  /** The rule's one not-applicable message: a third of the results at 50k, none needs a copy. */
  readonly notApplicable: string;
  readonly subjects: readonly ResourceInstance[];
  readonly results: RuleResult[];
}

interface Decision {
  readonly status: Status;
  readonly violations: readonly Violation[];
  readonly unknowns: readonly UnknownRef[];
  readonly notes: readonly string[];
}

/**
 * Shared by every result that has nothing in a list: results are read-only data (frozen, so a
 * stray mutation throws instead of leaking into other results).
 */
const NONE: readonly never[] = Object.freeze([]);
const NOT_APPLICABLE: Decision = { status: "not_applicable", violations: NONE, unknowns: NONE, notes: NONE };
const PASSED: Decision = { status: "pass", violations: NONE, unknowns: NONE, notes: NONE };

function decide(rule: CompiledRule, scope: Scope, ctx: EvalContext): Decision {
  const where: Outcome | undefined = rule.where?.(scope, ctx);
  if (where?.status === "fail") return NOT_APPLICABLE;
  const o = rule.require(scope, ctx);
  if (where?.status === "unknown") {
    // Whether the rule applies is not known: a pass is a pass either way, anything else waits.
    if (o.status === "pass") return PASSED;
    const unknowns = dedupeUnknowns([...where.unknowns, ...(o.status === "unknown" ? o.unknowns : [])]);
    return { status: "unknown", violations: NONE, unknowns, notes: NONE };
  }
  switch (o.status) {
    case "pass":
      return PASSED;
    case "unknown":
      return { status: "unknown", violations: NONE, unknowns: o.unknowns, notes: NONE };
    case "fail":
      return { status: "fail", violations: o.violations, unknowns: NONE, notes: o.notes ?? NONE };
  }
}

function message(job: Job, subject: ResourceInstance, d: Decision): string {
  const { rule } = job;
  switch (d.status) {
    case "pass":
      return rule.title;
    case "not_applicable":
      return job.notApplicable;
    case "unknown":
      return unknownMessage(rule.title, d.unknowns, subject.address);
    case "fail": {
      const fields = {
        address: subject.address,
        type: subject.type,
        name: subject.name,
        rule: rule.id,
        title: rule.title,
      };
      const text = fillTemplate(rule.message ?? DEFAULT_FAIL_MESSAGE, fields);
      return d.notes.length > 0 ? `${text} (${d.notes.join("; ")})` : text;
    }
  }
}

function resultOf(job: Job, scope: Scope, ctx: EvalContext, full: boolean): RuleResult {
  const { pack, rule } = job;
  const subject = scope.subject;
  // `clear` allocates a new table even when empty: most subjects record nothing.
  if (ctx.related.size > 0) ctx.related.clear();
  const d = decide(rule, scope, ctx);
  const result: Mutable<RuleResult> = {
    rule: rule.id,
    pack: pack.name,
    title: rule.title,
    severity: rule.severity,
    enforcement: rule.enforcement,
    controls: rule.controls,
    address: subject.address,
    resourceType: subject.type,
    status: d.status,
    message: full ? message(job, subject, d) : "",
    violations: d.violations,
    unknowns: d.unknowns,
    related: ctx.related.size > 0 ? [...ctx.related] : NONE,
    unknownPolicy: job.unknownPolicy,
    fingerprint: full ? fingerprint(pack.name, rule.id, subject.address) : "",
  };
  // Set after the literal (not spread into it): the key order is the same, without a copy.
  if (rule.hint !== undefined && d.status === "fail") result.hint = rule.hint;
  return result;
}

/** One subject through its jobs, in job order. Scopes are read-only: the jobs share one. */
function runSubject(subject: ResourceInstance, jobs: readonly Job[], ctx: EvalContext, full: boolean): void {
  const scope = rootScope(subject);
  for (const job of jobs) job.results.push(resultOf(job, scope, ctx, full));
}

/**
 * Runs the jobs subject by subject: the rules that share a subject list (most rules of a pack) take
 * each resource in turn, while its values, links and documents are at hand, instead of each rule
 * sweeping every resource again. A result depends on no other, so only the order of work changes.
 */
function runJobs(jobs: readonly Job[], ctx: EvalContext, full: boolean): void {
  const groups = new Map<readonly ResourceInstance[], Job[]>();
  for (const job of jobs) {
    const group = groups.get(job.subjects);
    if (group) group.push(job);
    else groups.set(job.subjects, [job]);
  }
  for (const [subjects, group] of groups)
    for (const subject of subjects) runSubject(subject, group, ctx, full);
}

/**
 * `runJobs` for `only`, where each rule has its own few subjects: every named subject with the
 * jobs that want it, found by walking the plan, so each job's results come in plan order unsorted.
 */
function runWanted(model: PlanModel, jobs: readonly Job[], ctx: EvalContext, full: boolean): void {
  const wanting = new Map<ResourceInstance, Job[]>();
  for (const job of jobs)
    for (const subject of job.subjects) {
      const list = wanting.get(subject);
      if (list) list.push(job);
      else wanting.set(subject, [job]);
    }
  if (wanting.size === 0) return;
  for (const r of model.resources) {
    const list = wanting.get(r);
    if (list) runSubject(r, list, ctx, full);
  }
}

export function evaluate(
  model: PlanModel,
  packs: readonly CompiledPack[],
  options: EvaluateOptions = {},
): RuleResult[] {
  const ctx = newEvalContext(model);
  const only = options.only ? groupOnly(options.only) : undefined;
  const shared = new Map<string, readonly ResourceInstance[]>();
  const jobs: Job[] = [];
  for (const pack of packs) {
    for (const rule of pack.rules) {
      if (!selected(rule, pack, options.rules)) continue;
      const subjects = only
        ? wantedSubjects(rule, model, only.get(`${pack.name}/${rule.id}`) ?? NONE)
        : subjectsOf(rule, model, shared);
      const unknownPolicy = rule.unknown ?? options.unknownPolicy ?? "unknown";
      const notApplicable = `${rule.title}: not applicable (filtered out by the rule's where)`;
      jobs.push({ pack, rule, unknownPolicy, notApplicable, subjects, results: [] });
    }
  }
  const full = options.decisionsOnly !== true;
  if (only) runWanted(model, jobs, ctx, full);
  else runJobs(jobs, ctx, full);
  // Pack order, rule order, then plan order.
  const results: RuleResult[] = [];
  for (const job of jobs) for (const r of job.results) results.push(r);
  return results;
}
