/**
 * YAML with positions: parse a document and answer "where is the node at this JSON path" as
 * `file:line:column`, so every test-file error points at the line the author has to change.
 */
import { type Document, isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { InputError, type JsonValue } from "../plan/types.js";

export interface PositionedYaml {
  readonly value: JsonValue;
  /** `file:line:column` of the node at `path` (or of its nearest existing ancestor). */
  at(path: readonly (string | number)[], key?: boolean): string;
}

export function parseYamlWithPositions(text: string, file: string): PositionedYaml {
  const lines = new LineCounter();
  const doc: Document.Parsed = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const where = (offset: number): string => {
    const { line, col } = lines.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  const first = doc.errors[0];
  if (first) throw new InputError(`invalid YAML: ${first.message.split("\n")[0]}`, where(first.pos[0]));
  let value: JsonValue;
  try {
    value = doc.toJS({ maxAliasCount: 100 }) as JsonValue;
  } catch (err) {
    // An alias bomb (ReferenceError) or nesting past the stack (RangeError): a user error.
    const why =
      err instanceof RangeError ? "nested too deeply" : err instanceof Error ? err.message : String(err);
    throw new InputError(`invalid YAML: ${why}`, `${file}:1:1`);
  }
  return {
    value,
    at(path, key = false) {
      for (let n = path.length; n >= 0; n--) {
        const prefix = path.slice(0, n);
        if (key && n === path.length && n > 0) {
          // The position of a map key (for "unknown property" errors).
          const parent = prefix.length > 1 ? doc.getIn(prefix.slice(0, -1), true) : doc.contents;
          if (isMap(parent)) {
            const pair = parent.items.find(
              (p) => isScalar(p.key) && p.key.value === prefix[prefix.length - 1],
            );
            if (pair && isScalar(pair.key) && pair.key.range) return where(pair.key.range[0]);
          }
          continue;
        }
        const node = prefix.length === 0 ? doc.contents : doc.getIn(prefix, true);
        const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
        if (range) return where(range[0]);
      }
      return `${file}:1:1`;
    },
  };
}
