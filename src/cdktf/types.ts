/**
 * What `plangate/cdktf` uses of CDK for Terraform, as structural types: this package never imports
 * `cdktf` or `constructs` (optional peer dependencies, archived upstream), so a `TerraformStack` of
 * any 0.x release fits here without a type or runtime dependency on it.
 */

/** `IValidation` of constructs: errors as strings; an empty list means valid. */
export interface CdktfValidation {
  validate(): string[];
}

/** The part of a construct's `node` that plangate uses. */
export interface CdktfNode {
  /** Construct path of the stack (`reports`), used to name the input in reports. */
  readonly path: string;
  addValidation(validation: CdktfValidation): void;
}

/** A `TerraformStack`: its node and its synthesized Terraform JSON. */
export interface CdktfStack {
  readonly node: CdktfNode;
  /** The stack as Terraform JSON (tokens resolved to `${...}` references, `//` metadata included). */
  toTerraform(): unknown;
}
