/**
 * IAM policy documents in one shape: every list field a list, `Principal: "*"` as `{ AWS: ["*"] }`,
 * condition values as strings. Two sources: the JSON text of any string attribute, and the
 * statement blocks of an `aws_iam_policy_document` data source (when its `json` is not known
 * until apply, its statements often are — that is what makes TLS-only bucket policies decidable).
 */
import type { PolicyStatement } from "../../engine/types.js";
import type { AttributeValues, JsonValue } from "../../plan/types.js";
import { lookup } from "../../plan/values.js";
import { MAX_EMBEDDED_JSON_DEPTH, parseJsonBounded } from "../../safety/json.js";
import { getOwn, setOwn } from "../../safety/own.js";

export type StatementField =
  | "Effect"
  | "Action"
  | "NotAction"
  | "Resource"
  | "NotResource"
  | "Principal"
  | "NotPrincipal"
  | "Condition";

/** A statement plus which of its fields hold values unknown until apply (the known parts are kept). */
export interface DocStatement {
  readonly statement: PolicyStatement;
  readonly unknown: ReadonlySet<StatementField>;
  /**
   * Principal types whose identifiers are (partly) unknown while the type itself is known
   * (`principals { type = "Federated", identifiers = [aws_iam_openid_connect_provider.x.arn] }`):
   * the statement names that type, and no other, whatever the identifiers turn out to be.
   */
  readonly partialPrincipals?: ReadonlySet<string>;
}

export interface NormalizedDocument {
  readonly statements: readonly DocStatement[];
}

const NONE: ReadonlySet<StatementField> = new Set();

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function strings(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  const list = Array.isArray(v) ? v : [v];
  return list.filter((x) => x !== null && x !== undefined).map((x) => String(x));
}

function principal(v: unknown): Record<string, string[]> | undefined {
  if (v === undefined || v === null) return undefined;
  if (v === "*") return { AWS: ["*"] };
  if (!isObject(v)) return undefined;
  const out: Record<string, string[]> = {};
  for (const [k, x] of Object.entries(v)) setOwn(out, k, strings(x) ?? []);
  return out;
}

function condition(v: unknown): Record<string, Record<string, string[]>> | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, Record<string, string[]>> = {};
  for (const [op, keys] of Object.entries(v)) {
    if (!isObject(keys)) continue;
    const byKey: Record<string, string[]> = {};
    for (const [key, values] of Object.entries(keys)) setOwn(byKey, key, strings(values) ?? []);
    setOwn(out, op, byKey);
  }
  return out;
}

const LIST_FIELDS = ["Action", "NotAction", "Resource", "NotResource"] as const;

function statementOf(raw: unknown): PolicyStatement {
  const s = isObject(raw) ? raw : {};
  const out: { -readonly [K in keyof PolicyStatement]: PolicyStatement[K] } = {
    Effect: s.Effect === "Deny" ? "Deny" : "Allow",
  };
  if (typeof s.Sid === "string") out.Sid = s.Sid;
  for (const field of LIST_FIELDS) {
    const list = strings(s[field]);
    if (list) out[field] = list;
  }
  const p = principal(s.Principal);
  if (p) out.Principal = p;
  const np = principal(s.NotPrincipal);
  if (np) out.NotPrincipal = np;
  const c = condition(s.Condition);
  if (c) out.Condition = c;
  return out;
}

export type ParsedDocument =
  | { readonly ok: true; readonly document: NormalizedDocument }
  | { readonly ok: false; readonly error: string };

/** Normalize a decoded JSON policy (object) into statements. */
export function normalizeDocument(doc: unknown): ParsedDocument {
  if (!isObject(doc)) return { ok: false, error: "the policy document is not a JSON object" };
  const raw = doc.Statement;
  const list = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [raw];
  return {
    ok: true,
    document: { statements: list.map((s) => ({ statement: statementOf(s), unknown: NONE })) },
  };
}

/** Parse the JSON text of a policy attribute. */
export function parseDocument(text: string): ParsedDocument {
  let doc: unknown;
  try {
    // Bounded: a policy string 10,000 levels deep overflowed the stack in the walkers after it.
    doc = parseJsonBounded(text, { maxDepth: MAX_EMBEDDED_JSON_DEPTH });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { ok: false, error: `the policy document is not valid JSON (${why})` };
  }
  return normalizeDocument(doc);
}

/**
 * Arguments of `aws_iam_policy_document` that merge in other documents: when any is set (or not
 * known yet), the statement blocks alone are not the whole policy.
 */
const MERGING = ["source_json", "override_json", "source_policy_documents", "override_policy_documents"];

/**
 * Build the document of an `aws_iam_policy_document` from its statement blocks, as planned
 * (`after` with its unknown mask). `undefined` when the statements cannot tell the whole policy.
 */
export function documentFromStatements(values: AttributeValues): NormalizedDocument | undefined {
  for (const arg of MERGING) {
    const l = lookup(values, [arg]);
    if (l.state === "unknown") return undefined;
    if (l.state === "known" && !(Array.isArray(l.value) && l.value.length === 0)) return undefined;
  }
  const blocks = lookup(values, ["statement"]);
  if (blocks.state === "unknown") return undefined;
  const count = blocks.state === "known" && Array.isArray(blocks.value) ? blocks.value.length : 0;
  const statements: DocStatement[] = [];
  for (let i = 0; i < count; i++) statements.push(statementFromBlock(values, i));
  return { statements };
}

function statementFromBlock(values: AttributeValues, i: number): DocStatement {
  const unknown = new Set<StatementField>();
  const partial = new Set<string>();
  const at = (...rest: (string | number)[]) => lookup(values, ["statement", i, ...rest]);
  const list = (field: StatementField, name: string): string[] | undefined => {
    const l = at(name);
    if (l.state === "unknown") {
      unknown.add(field);
      return undefined;
    }
    if (l.state === "absent") return undefined;
    const items = Array.isArray(l.value) ? l.value : [l.value];
    const out: string[] = [];
    items.forEach((x, k) => {
      if (x === null || at(name, k).state === "unknown") unknown.add(field);
      else out.push(String(x));
    });
    return out;
  };
  const out: { -readonly [K in keyof PolicyStatement]: PolicyStatement[K] } = { Effect: "Allow" };
  const effect = at("effect");
  if (effect.state === "unknown") unknown.add("Effect");
  else if (effect.state === "known" && effect.value === "Deny") out.Effect = "Deny";
  const sid = at("sid");
  if (sid.state === "known" && typeof sid.value === "string") out.Sid = sid.value;
  const fields = [
    ["Action", "actions"],
    ["NotAction", "not_actions"],
    ["Resource", "resources"],
    ["NotResource", "not_resources"],
  ] as const;
  for (const [field, name] of fields) {
    const v = list(field, name);
    if (v !== undefined && (v.length > 0 || !unknown.has(field))) out[field] = v;
  }
  const principals = (
    field: "Principal" | "NotPrincipal",
    name: string,
  ): Record<string, string[]> | undefined => {
    const blocks = at(name);
    if (blocks.state === "unknown") {
      unknown.add(field);
      return undefined;
    }
    if (blocks.state !== "known" || !Array.isArray(blocks.value) || blocks.value.length === 0)
      return undefined;
    const result: Record<string, string[]> = {};
    blocks.value.forEach((_b, k) => {
      const type = at(name, k, "type");
      const ids = at(name, k, "identifiers");
      const idsUnknown = ids.state === "unknown" || (ids.state === "known" && containsNull(ids.value));
      // A known type keeps its place: only its identifiers are open (for Principal; a NotPrincipal
      // is matched as `*` anyway).
      if (type.state !== "known" || (idsUnknown && field === "NotPrincipal")) unknown.add(field);
      else if (idsUnknown) partial.add(type.value === "*" ? "AWS" : String(type.value));
      if (type.state !== "known") return;
      const key = String(type.value);
      const idList = ids.state === "known" ? (strings(ids.value) ?? []) : [];
      // Own properties only: a principal type of `__proto__` or `constructor` is data.
      setOwn(result, key, [...(getOwn(result, key) ?? []), ...(key === "*" ? ["*"] : idList)]);
    });
    // HCL's `type = "*"` is JSON's `Principal: "*"`.
    if (result["*"]) {
      result.AWS = [...(result.AWS ?? []), "*"];
      delete result["*"];
    }
    return result;
  };
  const p = principals("Principal", "principals");
  if (p) out.Principal = p;
  const np = principals("NotPrincipal", "not_principals");
  if (np) out.NotPrincipal = np;
  const conds = at("condition");
  if (conds.state === "unknown") unknown.add("Condition");
  else if (conds.state === "known" && Array.isArray(conds.value) && conds.value.length > 0) {
    const result: Record<string, Record<string, string[]>> = {};
    conds.value.forEach((_c, k) => {
      const test = at("condition", k, "test");
      const variable = at("condition", k, "variable");
      const vals = at("condition", k, "values");
      if (test.state !== "known" || variable.state !== "known") {
        unknown.add("Condition");
        return;
      }
      if (vals.state === "unknown" || (vals.state === "known" && containsNull(vals.value)))
        unknown.add("Condition");
      const op = String(test.value);
      const byKey = getOwn(result, op) ?? {};
      setOwn(byKey, String(variable.value), vals.state === "known" ? (strings(vals.value) ?? []) : []);
      setOwn(result, op, byKey);
    });
    out.Condition = result;
  }
  return { statement: out, unknown, ...(partial.size > 0 ? { partialPrincipals: partial } : {}) };
}

function containsNull(v: JsonValue): boolean {
  return Array.isArray(v) && v.some((x) => x === null);
}

/**
 * Configuration expressions of a block (`{constant_value}` / `{references}` leaves, nested blocks as
 * objects or arrays) as planned values with an unknown mask: a reference is unknown.
 */
export function valuesFromExpressions(expressions: JsonValue): AttributeValues {
  const convert = (node: JsonValue): [JsonValue, JsonValue] => {
    if (Array.isArray(node)) {
      const pairs = node.map(convert);
      return [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
    }
    if (!isObject(node)) return [null, false];
    if (Object.hasOwn(node, "constant_value")) return [(node.constant_value as JsonValue) ?? null, false];
    if (Object.hasOwn(node, "references")) return [null, true];
    const value: Record<string, JsonValue> = {};
    const mask: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(node)) {
      const [cv, cm] = convert(v as JsonValue);
      setOwn(value, k, cv);
      if (cm !== false) setOwn(mask, k, cm);
    }
    return [value, mask];
  };
  const [value, unknown] = convert(expressions);
  return { value, unknown, sensitive: false };
}
