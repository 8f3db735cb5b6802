/**
 * Pack diagnostics: errors and warnings found before any plan is read, each with where it is.
 */

export type DiagnosticSeverity = "error" | "warning";

export interface Diagnostic {
  readonly severity: DiagnosticSeverity;
  /** Stable id of the problem class (`schema`, `duplicate-rule-id`, `unsafe-regex`, ...): tests assert it. */
  readonly code: string;
  readonly message: string;
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** JSON Pointer into the pack document. */
  readonly instancePath: string;
}

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** `file:line:column: message` (warnings say so). */
export function formatDiagnostic(d: Diagnostic): string {
  const kind = d.severity === "warning" ? "warning: " : "";
  return `${d.file}:${d.line}:${d.column}: ${kind}${d.message}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Deterministic order: by file, position, then message. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

/** JSON Pointer segment escaping (RFC 6901). */
export function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, "~0").replace(/\//g, "~1");
}

export function splitPointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** `/rules/0/require/attribute` -> `rules[0].require.attribute`, for messages. */
export function readablePointer(pointer: string): string {
  let out = "";
  for (const seg of splitPointer(pointer)) {
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out === "" ? "(document)" : out;
}
