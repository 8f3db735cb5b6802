/**
 * Pack tests: the parsed form of a `*.test.yaml` file and what running it produces. Plain data
 * throughout, so the report round-trips through JSON (`plangate test --format json`).
 */
import type { Fix, RuleResult, Status } from "../engine/types.js";
import type { JsonObject, JsonValue } from "../plan/types.js";

/** Where something sits in a test file: `file:line:column`. */
export type Where = string;

export type ParamValues = Readonly<Record<string, JsonValue>>;

export interface InlineResource {
  readonly address: string;
  readonly actions?: readonly string[];
  readonly values?: JsonObject;
  readonly before?: JsonObject | null;
  readonly unknown?: readonly string[];
  readonly sensitive?: readonly string[];
  readonly references?: Readonly<Record<string, readonly string[]>>;
  readonly configured?: readonly string[];
}

export interface ExpectedFixEdit {
  readonly op: string;
  readonly address?: string;
  readonly path?: string;
  readonly value?: JsonValue;
  readonly type?: string;
  readonly linkTo?: string;
  readonly attributes?: JsonValue;
  readonly references?: Readonly<Record<string, string>>;
  readonly statement?: JsonValue;
}

export interface ExpectedResult {
  readonly rule: string;
  readonly address: string;
  readonly status: Status;
  readonly unknowns?: readonly { readonly address?: string; readonly path: string }[];
  readonly related?: readonly string[];
  readonly message?: string;
  readonly fix?: readonly ExpectedFixEdit[];
  readonly hints?: readonly string[];
  /** Position of this expectation in the test file. */
  readonly where: Where;
}

export interface TestCase {
  readonly name: string;
  /** Absolute (or caller-relative) path of the plan fixture, resolved against the test file. */
  readonly plan?: string;
  readonly resources?: readonly InlineResource[];
  readonly params: ParamValues;
  readonly expect: readonly ExpectedResult[];
  readonly where: Where;
  /** Position of `plan` or `resources`: where a fixture that does not load is reported. */
  readonly inputWhere: Where;
}

export interface TestFile {
  readonly file: string;
  /** The pack path, resolved against the test file. */
  readonly pack: string;
  readonly packWhere: Where;
  readonly cases: readonly TestCase[];
}

/** One field of one expectation that did not hold. */
export interface Mismatch {
  readonly field: "status" | "unknowns" | "related" | "message" | "fix" | "hints" | "result";
  readonly expected: JsonValue;
  readonly actual: JsonValue;
}

export interface ExpectationOutcome {
  readonly rule: string;
  readonly address: string;
  readonly where: Where;
  readonly ok: boolean;
  readonly mismatches: readonly Mismatch[];
}

export interface CaseOutcome {
  readonly file: string;
  readonly name: string;
  readonly where: Where;
  readonly ok: boolean;
  readonly expectations: readonly ExpectationOutcome[];
  /** Set when the case could not run (plan unreadable, pack did not compile): the case fails. */
  readonly error?: string;
}

/** Which statuses the cases of a suite expect for one rule. */
export interface RuleCoverage {
  readonly pack: string;
  readonly rule: string;
  readonly pass: number;
  readonly fail: number;
  readonly unknown: number;
  readonly notApplicable: number;
  /** A rule is covered when some case expects a pass and some case expects a fail. */
  readonly covered: boolean;
}

export interface PackTestReport {
  readonly cases: readonly CaseOutcome[];
  readonly coverage: readonly RuleCoverage[];
  readonly summary: {
    readonly files: number;
    readonly cases: number;
    readonly passed: number;
    readonly failed: number;
    readonly expectations: number;
    readonly uncoveredRules: number;
  };
}

/** What a case's plan produced, as the matcher sees it. */
export type ActualResults = readonly (RuleResult & { readonly fix?: Fix })[];
