/**
 * The compiled form of a pack: rule metadata plus closures, ready for `evaluate`. Produced only by
 * `compilePack`, after every check passed.
 */
import type { Enforcement, Severity, UnknownPolicy } from "../engine/types.js";
import type { ActionScope } from "../plan/types.js";
import type { AssertionNode } from "./runtime.js";

export interface CompiledRule {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly severity: Severity;
  readonly enforcement: Enforcement;
  readonly controls: readonly string[];
  /** Subject resource types. */
  readonly types: readonly string[];
  readonly mode: "managed" | "data";
  readonly actions: readonly ActionScope[];
  /** `undefined`: the run's setting decides. */
  readonly unknown?: UnknownPolicy;
  /** Failure message template (`{{address}}`, `{{type}}`, `{{name}}`, `{{rule}}`, `{{title}}`). */
  readonly message?: string;
  readonly hint?: string;
  readonly docsUrl?: string;
  readonly where?: AssertionNode;
  readonly require: AssertionNode;
}

export interface CompiledPack {
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly homepage?: string;
  /** Where the pack came from (display path). */
  readonly file: string;
  readonly rules: readonly CompiledRule[];
}
