/**
 * The format registry: one pure reporter per format, `(report, opts) => string`. The table is checked
 * with `satisfies`, so a format without a reporter does not compile.
 */
import type { Report } from "../check/types.js";
import { printableJson, printableOutput } from "../safety/text.js";
import type { RenderOptions } from "./common.js";
import { renderGithub } from "./github.js";
import { renderJson, renderJsonChunks } from "./json.js";
import { renderJunit } from "./junit.js";
import { renderMarkdown } from "./markdown.js";
import { renderSarif } from "./sarif.js";
import { renderText, renderTextChunks } from "./text.js";

export type { RenderOptions } from "./common.js";

export const FORMATS = ["text", "json", "sarif", "junit", "markdown", "github"] as const;
export type Format = (typeof FORMATS)[number];

export type Reporter = (report: Report, opts?: RenderOptions) => string;

export const REPORTERS = {
  text: renderText,
  json: renderJson,
  sarif: renderSarif,
  junit: renderJunit,
  markdown: renderMarkdown,
  github: renderGithub,
} as const satisfies Record<Format, Reporter>;

/**
 * The formats that print fixes. SARIF has no place GitHub code scanning shows one; when it is
 * the only output, `check` skips the fix stage (`CheckRequest.fixes`). Frozen: the CLI reads it, and
 * a library caller in the same process must not change what it decides.
 */
export const SHOWS_FIXES: Readonly<Record<Format, boolean>> = Object.freeze({
  text: true,
  json: true,
  sarif: false,
  junit: true,
  markdown: true,
  github: true,
});

export function isFormat(name: string): name is Format {
  return (FORMATS as readonly string[]).includes(name);
}

/** Render `report` in `format`. */
export function render(format: Format, report: Report, opts: RenderOptions = {}): string {
  // Every format, in one place: plan and pack text must not carry terminal controls out.
  const text = REPORTERS[format](report, opts);
  return format === "json" ? printableJson(text) : printableOutput(text);
}

/**
 * Render `report` in `format` as pieces of text (joined: `render`'s text). JSON and text, whose
 * size follows the plan's, come in pieces so a big report is never held as one string (SARIF has
 * at most 25,000 results; markdown is capped at a PR comment's size).
 */
export function renderChunks(format: Format, report: Report, opts: RenderOptions = {}): Iterable<string> {
  if (format === "json") {
    return (function* () {
      for (const chunk of renderJsonChunks(report, opts)) yield printableJson(chunk);
    })();
  }
  if (format === "text") {
    // Pieces end at line ends, so no colour sequence is split between two of them.
    return (function* () {
      for (const chunk of renderTextChunks(report, opts)) yield printableOutput(chunk);
    })();
  }
  return [render(format, report, opts)];
}
