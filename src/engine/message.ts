/**
 * Result messages. The rule's template is filled with names only (address, type, name, rule,
 * title), never with attribute values, so a sensitive value cannot reach a message.
 */

import { formatPath } from "../plan/values.js";
import type { UnknownRef } from "./types.js";

export interface MessageFields {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly rule: string;
  readonly title: string;
}

const PLACEHOLDER = /\{\{\s*(address|type|name|rule|title)\s*\}\}/g;

type Template = (fields: MessageFields) => string;

/** Templates come from packs (a few per run): each is split into its parts once. */
const templates = new Map<string, Template>();

function compileTemplate(template: string): Template {
  const literals: string[] = [];
  const keys: (keyof MessageFields)[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    literals.push(template.slice(last, m.index));
    keys.push(m[1] as keyof MessageFields);
    last = m.index + m[0].length;
  }
  const tail = template.slice(last);
  return (fields) => {
    let out = "";
    for (let i = 0; i < keys.length; i++) out += literals[i] + fields[keys[i] as keyof MessageFields];
    return out + tail;
  };
}

export function fillTemplate(template: string, fields: MessageFields): string {
  let t = templates.get(template);
  if (!t) {
    t = compileTemplate(template);
    templates.set(template, t);
  }
  return t(fields);
}

export function unknownMessage(title: string, unknowns: readonly UnknownRef[], subject: string): string {
  const names = unknowns.map((u) =>
    u.address === subject ? formatPath(u.path) : `${u.address}.${formatPath(u.path)}`,
  );
  const shown = names.slice(0, 3).join(", ") + (names.length > 3 ? `, and ${names.length - 3} more` : "");
  return `${title}: not decidable until apply (${shown} known after apply)`;
}
