/**
 * A pack as loaded: its parsed data plus a way back from a JSON Pointer to file:line:column.
 *
 * YAML and JSON are both parsed with the `yaml` package (JSON is YAML 1.2), so both keep node
 * ranges. Parsing is strict: duplicate keys are errors, alias expansion is bounded (a "billion
 * laughs" pack cannot exhaust memory), and tags beyond the core schema are rejected.
 */
import { createRequire } from "node:module";
import type * as Yaml from "yaml";
import type { Node } from "yaml";
import { findTooDeep } from "../safety/json.js";
import type { Diagnostic, SourcePosition } from "./diagnostic.js";
import { pointerSegment, splitPointer } from "./diagnostic.js";

/**
 * `yaml`, loaded on first use: `check` with the built-in packs (parsed at build time) and no config
 * file never parses YAML, and importing it is a fifth of start-up. Under Node, `import` of "yaml"
 * resolves to this same CommonJS build, so this is the same module instance an import would give.
 */
let yamlModule: typeof Yaml | undefined;
function yaml(): typeof Yaml {
  yamlModule ??= createRequire(import.meta.url)("yaml") as typeof Yaml;
  return yamlModule;
}

export type PackOrigin = "yaml" | "json" | "compiled";

export interface PackSource {
  /** Display path of the pack (as given, or relative to the cwd). */
  readonly file: string;
  readonly origin: PackOrigin;
  /** The parsed document; `undefined` when it could not be parsed (see `diagnostics`). */
  readonly data: unknown;
  /** Parse errors (syntax, duplicate keys, aliases, tags). */
  readonly diagnostics: readonly Diagnostic[];
  /**
   * Position of the node at `pointer` (or of its nearest existing ancestor). With `key`, the position
   * of the last segment's key rather than its value (for "unknown property" errors).
   */
  locate(pointer: string, key?: boolean): SourcePosition;
}

/** Alias expansions allowed per document: plenty for anchors reused across rules, far below a bomb. */
export const MAX_ALIAS_COUNT = 1000;

/**
 * Nesting limits, checked on the text before parsing: the `yaml` parser recurses and overflows the
 * stack near 1,000 levels. Real packs and configs stay below 20.
 */
export const MAX_FLOW_DEPTH = 256;
export const MAX_INDENT = 512;

const START: SourcePosition = { line: 1, column: 1 };

/** Offset of the first place nested deeper than the limits, or -1. */
function tooDeepAt(text: string): number {
  const flow = findTooDeep(text, MAX_FLOW_DEPTH);
  if (flow !== -1) return flow;
  const indent = new RegExp(`^[ \\t]{${MAX_INDENT + 1}}`, "m").exec(text);
  return indent ? indent.index : -1;
}

function positionOf(text: string, offset: number): SourcePosition {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Parse a YAML or JSON pack. Pure: the caller reads the file. */
export function parsePackText(text: string, file: string, origin: "yaml" | "json"): PackSource {
  const deep = tooDeepAt(text);
  if (deep !== -1) {
    const pos = positionOf(text, deep);
    const message = `nested too deeply (over ${MAX_FLOW_DEPTH} levels of [ ] / { }, or indented over ${MAX_INDENT} columns)`;
    const diagnostics: Diagnostic[] = [
      { severity: "error", code: "too-deep", message, file, ...pos, instancePath: "" },
    ];
    return { file, origin, data: undefined, diagnostics, locate: () => pos };
  }
  const { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    schema: "core",
    // Unknown tags come back as warnings; we make every warning an error below.
    customTags: [],
    keepSourceTokens: false,
  });
  const at = (offset: number): SourcePosition => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const diagnostics: Diagnostic[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    const pos = at(e.pos[0]);
    diagnostics.push({
      severity: "error",
      code: e.code === "DUPLICATE_KEY" ? "duplicate-key" : "syntax",
      message: e.message.split("\n")[0] ?? e.message,
      file,
      ...pos,
      instancePath: "",
    });
  }
  let data: unknown;
  if (diagnostics.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      diagnostics.push({
        severity: "error",
        code: "alias-limit",
        message: `document could not be expanded: ${err instanceof Error ? err.message : String(err)}`,
        file,
        ...START,
        instancePath: "",
      });
    }
  }
  const locate = (pointer: string, key = false): SourcePosition => {
    let node: unknown = doc.contents;
    let keyNode: unknown;
    for (const seg of splitPointer(pointer)) {
      keyNode = undefined;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
        if (!pair) break;
        keyNode = pair.key;
        node = pair.value ?? pair.key;
      } else if (isSeq(node)) {
        const item = node.items[Number(seg)];
        if (item === undefined) break;
        node = item;
      } else break;
    }
    const target = (key && keyNode ? keyNode : node) as Node | null | undefined;
    const range = target?.range;
    return range ? at(range[0]) : START;
  };
  return { file, origin, data, diagnostics, locate };
}

/** A source for data that has no text (compiled modules): positions come from a recorded table. */
export function sourceFromData(
  file: string,
  data: unknown,
  positions: Readonly<Record<string, readonly [number, number]>>,
): PackSource {
  const locate = (pointer: string): SourcePosition => {
    let p = pointer;
    for (;;) {
      const hit = positions[p];
      if (hit) return { line: hit[0], column: hit[1] };
      if (p === "") return START;
      p = p.slice(0, p.lastIndexOf("/"));
    }
  };
  return { file, origin: "compiled", data, diagnostics: [], locate };
}

/** Every pointer of a document with its position: what `plangate compile` records. */
export function positionTable(source: PackSource): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  const walk = (value: unknown, pointer: string): void => {
    const pos = source.locate(pointer);
    out[pointer] = [pos.line, pos.column];
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) walk(value[i], `${pointer}/${i}`);
    } else if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        walk(v, `${pointer}/${pointerSegment(k)}`);
      }
    }
  };
  walk(source.data, "");
  return out;
}
