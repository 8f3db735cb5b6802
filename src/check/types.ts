/**
 * The report of one `plangate check` run: plain data that round-trips through JSON. `runCheck` builds
 * it, `exitCode` judges it, and every reporter renders it (reporters read nothing else).
 */
import type { Enforcement, RuleResult, Severity, UnknownPolicy, Waiver } from "../engine/types.js";
import type { PlanModel } from "../plan/types.js";

/** Version of the report shape (and of `schemas/results.schema.json`); bump the major on a breaking change. */
export const REPORT_VERSION = "2.0";

/** How `unknown` counts, as users write it (`warn` is the engine's `unknown`: shown, not blocking). */
export type UnknownSetting = "fail" | "warn" | "pass";

/**
 * What a result means for the gate, after rule overrides, unknown handling and waivers:
 * - blocking: a failure (or an unknown set to fail) that blocks;
 * - advisory: a failure that does not block (advisory rule below `--fail-on`);
 * - waived: a failure an active waiver covers (its status stays `fail`);
 * - unknown: undecidable until apply, and not set to fail;
 * - passed: pass (or an unknown set to pass);
 * - not_applicable: the rule does not apply to the resource.
 */
export type Verdict = "blocking" | "advisory" | "waived" | "unknown" | "passed" | "not_applicable";

export const VERDICTS = [
  "blocking",
  "advisory",
  "waived",
  "unknown",
  "passed",
  "not_applicable",
] as const satisfies readonly Verdict[];

/** Where a resource's block sits in the `.tf` sources, when `--source-dir` found it. */
export interface SourceLocation {
  /** Path relative to the working directory (as SARIF and GitHub annotations want it), `/`-separated. */
  readonly file: string;
  readonly line: number;
  readonly column?: number;
  readonly endLine?: number;
}

/**
 * A fix as a replacement of existing lines of a source file: what a GitHub suggestion block holds
 * (it can only replace lines the pull request's files have).
 */
export interface Suggestion {
  /** Path relative to the working directory, `/`-separated. */
  readonly file: string;
  /** 1-based, inclusive, in the file as it is. */
  readonly startLine: number;
  readonly endLine: number;
  readonly lines: readonly string[];
}

/** One result of the run, as the gate judged it. */
export interface CheckedResult extends RuleResult {
  readonly verdict: Verdict;
  /** Why the verdict (e.g. `hard-mandatory`, `fail-on high`, `unknown set to fail`, `waiver expired`). */
  readonly reason: string;
  readonly location?: SourceLocation;
  /** The whole fix as line replacements in the sources (`--source-dir`), when it fits in them. */
  readonly suggestions?: readonly Suggestion[];
}

export type Counts = Readonly<Record<Verdict, number>>;

/** The plan's metadata as the model has it, plus what the check derived from it. */
export interface PlanReport
  extends Pick<
    PlanModel,
    "file" | "source" | "formatVersion" | "terraformVersion" | "complete" | "errored" | "partial"
  > {
  /** True when results are provisional: the plan is incomplete, errored or partial (`-target`). */
  readonly provisional: boolean;
  /** True for inputs read before any plan exists (Terraform JSON configuration). */
  readonly prePlan: boolean;
  /** Resource instances in the input (all actions). */
  readonly resources: number;
  /** Notes about the input (format version, partial plan, ...). */
  readonly warnings: readonly string[];
  readonly counts: Counts;
  /** Sorted by address, then pack, then rule. */
  readonly results: readonly CheckedResult[];
}

export type WaiverState = "active" | "expired" | "stale";

/** A waiver from the config and what it did in this run. */
export interface WaiverReport extends Waiver {
  /** active: matched something and is in force; expired: past its date (waives nothing); stale: matched nothing. */
  readonly state: WaiverState;
  /** How many results it matched (failures and unknowns; passes do not count). */
  readonly matched: number;
  /** Where it is written: `file:line:column`, when it came from a config file. */
  readonly where?: string;
}

/** What a reporter needs to know about a rule (SARIF `tool.driver.rules`, docs links). */
export interface RuleInfo {
  readonly id: string;
  readonly pack: string;
  readonly title: string;
  readonly severity: Severity;
  readonly enforcement: Enforcement;
  readonly controls: readonly string[];
  readonly description?: string;
  readonly docsUrl?: string;
  /** The pack's own unknown handling for the rule, when it sets one. */
  readonly unknown?: UnknownPolicy;
}

export interface PackInfo {
  readonly name: string;
  readonly version: string;
  readonly source?: string;
}

/** The options that shaped the verdicts, as resolved from flags and config. */
export interface CheckSettings {
  readonly failOn?: Severity;
  /** Run-wide unknown handling (flag, else config), when set. */
  readonly unknown?: UnknownSetting;
  readonly strictWaivers: boolean;
  readonly allowEmpty: boolean;
  /** The date waivers were judged against (YYYY-MM-DD, UTC). */
  readonly today: string;
}

export interface Report {
  readonly version: typeof REPORT_VERSION;
  readonly tool: { readonly name: "plangate"; readonly version: string };
  readonly settings: CheckSettings;
  readonly packs: readonly PackInfo[];
  /** Rules that ran, sorted by id (after `--rule` filters and disables). */
  readonly rules: readonly RuleInfo[];
  /** One entry per input, in the order given. */
  readonly plans: readonly PlanReport[];
  readonly waivers: readonly WaiverReport[];
  /** Totals over all plans. */
  readonly counts: Counts;
  /** True when no rule applied to any resource (see `--allow-empty`). */
  readonly empty: boolean;
  /** Run-level notes (stale waivers, empty gate, config notes). */
  readonly warnings: readonly string[];
}

/** Re-exported for reporters: how a rule's unknown outcome counts, as the engine names it. */
export type { UnknownPolicy };
