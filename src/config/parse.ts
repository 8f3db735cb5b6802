/**
 * The config file, parsed and validated (pure: the caller reads the file). YAML with positions
 * (duplicate keys are errors), validated by the standalone validator generated from
 * `schemas/config.schema.json`; every error comes back as `file:line:column: message`.
 */
import type { ErrorObject } from "ajv";
import type { PlangateConfig } from "../generated/config.types.js";
import validate from "../generated/config.validate.js";
import { InputError } from "../plan/types.js";
import { readablePointer } from "../policy/diagnostic.js";
import { parsePackText } from "../policy/source.js";

export type { PlangateConfig } from "../generated/config.types.js";

export interface ConfigError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** The config as the check stage uses it, with where each waiver was written. */
export interface LoadedConfig {
  readonly file: string;
  /** Directory of the file: relative pack paths resolve against it. */
  readonly dir: string;
  readonly config: PlangateConfig;
  /** `file:line:column` of each waiver, by index. */
  readonly waiverWhere: readonly string[];
  /** `file:line:column` of the node at a JSON Pointer (or its nearest ancestor), for later errors. */
  readonly where?: (pointer: string, key?: boolean) => string;
}

function schemaMessage(e: ErrorObject): string {
  const at = readablePointer(e.instancePath);
  switch (e.keyword) {
    case "additionalProperties":
      return `${at}: unknown property "${String(e.params.additionalProperty)}"`;
    case "required":
      return `${at}: missing required property "${String(e.params.missingProperty)}"`;
    case "enum":
      return `${at}: must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "const":
      return `${at}: must be ${JSON.stringify(e.params.allowedValue)}`;
    case "pattern":
      return e.instancePath.endsWith("/expires")
        ? `${at}: must be a date YYYY-MM-DD`
        : `${at}: must match ${String(e.params.pattern)}`;
    default:
      return `${at}: ${e.message ?? "is invalid"}`;
  }
}

/** A real calendar date (the schema only checks the shape). */
function isDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * Parse and validate config text. Throws `InputError` whose message lists every problem, the first
 * at `file:line:column` (the CLI prints one line; tests read `errors`).
 */
export function parseConfig(text: string, file: string, dir: string): LoadedConfig {
  const source = parsePackText(text, file, "yaml");
  const errors: ConfigError[] = source.diagnostics.map((d) => ({
    line: d.line,
    column: d.column,
    message: d.message,
  }));
  if (errors.length === 0) {
    const data = source.data ?? {};
    if (!validate(data)) {
      for (const e of validate.errors ?? []) {
        const isKey = e.keyword === "additionalProperties";
        const pointer = isKey ? `${e.instancePath}/${String(e.params.additionalProperty)}` : e.instancePath;
        const pos = source.locate(pointer, isKey);
        errors.push({ ...pos, message: schemaMessage(e) });
      }
    } else {
      const config = data as PlangateConfig;
      (config.waivers ?? []).forEach((w, i) => {
        if (!isDate(w.expires)) {
          errors.push({
            ...source.locate(`/waivers/${i}/expires`),
            message: `waivers[${i}].expires: not a date: ${w.expires}`,
          });
        }
      });
    }
  }
  if (errors.length > 0) throw new ConfigInputError(file, errors);
  const config = (source.data ?? {}) as PlangateConfig;
  const waiverWhere = (config.waivers ?? []).map((_w, i) => {
    const p = source.locate(`/waivers/${i}`);
    return `${file}:${p.line}:${p.column}`;
  });
  const where = (pointer: string, key = false): string => {
    const p = source.locate(pointer, key);
    return `${file}:${p.line}:${p.column}`;
  };
  return { file, dir, config, waiverWhere, where };
}

/** A config that does not validate: every error with its position. */
export class ConfigInputError extends InputError {
  constructor(
    readonly file: string,
    readonly errors: readonly ConfigError[],
  ) {
    const sorted = [...errors].sort((a, b) => a.line - b.line || a.column - b.column);
    const first = sorted[0] as ConfigError;
    const more =
      sorted.length > 1
        ? ` (and ${sorted.length - 1} more: ${sorted
            .slice(1)
            .map((e) => `${e.line}:${e.column} ${e.message}`)
            .join("; ")})`
        : "";
    super(`invalid config: ${first.message}${more}`, `${file}:${first.line}:${first.column}`);
  }
}
