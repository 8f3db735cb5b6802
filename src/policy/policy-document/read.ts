/**
 * Reading a policy document from a resource attribute, once per run (cached per address + path).
 *
 * When the attribute is unknown at plan time but holds `data.aws_iam_policy_document.X.json` (the
 * graph links the resource to X through that attribute), the document is X's: its `json` when
 * known, else built from X's statement blocks. The same holds for X's own `json` attribute.
 */
import type { AttrPath, ResourceInstance } from "../../plan/types.js";
import { formatPath } from "../../plan/values.js";
import { readAt } from "../read.js";
import { cached, type DocumentRead, type EvalContext } from "../runtime.js";
import {
  documentFromStatements,
  normalizeDocument,
  type ParsedDocument,
  parseDocument,
  valuesFromExpressions,
} from "./normalize.js";

export const POLICY_DOCUMENT_TYPE = "aws_iam_policy_document";

function isPolicyDocumentSource(r: ResourceInstance): boolean {
  return r.mode === "data" && r.type === POLICY_DOCUMENT_TYPE;
}

/** Formatted paths by path array: assertions pass the same compiled array on every resource. */
const pathKeys = new WeakMap<AttrPath, string>();

function pathKey(path: AttrPath): string {
  let key = pathKeys.get(path);
  if (key === undefined) {
    key = formatPath(path);
    pathKeys.set(path, key);
  }
  return key;
}

export function readDocument(resource: ResourceInstance, path: AttrPath, ctx: EvalContext): DocumentRead {
  // By resource object first: cheaper than hashing a fresh `address + path` string per read.
  let byPath = ctx.documents.get(resource);
  if (!byPath) {
    byPath = new Map();
    ctx.documents.set(resource, byPath);
  }
  const key = pathKey(path);
  let hit = byPath.get(key);
  if (!hit) {
    hit = readUncached(resource, path, ctx, 0);
    byPath.set(key, hit);
  }
  return hit;
}

/** The run's parsed documents by JSON text, shared by every resource with the same text. */
const PARSED = {};
const newParsed = (): Map<string, ParsedDocument> => new Map();

/**
 * `parseDocument`, once per distinct text in a run: generated configurations repeat documents
 * (half of the 15k at 50k resources are copies, one text 4,710 times), and a parsed document is
 * read-only data.
 */
function parsedText(text: string, ctx: EvalContext): ParsedDocument {
  const parsed = cached(ctx, PARSED, newParsed);
  let hit = parsed.get(text);
  if (!hit) {
    hit = parseDocument(text);
    parsed.set(text, hit);
  }
  return hit;
}

function readUncached(
  resource: ResourceInstance,
  path: AttrPath,
  ctx: EvalContext,
  depth: number,
): DocumentRead {
  const read = readAt(resource.after, path);
  if (read.state === "absent") return { state: "absent" };
  if (read.state === "known") {
    if (read.partial) return { state: "unknown", unknowns: [{ address: resource.address, path }] };
    const parsed =
      typeof read.value === "string" ? parsedText(read.value, ctx) : normalizeDocument(read.value);
    return parsed.ok
      ? { state: "document", document: parsed.document, address: resource.address, path }
      : { state: "invalid", error: parsed.error };
  }
  const unknown: DocumentRead = { state: "unknown", unknowns: [{ address: resource.address, path }] };
  // The data source's own `json`: its statements.
  if (
    isPolicyDocumentSource(resource) &&
    path.length === 1 &&
    (path[0] === "json" || path[0] === "minified_json")
  ) {
    const values =
      resource.after.value === null && resource.config
        ? valuesFromExpressions(resource.config.expressions)
        : resource.after;
    const document = documentFromStatements(values);
    return document ? { state: "document", document, address: resource.address, path } : unknown;
  }
  // An attribute set from a policy document data source: that document.
  const top = path[0];
  if (depth > 0 || typeof top !== "string") return unknown;
  const model = ctx.model;
  const sources = (model.outgoing.get(resource.address) ?? [])
    .filter((l) => l.via === top || l.via.startsWith(`${top}.`) || l.via.startsWith(`${top}[`))
    .map((l) => model.byAddress.get(l.to))
    .filter((r): r is ResourceInstance => r !== undefined && isPolicyDocumentSource(r));
  const distinct = [...new Set(sources)];
  const [only] = distinct;
  if (distinct.length !== 1 || !only) return unknown;
  const linked = readUncached(only, ["json"], ctx, depth + 1);
  return linked.state === "document" ? linked : unknown;
}
