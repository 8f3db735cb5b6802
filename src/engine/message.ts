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

export function fillTemplate(template: string, fields: MessageFields): string {
  return template.replace(PLACEHOLDER, (_m, key: keyof MessageFields) => fields[key]);
}

export function unknownMessage(title: string, unknowns: readonly UnknownRef[], subject: string): string {
  const names = unknowns.map((u) =>
    u.address === subject ? formatPath(u.path) : `${u.address}.${formatPath(u.path)}`,
  );
  const shown = names.slice(0, 3).join(", ") + (names.length > 3 ? `, and ${names.length - 3} more` : "");
  return `${title}: not decidable until apply (${shown} known after apply)`;
}
