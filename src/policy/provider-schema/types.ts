/**
 * Provider attribute schemas in plangate's compact form.
 *
 * The shape keeps Terraform's names (`terraform providers schema -json`: `block_types`, `nesting_mode`,
 * `nested_type`, `min_items`) so anyone who has read that output can read ours; it only drops the noise
 * (`description_kind`, false flags, zero `min_items`). One file per resource type is what ships.
 */

export type PrimitiveType = "string" | "number" | "bool" | "dynamic";

/** A cty type exactly as Terraform prints it in schema JSON. */
export type CtyType =
  | PrimitiveType
  | readonly ["list" | "set" | "map", CtyType]
  | readonly ["object", { readonly [name: string]: CtyType }]
  | readonly ["object", { readonly [name: string]: CtyType }, readonly string[]]
  | readonly ["tuple", readonly CtyType[]];

/** What a value of a type looks like, at the first level only: enough to say "number vs string". */
export type ScalarKind =
  | "string"
  | "number"
  | "bool"
  | "list"
  | "set"
  | "map"
  | "object"
  | "tuple"
  | "dynamic";

/** Block nesting; `group` is protocol 6's "always present, never null" single block. */
export type BlockNesting = "single" | "list" | "set" | "map" | "group";

/** Nesting of a protocol 6 `nested_type` attribute. */
export type AttributeNesting = "single" | "list" | "set" | "map";

export interface AttributeSchema {
  /** Absent exactly when `nested_type` is present. */
  readonly type?: CtyType;
  readonly nested_type?: NestedAttributeType;
  readonly description?: string;
  readonly required?: true;
  readonly optional?: true;
  readonly computed?: true;
  readonly sensitive?: true;
  readonly deprecated?: true;
  /** Write-only arguments are always null in plans (Terraform 1.11+). */
  readonly write_only?: true;
}

export interface NestedAttributeType {
  readonly nesting_mode: AttributeNesting;
  readonly attributes: { readonly [name: string]: AttributeSchema };
  readonly min_items?: number;
  readonly max_items?: number;
}

export interface BlockSchema {
  readonly attributes: { readonly [name: string]: AttributeSchema };
  readonly block_types: { readonly [name: string]: BlockType };
  readonly description?: string;
  readonly deprecated?: true;
}

export interface BlockType {
  readonly nesting_mode: BlockNesting;
  readonly block: BlockSchema;
  readonly min_items?: number;
  readonly max_items?: number;
}

export type SchemaMode = "managed" | "data";

/** One resource type or data source: the content of `schemas/providers/<provider>/[data/]<type>.json`. */
export interface ResourceSchema {
  /** Full provider source address: `registry.terraform.io/hashicorp/aws`. */
  readonly provider: string;
  readonly type: string;
  readonly mode: SchemaMode;
  /** The provider's schema version for this type. */
  readonly version: number;
  readonly block: BlockSchema;
}

export interface ImportedProvider {
  /** Short name, the last segment of the source address: `aws`. */
  readonly name: string;
  readonly source: string;
  /** Sorted by type name. */
  readonly resources: readonly ResourceSchema[];
  readonly dataSources: readonly ResourceSchema[];
}

export interface ImportedProviders {
  /** `format_version` of the input document. */
  readonly formatVersion: string;
  /** Sorted by short name. */
  readonly providers: readonly ImportedProvider[];
}

/** `schemas/providers/<provider>/provider.json`: what a provider directory holds, read before any type. */
export interface ProviderManifest {
  readonly name: string;
  readonly source: string;
  readonly format_version: string;
  readonly resource_types: readonly string[];
  readonly data_source_types: readonly string[];
}
