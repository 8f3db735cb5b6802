/**
 * Compile-time context: the pack's source (for positions), its resolved parameters, and the
 * diagnostics collected so far. Every compile step reports through `error` / `warning` with the
 * JSON Pointer of the offending node.
 */
import type { JsonValue } from "../plan/types.js";
import type { Diagnostic, DiagnosticSeverity } from "./diagnostic.js";
import { type PathPattern, parsePath, substituteParams } from "./path.js";
import type { PackSource } from "./source.js";

export class CompileContext {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    readonly source: PackSource,
    readonly params: ReadonlyMap<string, JsonValue>,
  ) {}

  report(severity: DiagnosticSeverity, pointer: string, code: string, message: string, key = false): void {
    const pos = this.source.locate(pointer, key);
    this.diagnostics.push({
      severity,
      code,
      message,
      file: this.source.file,
      line: pos.line,
      column: pos.column,
      instancePath: pointer,
    });
  }

  error(pointer: string, code: string, message: string, key = false): void {
    this.report("error", pointer, code, message, key);
  }

  warning(pointer: string, code: string, message: string): void {
    this.report("warning", pointer, code, message);
  }

  /** A path with `${param.NAME}` substituted and parsed; reports and returns undefined when invalid. */
  path(text: string, pointer: string): PathPattern | undefined {
    const sub = substituteParams(text, this.params);
    if (!sub.ok) {
      this.error(pointer, "unknown-parameter", sub.error);
      return undefined;
    }
    const parsed = parsePath(sub.text);
    if (!parsed.ok) {
      this.error(pointer, "invalid-path", parsed.error);
      return undefined;
    }
    return parsed.path;
  }

  /**
   * A value that may be `{ $param: NAME }`: the parameter's value. Reports an unknown parameter.
   * Returns `undefined` only after reporting.
   */
  value(raw: unknown, pointer: string, opts: { regex?: boolean } = {}): JsonValue | undefined {
    if (isParamRef(raw)) {
      const v = this.params.get(raw.$param);
      if (v === undefined) this.error(pointer, "unknown-parameter", `unknown parameter "${raw.$param}"`);
      return v;
    }
    // `${param.NAME}` inside a string operand (and the strings of a list), substituted now: the
    // compiled pack holds the final literal. In a regex the value is escaped — a parameter is data,
    // not a pattern — and the operator still checks the result for safety.
    const quote = opts.regex ? escapeRegex : undefined;
    const interpolate = (s: string, at: string): string | undefined => {
      if (!s.includes("${param.")) return s;
      const sub = substituteParams(s, this.params, quote);
      if (sub.ok) return sub.text;
      this.error(at, "unknown-parameter", sub.error);
      return undefined;
    };
    if (typeof raw === "string") return interpolate(raw, pointer);
    if (Array.isArray(raw) && raw.some((x) => typeof x === "string" && x.includes("${param."))) {
      const out: JsonValue[] = [];
      for (const [i, x] of raw.entries()) {
        const v = typeof x === "string" ? interpolate(x, `${pointer}/${i}`) : (x as JsonValue);
        if (v === undefined) return undefined;
        out.push(v);
      }
      return out;
    }
    return raw as JsonValue;
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}

export function isParamRef(raw: unknown): raw is { $param: string } {
  return (
    typeof raw === "object" &&
    raw !== null &&
    !Array.isArray(raw) &&
    Object.keys(raw).length === 1 &&
    typeof (raw as { $param?: unknown }).$param === "string"
  );
}

export function isSubjectRef(raw: unknown): raw is { $subject: string } {
  return (
    typeof raw === "object" &&
    raw !== null &&
    !Array.isArray(raw) &&
    Object.keys(raw).length === 1 &&
    typeof (raw as { $subject?: unknown }).$subject === "string"
  );
}
