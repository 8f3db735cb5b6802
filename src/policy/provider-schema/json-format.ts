/**
 * JSON text laid out the way the repository's formatter (Biome, 110 columns) lays it out, so generated
 * schema files pass `biome check` unchanged: non-empty objects one key per line, arrays on one line
 * when they fit and hold no non-empty object, otherwise one element per line.
 */
const WIDTH = 110;
const INDENT = "  ";

export function formatJson(value: unknown): string {
  return `${render(value, "", 0)}\n`;
}

/** `used`: columns already taken on the current line before the value (indent and key). */
function render(value: unknown, indent: string, used: number, trailing = 0): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const flat = inline(value);
    if (flat !== undefined && used + flat.length + trailing <= WIDTH) return flat;
    const inner = indent + INDENT;
    const lines = value.map((v, i) => inner + render(v, inner, inner.length, i < value.length - 1 ? 1 : 0));
    return `[\n${lines.join(",\n")}\n${indent}]`;
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{}";
    const inner = indent + INDENT;
    const lines = entries.map(([k, v], i) => {
      const key = `${inner}${JSON.stringify(k)}: `;
      return key + render(v, inner, key.length, i < entries.length - 1 ? 1 : 0);
    });
    return `{\n${lines.join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** The one-line form of an array, or `undefined` when a non-empty object inside forces it to break. */
function inline(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    const parts = value.map(inline);
    return parts.every((p) => p !== undefined) ? `[${parts.join(", ")}]` : undefined;
  }
  if (typeof value === "object" && value !== null) return Object.keys(value).length === 0 ? "{}" : undefined;
  return JSON.stringify(value);
}
