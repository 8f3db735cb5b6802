/**
 * plangate's library API: everything the CLI does is reachable from here.
 */
export type * from "./plan/types.js";
export { InputError } from "./plan/types.js";
export type * from "./engine/types.js";
export { formatPath, lookup, maskSensitive } from "./plan/values.js";
