/**
 * Results: plain data that round-trips through JSON. The engine produces them; the fix stage adds
 * `fix`; the check stage adds `waiver`; reporters only read them.
 */
import type { AttrPath, JsonValue } from "../plan/types.js";

export type Severity = "info" | "low" | "medium" | "high" | "critical";
export type Enforcement = "advisory" | "soft-mandatory" | "hard-mandatory";
export type Status = "pass" | "fail" | "unknown" | "not_applicable";
/** How an undecidable outcome counts for a rule. */
export type UnknownPolicy = "unknown" | "fail" | "pass";

export const SEVERITIES = [
  "info",
  "low",
  "medium",
  "high",
  "critical",
] as const satisfies readonly Severity[];

/** What was seen at a path. Sensitive values never appear: they are `{state: "sensitive"}`. */
export type Observed =
  | { readonly state: "known"; readonly value: JsonValue }
  | { readonly state: "sensitive" }
  | { readonly state: "absent" }
  | { readonly state: "unknown" };

/**
 * The constraint an attribute failed, as typed params of its operator (Ajv style). The fix stage
 * derives the compliant value from these alone.
 */
export type Expectation =
  | { readonly op: "equals"; readonly value: JsonValue }
  | { readonly op: "notEquals"; readonly value: JsonValue }
  | { readonly op: "in"; readonly values: readonly JsonValue[] }
  | { readonly op: "notIn"; readonly values: readonly JsonValue[] }
  | { readonly op: "exists" }
  | { readonly op: "absent" }
  | { readonly op: "matches"; readonly pattern: string }
  | { readonly op: "notMatches"; readonly pattern: string }
  | { readonly op: "contains"; readonly value: JsonValue }
  /** From `not: { contains }`: the list / map / string must not hold the value. */
  | { readonly op: "notContains"; readonly value: JsonValue }
  | { readonly op: "greaterThan"; readonly value: number }
  | { readonly op: "greaterThanOrEqual"; readonly value: number }
  | { readonly op: "lessThan"; readonly value: number }
  | { readonly op: "lessThanOrEqual"; readonly value: number }
  | { readonly op: "length"; readonly constraint: Expectation };

/** One attribute requirement: used for fixes of new companion resources. */
export interface Requirement {
  readonly path: AttrPath;
  readonly expected: Expectation;
}

/**
 * A statement a new companion's policy document must hold (from a `policyDocument` `require`), so
 * the fix can write the document and not only the resource.
 */
export interface StatementRequirement {
  /** The attribute holding the document (`policy`). */
  readonly path: AttrPath;
  /** What the matcher names; `Resource` holds its literal entries. */
  readonly statement: PolicyStatement;
  /** Resource entries taken from the rule subject (its `arn`, plus a suffix such as `/*`). */
  readonly subjectResources?: readonly { readonly path: AttrPath; readonly suffix: string }[];
}

/** A normalized IAM policy statement (every list field is a list). */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action?: readonly string[];
  readonly NotAction?: readonly string[];
  readonly Resource?: readonly string[];
  readonly NotResource?: readonly string[];
  /** `"*"` is normalized to `{ AWS: ["*"] }`. */
  readonly Principal?: Readonly<Record<string, readonly string[]>>;
  readonly NotPrincipal?: Readonly<Record<string, readonly string[]>>;
  /** operator -> key -> values */
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

/** Why a subject failed: each violation says what to change, on which resource. */
export type Violation =
  | {
      /** An attribute of `address` (the subject or a related resource) has the wrong value. */
      readonly kind: "attribute";
      readonly address: string;
      readonly path: AttrPath;
      readonly actual: Observed;
      readonly expected: Expectation;
      /** The assertion's own `hint`, for values the fix cannot derive (e.g. which KMS key `exists` wants). */
      readonly hint?: string;
    }
  | {
      /** No companion resource of `type` is linked to the subject (or none satisfies its requirements). */
      readonly kind: "missing-related";
      readonly address: string;
      readonly type: string;
      /** Attribute of the companion that refers to the subject (`bucket`), for `direction: in`. */
      readonly via?: string;
      /** The attribute of the subject the companion's `via` should reference (default `id`). */
      readonly refAttribute?: string;
      readonly requirements: readonly Requirement[];
      /** Policy statements the companion's documents must hold. */
      readonly statements?: readonly StatementRequirement[];
    }
  | {
      /** A related resource exists but more of them match than allowed (e.g. a forbidden attachment). */
      readonly kind: "forbidden-related";
      readonly address: string;
      readonly related: string;
      readonly type: string;
    }
  | {
      /** The resource must not exist at all (a `forbidden` assertion): the fix deletes its block. */
      readonly kind: "forbidden-resource";
      readonly address: string;
      /** Why, from the pack. */
      readonly reason: string;
    }
  | {
      /** A policy document must contain a statement like `statement` and does not. */
      readonly kind: "policy-missing-statement";
      readonly address: string;
      readonly path: AttrPath;
      readonly statement: PolicyStatement;
    }
  | {
      /** A policy document holds a statement it must not (`index` into the normalized list). */
      readonly kind: "policy-forbidden-statement";
      readonly address: string;
      readonly path: AttrPath;
      readonly index: number;
      readonly statement: PolicyStatement;
      /** What makes it acceptable: the fields to narrow or conditions to add. */
      readonly narrow: Readonly<Partial<Record<"Action" | "Resource" | "Principal" | "Condition", string>>>;
    };

/** A value needed for the decision that is not known until apply. */
export interface UnknownRef {
  readonly address: string;
  readonly path: AttrPath;
}

export interface Fix {
  /** Edits per resource address; several rules' edits on one resource are merged by the fix stage. */
  readonly edits: readonly FixEdit[];
  /** Human hints where no value can be derived. */
  readonly hints: readonly string[];
  /** HCL snippet(s) with -/+ lines. */
  readonly hcl?: string;
}

export type FixEdit =
  | { readonly op: "set"; readonly address: string; readonly path: AttrPath; readonly value: JsonValue }
  | { readonly op: "remove"; readonly address: string; readonly path: AttrPath }
  /** Delete the resource's block (a resource that must not exist). */
  | { readonly op: "remove-resource"; readonly address: string }
  | {
      readonly op: "add-resource";
      /** Address of the new resource (in the subject's module). */
      readonly address: string;
      readonly type: string;
      readonly name: string;
      /** The subject it links to. */
      readonly linkTo: string;
      readonly attributes: JsonValue;
      /** attribute -> HCL reference expression (e.g. `bucket` -> `aws_s3_bucket.b.id`). */
      readonly references: Readonly<Record<string, string>>;
      /**
       * Policy documents among `references` (attribute -> statements), for evaluating the new
       * resource: a Resource entry `${aws_s3_bucket.b.arn}/*` stands for the subject's value.
       */
      readonly documents?: Readonly<Record<string, readonly PolicyStatement[]>>;
      /** Arguments the provider requires that no rule gives a value for: the snippet names them. */
      readonly required?: readonly string[];
    }
  | {
      readonly op: "add-statement" | "replace-statement";
      readonly address: string;
      readonly path: AttrPath;
      readonly index?: number;
      readonly statement: PolicyStatement;
    };

export interface Waiver {
  readonly rule: string;
  readonly address: string;
  readonly reason: string;
  readonly owner: string;
  readonly expires: string;
  readonly ticket?: string;
}

export interface RuleResult {
  readonly rule: string;
  readonly pack: string;
  readonly title: string;
  readonly severity: Severity;
  readonly enforcement: Enforcement;
  readonly controls: readonly string[];
  /** Subject instance address. */
  readonly address: string;
  readonly resourceType: string;
  readonly status: Status;
  readonly message: string;
  /** For fail. */
  readonly violations: readonly Violation[];
  /** For unknown: the values that blocked the decision. */
  readonly unknowns: readonly UnknownRef[];
  /** Addresses of related resources that took part in the decision. */
  readonly related: readonly string[];
  /** How this rule's unknown outcome counts (from the rule, config or run). */
  readonly unknownPolicy: UnknownPolicy;
  /** Stable across runs and reorderings: hash of pack, rule, address. */
  readonly fingerprint: string;
  /** The rule's `fix.hint`, for fixes where no value can be derived from the assertion. */
  readonly hint?: string;
  readonly fix?: Fix;
  readonly waiver?: Waiver & { readonly state: "active" | "expired" };
}
