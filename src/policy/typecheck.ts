/**
 * The type-check pass: every attribute path and literal of a pack against the provider schemas of
 * its resource types (when we have them). Separate from closure compilation so that packs compile
 * without schemas (a provider nobody imported) and so this pass can be tested on its own.
 *
 * Reported: unknown resource types (error for a provider we have a schema for, warning otherwise),
 * unknown attributes (with did-you-mean), list/set blocks entered without `[0]` / `[*]`, operators on
 * values of the wrong kind (a number compared with a string, `matches` on a list), and `in` lists
 * holding a value of the wrong type.
 */

import type { Assertion, AttributeAssertion, PolicyPack } from "../generated/policy-pack.types.js";
import type { JsonValue } from "../plan/types.js";
import { CompileContext, isParamRef, isSubjectRef } from "./context.js";
import type { Diagnostic } from "./diagnostic.js";
import { isOperatorName } from "./operators/index.js";
import { type PathPattern, parsePath, substituteParams, WILDCARD } from "./path.js";
import {
  type BlockSchema,
  type PathResolution,
  resolvedKind,
  resolvePath,
  type ScalarKind,
  type SchemaIndex,
  type SchemaPathStep,
} from "./provider-schema/index.js";

interface Subject {
  readonly type: string;
  readonly schema: BlockSchema;
}

/** What paths are resolved against: the schemas of the current resource types, and a prefix. */
interface Frame {
  readonly subjects: readonly Subject[];
  readonly base: readonly SchemaPathStep[];
  /** The rule subject's frame, for `$subject` operands inside `related`. */
  readonly rule?: Frame;
}

function toSteps(path: PathPattern): SchemaPathStep[] {
  return path.map((s) => (s === WILDCARD ? "*" : s));
}

function kindOfLiteral(v: JsonValue): ScalarKind | "null" {
  if (v === null) return "null";
  if (Array.isArray(v)) return "list";
  switch (typeof v) {
    case "string":
      return "string";
    case "number":
      return "number";
    case "boolean":
      return "bool";
    default:
      return "object";
  }
}

/** Whether a literal can equal a value of `kind` as plan JSON prints it. */
function fits(literal: JsonValue, kind: ScalarKind): boolean {
  const k = kindOfLiteral(literal);
  if (k === "null" || kind === "dynamic") return true;
  if (k === "list") return kind === "list" || kind === "set" || kind === "tuple";
  if (k === "object") return kind === "map" || kind === "object";
  return k === kind;
}

function describeKind(kind: ScalarKind): string {
  return kind === "bool" ? "a bool" : kind === "object" ? "an object" : `a ${kind}`;
}

class Checker {
  readonly ctx: CompileContext;
  constructor(
    base: CompileContext,
    private readonly index: SchemaIndex,
  ) {
    // A context of our own: path and parameter errors were already reported by the compile pass.
    this.ctx = new CompileContext(base.source, base.params);
  }

  subjects(types: readonly string[], mode: "managed" | "data", pointer: string): Subject[] {
    const out: Subject[] = [];
    for (const type of types) {
      if (!this.index.knowsProvider(type)) {
        this.ctx.warning(
          pointer,
          "unknown-resource-type",
          `no provider schema for "${type}": its attribute paths are not checked`,
        );
        continue;
      }
      const schema = this.index.resourceSchema(type, mode);
      if (!schema) {
        const hint = this.index.suggestTypes(type, mode);
        const dym = hint.length > 0 ? ` (did you mean "${hint[0]}"?)` : "";
        const what = mode === "data" ? "data source" : "resource type";
        this.ctx.error(pointer, "unknown-resource-type", `unknown ${what} "${type}"${dym}`);
        continue;
      }
      out.push({ type, schema });
    }
    return out;
  }

  private path(text: string): PathPattern | undefined {
    const sub = substituteParams(text, this.ctx.params);
    if (!sub.ok) return undefined;
    const parsed = parsePath(sub.text);
    return parsed.ok ? parsed.path : undefined;
  }

  /** Resolve in every subject; report failures; return the successful resolutions. */
  private resolve(frame: Frame, text: string, pointer: string): PathResolution[] {
    const path = this.path(text);
    if (!path) return [];
    const steps = [...frame.base, ...toSteps(path)];
    const ok: PathResolution[] = [];
    const several = frame.subjects.length > 1;
    const results = frame.subjects.map((s) => ({ s, r: resolvePath(s.schema, steps) }));
    // A rule over several types may read an attribute only some of them have (absent on the others).
    const anyOk = results.some(({ r }) => r.ok);
    for (const { s, r } of results) {
      if (r.ok) {
        ok.push(r);
        continue;
      }
      if (anyOk && r.error === "unknown-attribute") continue;
      const on = several ? ` on ${s.type}` : ` of ${s.type}`;
      switch (r.error) {
        case "unknown-attribute": {
          const dym = r.suggestions.length > 0 ? ` (did you mean "${r.suggestions[0]}"?)` : "";
          this.ctx.error(pointer, "unknown-attribute", `unknown attribute "${r.name}"${on}${dym}`);
          break;
        }
        case "block-needs-index":
          this.ctx.error(
            pointer,
            "block-needs-index",
            `"${r.name}"${on} is a list: write ${r.name}[0] for the first element or ${r.name}[*] for every element`,
          );
          break;
        case "not-indexable":
          this.ctx.error(
            pointer,
            "not-indexable",
            `"${text}"${on}: step ${r.at + 1} goes into a value that has no such element`,
          );
          break;
      }
    }
    return ok;
  }

  assertion(a: Assertion, pointer: string, frame: Frame): void {
    if ("attribute" in a) this.attribute(a as AttributeAssertion, pointer, frame);
    else if ("all" in a) {
      a.all.forEach((x, i) => {
        this.assertion(x, `${pointer}/all/${i}`, frame);
      });
    } else if ("any" in a) {
      a.any.forEach((x, i) => {
        this.assertion(x, `${pointer}/any/${i}`, frame);
      });
    } else if ("not" in a) this.assertion(a.not, `${pointer}/not`, frame);
    else if ("each" in a) this.quantifier(a.each, a.require, pointer, "each", frame);
    else if ("some" in a) this.quantifier(a.some, a.require, pointer, "some", frame);
    else if ("none" in a) this.quantifier(a.none, a.require, pointer, "none", frame);
    else if ("related" in a) {
      const r = a.related;
      const at = `${pointer}/related`;
      const types = typeof r.type === "string" ? [r.type] : r.type;
      const related: Frame = {
        subjects: this.subjects(types, r.mode ?? "managed", `${at}/type`),
        base: [],
        rule: frame.rule ?? frame,
      };
      if (r.where) this.assertion(r.where, `${at}/where`, related);
      if (r.require) this.assertion(r.require, `${at}/require`, related);
    } else if ("policyDocument" in a) {
      const at = `${pointer}/policyDocument/attribute`;
      for (const res of this.resolve(frame, a.policyDocument.attribute, at)) {
        const kind = resolvedKind(res);
        if (kind && kind !== "string" && kind !== "dynamic") {
          this.ctx.error(
            at,
            "type-mismatch",
            `a policy document is a JSON string, but "${a.policyDocument.attribute}" is ${describeKind(kind)}`,
          );
        }
      }
    }
  }

  private quantifier(list: string, require: Assertion, pointer: string, key: string, frame: Frame): void {
    const at = `${pointer}/${key}`;
    const resolved = this.resolve(frame, list, at);
    for (const res of resolved) {
      const kind = resolvedKind(res);
      if (kind && !["list", "set", "map", "dynamic"].includes(kind)) {
        this.ctx.error(
          at,
          "type-mismatch",
          `\`${key}\` needs a list, set or map, but "${list}" is ${describeKind(kind)}`,
        );
      }
    }
    const path = this.path(list);
    if (!path || resolved.length === 0) return;
    this.assertion(require, `${pointer}/require`, { ...frame, base: [...frame.base, ...toSteps(path), "*"] });
  }

  private attribute(a: AttributeAssertion, pointer: string, frame: Frame): void {
    const resolved = this.resolve(frame, a.attribute, `${pointer}/attribute`);
    const record = a as unknown as Record<string, unknown>;
    const op = Object.keys(record).find(isOperatorName);
    if (!op) return;
    const raw = record[op];
    const opPointer = `${pointer}/${op}`;
    if (isSubjectRef(raw) && frame.rule) this.resolve(frame.rule, raw.$subject, `${opPointer}/$subject`);
    const operand = isSubjectRef(raw)
      ? undefined
      : isParamRef(raw)
        ? this.ctx.params.get(raw.$param)
        : (raw as JsonValue);
    for (const res of resolved) {
      const kind = resolvedKind(res);
      if (kind) this.operand(op, operand, kind, a.attribute, opPointer);
    }
  }

  private operand(
    op: string,
    operand: JsonValue | undefined,
    kind: ScalarKind,
    path: string,
    pointer: string,
  ): void {
    if (kind === "dynamic") return;
    const mismatch = (what: string): void =>
      this.ctx.error(pointer, "type-mismatch", `"${path}" is ${describeKind(kind)}; ${what}`);
    switch (op) {
      case "equals":
      case "notEquals":
        if (operand !== undefined && !fits(operand, kind))
          mismatch(`it cannot equal ${JSON.stringify(operand)}`);
        break;
      case "in":
      case "notIn":
        if (Array.isArray(operand)) {
          operand.forEach((v, k) => {
            if (!fits(v, kind)) {
              this.ctx.error(
                `${pointer}/${k}`,
                "type-mismatch",
                `"${path}" is ${describeKind(kind)}; ${JSON.stringify(v)} in the \`${op}\` list can never match`,
              );
            }
          });
        }
        break;
      case "matches":
      case "notMatches":
        if (kind !== "string") mismatch("`matches` tests strings");
        break;
      case "greaterThan":
      case "greaterThanOrEqual":
      case "lessThan":
      case "lessThanOrEqual":
        if (kind !== "number") mismatch(`\`${op}\` compares numbers`);
        break;
      case "length":
        if (!["string", "list", "set", "map", "tuple", "object"].includes(kind)) mismatch("it has no length");
        break;
      case "contains":
        if (kind === "number" || kind === "bool") mismatch("`contains` needs a list, map or string");
        else if (
          (kind === "string" || kind === "map") &&
          operand !== undefined &&
          typeof operand !== "string"
        ) {
          mismatch(`${JSON.stringify(operand)} is not a string`);
        }
        break;
    }
  }
}

export function typeCheckPack(pack: PolicyPack, base: CompileContext, index: SchemaIndex): Diagnostic[] {
  const checker = new Checker(base, index);
  pack.rules.forEach((rule, i) => {
    const at = `/rules/${i}`;
    const types = typeof rule.resource === "string" ? [rule.resource] : rule.resource;
    const subjects = checker.subjects(types, rule.mode ?? "managed", `${at}/resource`);
    const frame: Frame = { subjects, base: [] };
    if (rule.where) checker.assertion(rule.where, `${at}/where`, frame);
    checker.assertion(rule.require, `${at}/require`, frame);
  });
  return checker.ctx.diagnostics;
}
