/**
 * Change actions -> the scopes rules select on. Terraform prints a replacement as two actions
 * (`delete`+`create` or, with create_before_destroy, `create`+`delete`); `create`+`forget` replaces
 * an object that is forgotten rather than destroyed. OpenTofu's `open` (ephemeral resources) is not
 * a change to a resource and has no scope.
 */
import type { Action, ActionScope, ResourceInstance } from "./types.js";

/** Scopes a rule applies to when it names none: the resource exists after apply. */
export const DEFAULT_SCOPES: readonly ActionScope[] = ["create", "update", "replace", "no-op"];

export const ALL_SCOPES: readonly ActionScope[] = [
  "create",
  "update",
  "replace",
  "no-op",
  "delete",
  "read",
  "forget",
];

/** The scopes of one `actions` list; `[]` for `open` and for combinations Terraform never prints. */
export function actionScopes(actions: readonly Action[]): ActionScope[] {
  return [...scopesOf(actions)];
}

const REPLACE: readonly ActionScope[] = ["replace"];
const REPLACE_FORGET: readonly ActionScope[] = ["replace", "forget"];
const NONE: readonly ActionScope[] = [];
const SINGLE: Readonly<Record<Action, readonly ActionScope[]>> = {
  create: ["create"],
  update: ["update"],
  "no-op": ["no-op"],
  delete: ["delete"],
  read: ["read"],
  forget: ["forget"],
  open: NONE,
};

/** `actionScopes` without a copy: the engine asks once per rule and resource. */
function scopesOf(actions: readonly Action[]): readonly ActionScope[] {
  const has = (a: Action): boolean => actions.includes(a);
  if (actions.length === 2 && has("create") && has("delete")) return REPLACE;
  // The old object leaves state without being destroyed: a replace for the new object, a forget for the old.
  if (actions.length === 2 && has("create") && has("forget")) return REPLACE_FORGET;
  const [only] = actions;
  return actions.length === 1 && only !== undefined && Object.hasOwn(SINGLE, only) ? SINGLE[only] : NONE;
}

/** True when any scope of `actions` is among `scopes`. */
export function inScopes(actions: readonly Action[], scopes: readonly ActionScope[]): boolean {
  return scopesOf(actions).some((s) => scopes.includes(s));
}

/** The object exists after apply (created, updated, replaced or unchanged). */
export function plannedToExist(actions: readonly Action[]): boolean {
  return inScopes(actions, DEFAULT_SCOPES);
}

export function isReplace(actions: readonly Action[]): boolean {
  return scopesOf(actions).includes("replace");
}

export function isDelete(actions: readonly Action[]): boolean {
  return actions.length === 1 && actions[0] === "delete";
}

/**
 * Rules check managed resources and data sources, never ephemeral ones, never deposed objects
 * (they are leftovers being destroyed).
 */
export function isCheckable(r: ResourceInstance): boolean {
  return r.mode !== "ephemeral" && r.deposed === undefined && scopesOf(r.actions).length > 0;
}

/** Checkable and selected by `scopes` (default: planned to exist). */
export function selectedBy(r: ResourceInstance, scopes: readonly ActionScope[] = DEFAULT_SCOPES): boolean {
  return isCheckable(r) && inScopes(r.actions, scopes);
}
