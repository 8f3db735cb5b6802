/**
 * Inline test resources -> a plan document in the real format (1.2), so inline cases run through
 * the same `buildPlanModel` as fixture files. Every resource sits in the root module; values are
 * known unless listed in `unknown`; configuration expressions hold the configured values as
 * constants and the given references, which is what the reference graph links on.
 */
import { InputError, type JsonObject, type JsonValue, type PathStep } from "../plan/types.js";
import type { InlineResource } from "./types.js";

const STEP = /^(?:\.?([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\])/;

/** `a.b[0]["x y"]` -> `["a", "b", 0, "x y"]`; undefined when it does not parse. */
export function parseTestPath(text: string): PathStep[] | undefined {
  const out: PathStep[] = [];
  let rest = text;
  while (rest.length > 0) {
    const m = STEP.exec(rest);
    if (!m) return undefined;
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(JSON.parse(`"${m[3] ?? ""}"`) as string);
    rest = rest.slice(m[0].length);
  }
  return out.length > 0 ? out : undefined;
}

/** Thrown by `setTrue` when two paths disagree on whether a step is a list or an object. */
class ShapeConflict extends Error {}

/**
 * A copy of `node` with `true` at `path` (arrays for numeric steps, known elements `false`). A path
 * under one already marked unknown changes nothing: the whole subtree is unknown.
 */
function setTrue(node: JsonValue | undefined, path: readonly PathStep[]): JsonValue {
  const [step, ...rest] = path;
  if (step === undefined || node === true) return true;
  const isList = Array.isArray(node);
  const isMap = typeof node === "object" && node !== null && !isList;
  if (typeof step === "number") {
    if (isMap) throw new ShapeConflict();
    const arr: JsonValue[] = isList ? [...node] : [];
    while (arr.length < step) arr.push(false);
    arr[step] = setTrue(arr[step], rest);
    return arr;
  }
  if (isList) throw new ShapeConflict();
  const o: JsonObject = isMap ? { ...node } : {};
  o[step] = setTrue(o[step], rest);
  return o;
}

function mask(paths: readonly string[] | undefined, address: string, field: string): JsonObject {
  let out: JsonValue = {};
  for (const p of paths ?? []) {
    const steps = parseTestPath(p);
    if (!steps) throw new InputError(`${address}: ${field} path "${p}" does not parse`);
    try {
      out = setTrue(out, steps);
    } catch (err) {
      if (!(err instanceof ShapeConflict)) throw err;
      throw new InputError(
        `${address}: ${field} path "${p}" treats a list as an object (or the reverse) against an earlier path`,
      );
    }
  }
  return out as JsonObject;
}

/** With a resource reference `aws_s3_bucket.a.id`, Terraform also lists `aws_s3_bucket.a`. */
function expandReferences(refs: readonly string[]): string[] {
  const out: string[] = [];
  for (const r of refs) {
    out.push(r);
    const parts = r.split(".");
    const isData = parts[0] === "data";
    const base = isData ? 3 : 2;
    if (parts.length > base && parts[0] !== "var" && parts[0] !== "local") {
      const parent = parts.slice(0, base).join(".");
      if (!out.includes(parent) && !refs.includes(parent)) out.push(parent);
    }
  }
  return out;
}

function expressions(r: InlineResource): JsonObject {
  const values = r.values ?? {};
  const refs = r.references ?? {};
  const configured = r.configured ?? [...new Set([...Object.keys(values), ...Object.keys(refs)])];
  const out: JsonObject = {};
  for (const key of configured) {
    const ref = refs[key];
    if (ref) out[key] = { references: expandReferences(ref) };
    else if (Object.hasOwn(values, key)) out[key] = { constant_value: values[key] as JsonValue };
  }
  return out;
}

/** Build the plan document for a list of inline resources. */
export function synthesizePlan(resources: readonly InlineResource[]): JsonObject {
  const seen = new Set<string>();
  const changes: JsonValue[] = [];
  const config: JsonValue[] = [];
  for (const r of resources) {
    if (seen.has(r.address)) throw new InputError(`inline resource ${r.address} is listed twice`);
    seen.add(r.address);
    const isData = r.address.startsWith("data.");
    const [type, name] = (isData ? r.address.slice(5) : r.address).split(".") as [string, string];
    const mode = isData ? "data" : "managed";
    const actions = r.actions ?? [isData ? "read" : "create"];
    const deleting = actions.length === 1 && actions[0] === "delete";
    const unknown = mask(r.unknown, r.address, "unknown");
    const sensitive = mask(r.sensitive, r.address, "sensitive");
    changes.push({
      address: r.address,
      mode,
      type,
      name,
      provider_name: "registry.terraform.io/hashicorp/aws",
      change: {
        actions: [...actions],
        before: r.before ?? null,
        after: deleting ? null : (r.values ?? {}),
        after_unknown: deleting ? {} : unknown,
        before_sensitive: r.before ? {} : false,
        after_sensitive: deleting ? false : sensitive,
      },
    });
    config.push({
      address: r.address,
      mode,
      type,
      name,
      provider_config_key: "aws",
      expressions: expressions(r),
      schema_version: 0,
    });
  }
  return {
    format_version: "1.2",
    terraform_version: "1.9.8",
    planned_values: { root_module: {} },
    resource_changes: changes,
    configuration: {
      provider_config: { aws: { name: "aws", full_name: "registry.terraform.io/hashicorp/aws" } },
      root_module: { resources: config },
    },
    complete: true,
    errored: false,
  };
}
