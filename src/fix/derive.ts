/**
 * Failed results -> structured fixes. Each fix is computed from the typed violation (the params of
 * the assertion that failed), never from rule text; the rule's `hint` is added where no value follows.
 */

import type {
  Fix,
  FixEdit,
  PolicyStatement,
  Requirement,
  RuleResult,
  StatementRequirement,
  Violation,
} from "../engine/types.js";
import { formatKey } from "../plan/address.js";
import type { JsonValue, PlanModel, ResourceInstance } from "../plan/types.js";
import { formatPath } from "../plan/values.js";
import { deriveValue, describeExpectation } from "./expect.js";
import { escapeHclString, printValue } from "./hcl.js";
import { setIn } from "./paths.js";
import { isListPath, isRequiredPath, missingRequired, type SchemaLookup } from "./required.js";
import { renderHcl } from "./snippet.js";
import { statementJson } from "./statement.js";

export interface DeriveOptions {
  /** Provider schemas: a new companion's required arguments that no rule sets become hints. */
  readonly schemas?: SchemaLookup | undefined;
  /**
   * false: leave out the rendered HCL (fix passes derive a fix per pass and render only the
   * final one; rendering each pass's was a fifth of the fix stage on big plans).
   */
  readonly hcl?: boolean;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A resource name from a subject name and instance key: `this` + `"logs"` -> `this_logs`. */
export function companionName(name: string, key: string | number | undefined): string {
  if (key === undefined) return name;
  const suffix = String(key)
    .replace(/[^A-Za-z0-9_-]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return suffix === "" ? name : `${name}_${suffix}`;
}

/** Attributes a new companion needs so that each requirement holds, plus hints for the rest. */
function companionAttributes(reqs: readonly Requirement[]): { attributes: JsonValue; hints: string[] } {
  let attributes: JsonValue = {};
  const hints: string[] = [];
  for (const r of reqs) {
    const d = deriveValue(r.path, r.expected, { state: "absent" });
    if (d.kind === "set") attributes = setIn(attributes, r.path, d.value);
    else if (d.kind === "hint") hints.push(d.text);
    // "remove" on a new resource: leaving it unset already satisfies the requirement.
  }
  return { attributes, hints };
}

/**
 * Config addresses (`type.name`) taken per module path, built once per model: scanning every
 * resource for each missing companion made fix derivation quadratic (75% of `check` at 10k).
 * Keyed by the resources array, which models never mutate (applyFixToModel builds a new one).
 */
const takenByModel = new WeakMap<readonly ResourceInstance[], Map<string, Set<string>>>();

/** Config addresses (`type.name`) taken in the module of `subject`. */
function takenNames(model: PlanModel, subject: ResourceInstance): ReadonlySet<string> {
  let byModule = takenByModel.get(model.resources);
  if (!byModule) {
    byModule = new Map();
    for (const r of model.resources) {
      if (r.mode !== "managed") continue;
      const mod = r.modulePath.join(".");
      const taken = byModule.get(mod) ?? new Set<string>();
      taken.add(`${r.type}.${r.name}`);
      byModule.set(mod, taken);
    }
    takenByModel.set(model.resources, byModule);
  }
  return byModule.get(subject.modulePath.join(".")) ?? new Set();
}

/**
 * The policy document a new companion holds, as `jsonencode({...})` HCL, and the statement it
 * evaluates to. Resource entries from the subject become references (`aws_s3_bucket.b.arn`,
 * `"${aws_s3_bucket.b.arn}/*"`); every other string is an escaped literal (packs are untrusted).
 */
function companionDocument(
  s: StatementRequirement,
  head: string,
): { text: string; statement: PolicyStatement } | undefined {
  const refs: string[] = [];
  const templates: string[] = [];
  for (const r of s.subjectResources ?? []) {
    if (!r.path.every((step) => typeof step === "string" && IDENT.test(step))) return undefined;
    const ref = `${head}.${r.path.join(".")}`;
    templates.push(`\${${ref}}${r.suffix}`);
    // A suffix is a literal inside the template: escaped like any HCL string, quotes dropped.
    refs.push(r.suffix === "" ? ref : `"\${${ref}}${escapeHclString(r.suffix).slice(1, -1)}"`);
  }
  const literal = s.statement.Resource ?? [];
  const statement: PolicyStatement = {
    ...s.statement,
    ...(literal.length + templates.length > 0 ? { Resource: [...literal, ...templates] } : {}),
  };
  // Placeholders stand for the references while the JSON is printed as HCL, then are swapped in.
  const token = (i: number): string => `__plangate_subject_ref_${i}__`;
  const printed = statementJson({
    ...s.statement,
    ...(literal.length + refs.length > 0 ? { Resource: [...literal, ...refs.map((_r, i) => token(i))] } : {}),
  });
  let text = `jsonencode(${printValue({ Version: "2012-10-17", Statement: [printed] }, 1)})`;
  refs.forEach((ref, i) => {
    text = text.split(escapeHclString(token(i))).join(ref);
  });
  return { text, statement };
}

function missingRelated(
  v: Extract<Violation, { kind: "missing-related" }>,
  model: PlanModel,
  opts: DeriveOptions,
) {
  const subject = model.byAddress.get(v.address);
  const { attributes, hints: reqHints } = companionAttributes(v.requirements);
  const prefixed = reqHints.map((h) => `${v.type}: ${h}`);
  // Every name that goes into HCL text must be an identifier: a hostile plan or pack must not be
  // able to smuggle code into a .tf file through a resource name or a `via`.
  const idents = [v.type, v.via, v.refAttribute ?? "id", subject?.type, subject?.name];
  if (!subject || !v.via || !idents.every((x) => x !== undefined && IDENT.test(x))) {
    // Without the attribute that links a companion to its subject (account-wide resources, links
    // from the subject outwards), a new resource would not count: say what is needed instead.
    return { edits: [], hints: [`add a resource of type ${v.type} for ${v.address}`, ...prefixed] };
  }
  const name0 = companionName(subject.name, subject.index);
  const taken = takenNames(model, subject);
  let name = name0;
  for (let n = 2; taken.has(`${v.type}.${name}`); n++) name = `${name0}_${n}`;
  const prefix = subject.moduleAddress ? `${subject.moduleAddress}.` : "";
  // Literal instance key: the companion is for this one instance. planPatches turns identical
  // companions of every instance into one resource with count/for_each (see README).
  const head = `${subject.type}.${subject.name}${formatKey(subject.index)}`;
  // A list/set argument (aws_backup_selection.resources) takes the reference as a one-element list.
  const ref = `${head}.${v.refAttribute ?? "id"}`;
  const references: Record<string, string> = {
    [v.via]: isListPath(v.type, [v.via], opts.schemas) ? `[${ref}]` : ref,
  };
  const documents: Record<string, PolicyStatement[]> = {};
  const docHints: string[] = [];
  for (const s of v.statements ?? []) {
    const attr = s.path[0];
    const written = s.path.length === 1 && typeof attr === "string" && IDENT.test(attr);
    const doc = written ? companionDocument(s, head) : undefined;
    if (!doc || Object.hasOwn(references, attr as string)) {
      docHints.push(
        `${v.type}: ${formatPath(s.path)} needs a statement like ${JSON.stringify(statementJson(s.statement))}`,
      );
      continue;
    }
    references[attr as string] = doc.text;
    documents[attr as string] = [...(documents[attr as string] ?? []), doc.statement];
  }
  const missing = missingRequired(v.type, attributes, references, opts.schemas);
  const edit: FixEdit = {
    op: "add-resource",
    address: `${prefix}${v.type}.${name}`,
    type: v.type,
    name,
    linkTo: v.address,
    attributes,
    references,
    ...(Object.keys(documents).length > 0 ? { documents } : {}),
    ...(missing.length > 0 ? { required: missing } : {}),
  };
  const required = missing.length
    ? [
        `${edit.address}: set ${missing.map((m) => `\`${m}\``).join(", ")} (required by the provider; no value follows from the rule)`,
      ]
    : [];
  // Named by the new resource's address, as the fix passes name what it still lacks (one hint, not two).
  const own = reqHints.map((h) => `${edit.address}: ${h}`);
  return { edits: [edit], hints: [...own, ...docHints, ...required] };
}

function fromViolation(
  v: Violation,
  model: PlanModel,
  opts: DeriveOptions = {},
): { edits: FixEdit[]; hints: string[] } {
  switch (v.kind) {
    case "attribute": {
      const d = deriveValue(v.path, v.expected, v.actual);
      if (d.kind === "set")
        return { edits: [{ op: "set", address: v.address, path: v.path, value: d.value }], hints: [] };
      if (d.kind === "remove") {
        // Unsetting is no derived value: where the provider requires the argument (removing it is
        // invalid Terraform) or the pack says what to set instead (the assertion's hint), say so.
        const type = model.byAddress.get(v.address)?.type;
        const required = type !== undefined && isRequiredPath(type, v.path, opts.schemas);
        if (v.hint !== undefined || required) {
          const what = `${formatPath(v.path)} must ${describeExpectation(v.expected)}`;
          const text = v.hint ?? `${what} (the provider requires it: set another value)`;
          return { edits: [], hints: [`${v.address}: ${text}`] };
        }
        return { edits: [{ op: "remove", address: v.address, path: v.path }], hints: [] };
      }
      if (d.kind === "remove-key") {
        return { edits: [{ op: "remove", address: v.address, path: [...v.path, d.key] }], hints: [] };
      }
      return { edits: [], hints: [`${v.address}: ${v.hint ?? d.text}`] };
    }
    case "missing-related":
      return missingRelated(v, model, opts);
    case "forbidden-related":
      return { edits: [], hints: [`remove ${v.related} (a ${v.type} linked to ${v.address})`] };
    case "forbidden-resource":
      // Complete on its own: the reason shows with the violation and in the snippet.
      return { edits: [{ op: "remove-resource", address: v.address }], hints: [] };
    case "policy-missing-statement":
      return {
        edits: [{ op: "add-statement", address: v.address, path: v.path, statement: v.statement }],
        hints: [],
      };
    case "policy-forbidden-statement": {
      // The narrowed values (which actions, which resources, which ExternalId) cannot be derived:
      // the fix says what to narrow on which statement, and never invents a value.
      // 1-based in text, as a reader counts statements; the violation keeps the 0-based index.
      const where = `${v.address}: ${formatPath(v.path)} statement ${v.index + 1}`;
      const fields = Object.entries(v.narrow).filter((e): e is [string, string] => typeof e[1] === "string");
      // One hint, led by the narrowing most natural for the matcher (the narrow record is ordered
      // that way: a missing condition first, then the wildcard), the alternatives after it.
      const [lead, ...rest] = fields;
      if (!lead) return { edits: [], hints: [`${where}: narrow or remove this statement`] };
      const others = rest.map(([field, text]) => `${field}: ${text}`).join("; ");
      const first = lead[0] === "Condition" ? lead[1] : `narrow ${lead[0]}: ${lead[1]}`;
      return { edits: [], hints: [`${where}: ${first}${others ? ` (or narrow ${others})` : ""}`] };
    }
  }
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}

/** The fix for one failed result; undefined for results that did not fail. */
export function deriveFix(result: RuleResult, model: PlanModel, opts: DeriveOptions = {}): Fix | undefined {
  if (result.status !== "fail") return undefined;
  const edits: FixEdit[] = [];
  const hints: string[] = [];
  for (const v of result.violations) {
    const f = fromViolation(v, model, opts);
    edits.push(...f.edits);
    hints.push(...f.hints);
  }
  // The rule's own hint leads: it is what the pack author wants a reader to see first.
  if (result.hint) hints.unshift(result.hint);
  const hcl = opts.hcl === false ? undefined : renderHcl({ edits }, model, result.violations);
  return { edits, hints: unique(hints), ...(hcl ? { hcl } : {}) };
}

/** Every failed result gets a `fix`; other results pass through unchanged. Pure. */
export function deriveFixes(
  results: readonly RuleResult[],
  model: PlanModel,
  opts: DeriveOptions = {},
): RuleResult[] {
  return results.map((r) => {
    const fix = deriveFix(r, model, opts);
    return fix ? { ...r, fix } : r;
  });
}

/**
 * Why a failed result's fix is partial: constraints no value could be derived for, companions
 * without a link or missing a required argument (with `schemas`). Empty: applying the fix's edits
 * makes the rule's violations go away.
 */
export function fixGaps(result: RuleResult, model: PlanModel, schemas?: SchemaLookup): string[] {
  if (result.status !== "fail") return [];
  const gaps: string[] = [];
  for (const v of result.violations) {
    // With schemas, a companion missing a required argument comes back as a hint too.
    gaps.push(...fromViolation(v, model, { schemas }).hints);
  }
  return unique(gaps);
}
