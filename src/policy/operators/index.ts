/** The operator registry: every name of the pack schema's attribute assertion, checked by `satisfies`. */
import { absent } from "./absent.js";
import { configured } from "./configured.js";
import { contains } from "./contains.js";
import { equals } from "./equals.js";
import { exists } from "./exists.js";
import { greaterThan } from "./greaterThan.js";
import { greaterThanOrEqual } from "./greaterThanOrEqual.js";
import { inList } from "./in.js";
import { length } from "./length.js";
import { lessThan } from "./lessThan.js";
import { lessThanOrEqual } from "./lessThanOrEqual.js";
import { matches } from "./matches.js";
import { notEquals } from "./notEquals.js";
import { notIn } from "./notIn.js";
import { notMatches } from "./notMatches.js";
import type { OperatorDefinition, OperatorName } from "./types.js";

export const OPERATORS = {
  equals,
  notEquals,
  in: inList,
  notIn,
  exists,
  absent,
  matches,
  notMatches,
  contains,
  greaterThan,
  greaterThanOrEqual,
  lessThan,
  lessThanOrEqual,
  length,
  configured,
} as const satisfies Record<OperatorName, OperatorDefinition>;

export const OPERATOR_NAMES = Object.keys(OPERATORS) as OperatorName[];

export function isOperatorName(key: string): key is OperatorName {
  return Object.hasOwn(OPERATORS, key);
}
