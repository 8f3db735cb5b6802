/**
 * IAM policy statements in the two forms a fix shows them: the JSON of a policy document and a
 * `statement` block of the `aws_iam_policy_document` data source.
 */

import type { PolicyStatement } from "../engine/types.js";
import type { JsonObject, JsonValue } from "../plan/types.js";
import { MAX_EMBEDDED_JSON_DEPTH, parseJsonBounded } from "../safety/json.js";
import type { BodyItem } from "./hcl.js";

const one = (list: readonly string[]): JsonValue => (list.length === 1 ? (list[0] as string) : [...list]);

function principalJson(p: Readonly<Record<string, readonly string[]>>): JsonValue {
  const keys = Object.keys(p).sort();
  // `{AWS: ["*"]}` alone is how the engine normalizes `"*"`; print it back as written by users.
  if (keys.length === 1 && keys[0] === "AWS" && p.AWS?.length === 1 && p.AWS[0] === "*") return "*";
  const out: JsonObject = {};
  for (const k of keys) out[k] = one(p[k] ?? []);
  return out;
}

/** The statement as policy JSON (single-element lists collapsed, as AWS prints them). */
export function statementJson(s: PolicyStatement): JsonObject {
  const out: JsonObject = {};
  if (s.Sid !== undefined) out.Sid = s.Sid;
  out.Effect = s.Effect;
  if (s.Principal) out.Principal = principalJson(s.Principal);
  if (s.NotPrincipal) out.NotPrincipal = principalJson(s.NotPrincipal);
  if (s.Action) out.Action = one(s.Action);
  if (s.NotAction) out.NotAction = one(s.NotAction);
  if (s.Resource) out.Resource = one(s.Resource);
  if (s.NotResource) out.NotResource = one(s.NotResource);
  if (s.Condition) {
    const cond: JsonObject = {};
    for (const op of Object.keys(s.Condition).sort()) {
      const byKey = s.Condition[op] ?? {};
      const inner: JsonObject = {};
      for (const k of Object.keys(byKey).sort()) inner[k] = one(byKey[k] ?? []);
      cond[op] = inner;
    }
    out.Condition = cond;
  }
  return out;
}

function principalBlocks(
  name: string,
  p: Readonly<Record<string, readonly string[]>> | undefined,
): BodyItem[] {
  if (!p) return [];
  return Object.keys(p)
    .sort()
    .map((type) => ({
      kind: "block",
      type: name,
      labels: [],
      body: [
        { kind: "attribute", name: "type", value: type },
        { kind: "attribute", name: "identifiers", value: [...(p[type] ?? [])] },
      ],
    }));
}

/** The statement as the body of an `aws_iam_policy_document` `statement` block. */
export function statementBlockBody(s: PolicyStatement): BodyItem[] {
  const attrs: BodyItem[] = [];
  const list = (name: string, v: readonly string[] | undefined): void => {
    if (v) attrs.push({ kind: "attribute", name, value: [...v] });
  };
  if (s.Sid !== undefined) attrs.push({ kind: "attribute", name: "sid", value: s.Sid });
  attrs.push({ kind: "attribute", name: "effect", value: s.Effect });
  list("actions", s.Action);
  list("not_actions", s.NotAction);
  list("resources", s.Resource);
  list("not_resources", s.NotResource);
  const blocks: BodyItem[] = [
    ...principalBlocks("principals", s.Principal),
    ...principalBlocks("not_principals", s.NotPrincipal),
  ];
  for (const test of Object.keys(s.Condition ?? {}).sort()) {
    const byKey = s.Condition?.[test] ?? {};
    for (const variable of Object.keys(byKey).sort()) {
      blocks.push({
        kind: "block",
        type: "condition",
        labels: [],
        body: [
          { kind: "attribute", name: "test", value: test },
          { kind: "attribute", name: "variable", value: variable },
          { kind: "attribute", name: "values", value: [...(byKey[variable] ?? [])] },
        ],
      });
    }
  }
  return [...attrs, ...blocks];
}

/**
 * Parse a policy document string; undefined when it is not a JSON object. Statement may be one
 * object or a list, as AWS allows.
 */
export function parsePolicy(text: string): { doc: JsonObject; statements: JsonValue[] } | undefined {
  let doc: unknown;
  try {
    doc = parseJsonBounded(text, { maxDepth: MAX_EMBEDDED_JSON_DEPTH });
  } catch {
    return undefined;
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return undefined;
  const d = doc as JsonObject;
  const st = d.Statement;
  const statements = Array.isArray(st) ? st : st === undefined ? [] : [st];
  return { doc: d, statements };
}
