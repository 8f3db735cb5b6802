/**
 * The plan model: what every later stage (engine, fix, report) sees of a plan.
 *
 * Names follow Terraform's JSON plan format (`terraform show -json`) where a field mirrors one.
 * Provider payloads (`before`, `after`) stay untyped JSON: only the envelope is typed.
 */

import { printable } from "../safety/text.js";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** One step of an attribute path: an object key or a list index. */
export type PathStep = string | number;
export type AttrPath = readonly PathStep[];

/** Change actions as Terraform and OpenTofu print them. */
export type Action = "no-op" | "create" | "read" | "update" | "delete" | "forget" | "open";

/** The action scopes a rule can select; `replace` is a delete+create (either order). */
export type ActionScope = "create" | "update" | "replace" | "no-op" | "delete" | "read" | "forget";

export type ResourceMode = "managed" | "data" | "ephemeral";

/**
 * A mask in the shape of a value, as `after_unknown` / `*_sensitive` are printed:
 * `true` marks the whole subtree; objects and arrays mark their children; anything else marks nothing.
 */
export type ValueMask = JsonValue;

/** The values of one side of a change, with the masks that qualify them. */
export interface AttributeValues {
  /** The JSON value (unknown leaves are absent or null here; the `unknown` mask says which). */
  readonly value: JsonValue;
  /** Same shape as `value`; `true` where the value is unknown until apply. */
  readonly unknown: ValueMask;
  /** Same shape as `value`; `true` where the value is sensitive. */
  readonly sensitive: ValueMask;
}

/** An expression from `configuration`: a constant, references, or nested blocks. */
export interface ConfigExpression {
  readonly constant_value?: JsonValue;
  readonly references?: readonly string[];
}

/** A resource block of `configuration` (one per config address, not per instance). */
export interface ConfigResource {
  /** Config address inside its module, without instance keys: `aws_s3_bucket.b`. */
  readonly address: string;
  readonly mode: ResourceMode;
  readonly type: string;
  readonly name: string;
  readonly providerConfigKey?: string;
  /** Raw `expressions` object as printed (nested blocks are objects or arrays of expression maps). */
  readonly expressions: JsonObject;
  readonly countExpression?: ConfigExpression;
  readonly forEachExpression?: ConfigExpression;
}

/** A module call as seen from configuration, flattened. */
export interface ModuleCallInfo {
  /** Config path of the called module: `["s3", "inner"]` for `module.s3.module.inner`. */
  readonly path: readonly string[];
  /** The `source` string of the call (`./modules/s3`, `terraform-aws-modules/s3-bucket/aws`). */
  readonly source?: string;
  readonly version?: string;
  readonly repeated: boolean;
}

/** One resource instance of the plan (one `resource_changes` entry). */
export interface ResourceInstance {
  /** Full instance address: `module.s3["logs"].aws_s3_bucket.this[0]`. */
  readonly address: string;
  /** Module instance address (`module.s3["logs"]`), `""` in the root module. */
  readonly moduleAddress: string;
  /** Config path of the module, keys stripped: `["s3"]`; `[]` in the root. */
  readonly modulePath: readonly string[];
  /** Address in configuration terms: `module.s3.aws_s3_bucket.this`. */
  readonly configAddress: string;
  readonly mode: ResourceMode;
  readonly type: string;
  readonly name: string;
  /** count index (number) or for_each key (string); absent for single instances. */
  readonly index?: string | number;
  readonly provider: string;
  /** A deposed object key, when this entry is a deposed instance. */
  readonly deposed?: string;
  readonly actions: readonly Action[];
  readonly actionReason?: string;
  readonly before: AttributeValues;
  readonly after: AttributeValues;
  /** Paths (dotted, `a.b[0].c`) unknown in `after`, sorted. */
  readonly unknownPaths: readonly string[];
  /** Paths sensitive in `before` or `after`, sorted. */
  readonly sensitivePaths: readonly string[];
  readonly replacePaths: readonly AttrPath[];
  /** The matching `configuration` resource block, when the plan has one. */
  readonly config?: ConfigResource;
  /** True for records built before any plan exists (Terraform JSON input) where the block is count/for_each. */
  readonly repeated?: boolean;
}

/** A typed edge of the resource graph: `from` holds a reference (through attribute `via`) to `to`. */
export interface Link {
  readonly from: string;
  readonly to: string;
  /** Top-level attribute (or dotted block path) of `from` through which it refers to `to`. */
  readonly via: string;
  /** How the link was found. */
  readonly kind: "reference" | "value" | "transitive";
}

/** What kind of document the model was built from. */
export type ModelSource = "plan" | "configuration";

export interface PlanModel {
  /** Display name of the input (path, or `<stdin>`). */
  readonly file: string;
  readonly source: ModelSource;
  readonly formatVersion: string;
  readonly terraformVersion?: string;
  /** `complete` as printed; `null` when the plan does not say (OpenTofu, older Terraform). */
  readonly complete: boolean | null;
  readonly errored: boolean;
  readonly applyable: boolean | null;
  /** Resource instances, in plan order, including deleted ones and data reads. */
  readonly resources: readonly ResourceInstance[];
  readonly byAddress: ReadonlyMap<string, ResourceInstance>;
  readonly byType: ReadonlyMap<string, readonly ResourceInstance[]>;
  readonly links: readonly Link[];
  /** Links by `from` address. */
  readonly outgoing: ReadonlyMap<string, readonly Link[]>;
  /** Links by `to` address. */
  readonly incoming: ReadonlyMap<string, readonly Link[]>;
  readonly moduleCalls: readonly ModuleCallInfo[];
  /** True when the plan was made with -target / -exclude or is otherwise partial. */
  readonly partial: boolean;
  /** Non-fatal notes about the input (unknown minor format version, ...). */
  readonly warnings: readonly string[];
}

/** Longest error line printed: enough for any real path and message. */
export const MAX_ERROR_LINE = 1000;

/** A user-facing input error: one line, with where it is. The CLI maps it to exit code 2. */
export class InputError extends Error {
  override readonly name = "InputError";
  constructor(
    message: string,
    /** file, file:line:column, or a JSON pointer, when known. */
    readonly where?: string,
  ) {
    super(message);
  }
  /** The one-line form the CLI prints (at most MAX_ERROR_LINE characters). */
  oneLine(): string {
    const text = this.where ? `${this.where}: ${this.message}` : this.message;
    // Printable: messages quote input, and a plan's control characters must not rewrite the terminal.
    const line = printable(text.replace(/\s*\n\s*/g, " "));
    // Messages quote input (a version, an address): a hostile plan must not make them megabytes long.
    return line.length > MAX_ERROR_LINE ? `${line.slice(0, MAX_ERROR_LINE - 1)}…` : line;
  }
}
