import type { PathStep, ResourceInstance } from "../../plan/types.js";
import { ABSENT_READ, type Read, UNKNOWN_READ } from "../read.js";
import type { OperatorDefinition } from "./types.js";

const SET: Read = { state: "known", value: true, sensitive: false, partial: false };

/**
 * Whether the resource's configuration block sets the path. Providers echo computed blocks into
 * `after` (AWS v4+ fills `versioning` of every existing bucket), so "the value is there" is not
 * "this configuration manages it". Nested blocks are objects (single) or arrays (list/set) in
 * `expressions`; an index into a single block is the block itself.
 */
export function readConfigured(resource: ResourceInstance, path: readonly PathStep[]): Read {
  if (!resource.config) return UNKNOWN_READ;
  let node: unknown = resource.config.expressions;
  for (const step of path) {
    if (Array.isArray(node)) node = typeof step === "number" ? node[step] : undefined;
    else if (typeof node === "object" && node !== null) {
      if (typeof step === "number") {
        if (step !== 0) return ABSENT_READ;
        continue;
      }
      node = Object.hasOwn(node, step) ? (node as Record<string, unknown>)[step] : undefined;
    } else node = undefined;
    if (node === undefined || node === null) return ABSENT_READ;
  }
  return SET;
}

/** `configured: true` / `configured: false`; reads the configuration instead of the planned values. */
export const configured: OperatorDefinition = {
  name: "configured",
  dynamicOperand: false,
  compile(operand) {
    if (typeof operand !== "boolean") return { ok: false, error: "`configured` needs true or false" };
    const want = operand;
    return {
      ok: true,
      op: {
        reads: "config",
        holds: (read) => (read.state === "unknown" ? undefined : (read.state === "known") === want),
        expectation: () => (want ? { op: "exists" } : { op: "absent" }),
        negatedExpectation: () => (want ? { op: "absent" } : { op: "exists" }),
      },
    };
  },
};
