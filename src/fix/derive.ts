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

/** Per requirements list: the engine shares one list among the violations of a compiled assertion. */
const attributesByRequirements = new WeakMap<
  readonly Requirement[],
  { readonly attributes: JsonValue; readonly hints: readonly string[] }
>();

/** Attributes a new companion needs so that each requirement holds, plus hints for the rest. */
function companionAttributes(reqs: readonly Requirement[]): {
  readonly attributes: JsonValue;
  readonly hints: readonly string[];
} {
  const known = attributesByRequirements.get(reqs);
  if (known) return known;
  let attributes: JsonValue = {};
  const hints: string[] = [];
  for (const r of reqs) {
    const d = deriveValue(r.path, r.expected, { state: "absent" });
    if (d.kind === "set") attributes = setIn(attributes, r.path, d.value);
    else if (d.kind === "hint") hints.push(d.text);
    // "remove" on a new resource: leaving it unset already satisfies the requirement.
  }
  const derived = { attributes, hints };
  attributesByRequirements.set(reqs, derived);
  return derived;
}

/**
 * Resource names taken per module path and type, built once per model: scanning every resource
 * for each missing companion made fix derivation quadratic (75% of `check` at 10k). Keyed by the
 * resources array, which models never mutate (applyFixToModel builds a new one). Names by type,
 * not `type.name` strings: the index holds the model's own strings, none joined per resource.
 * `byModuleAddress` memoizes the lookup per module instance address, a string every resource
 * already holds, so that no key is joined per failure.
 */
type Taken = ReadonlyMap<string, ReadonlySet<string>>;
interface TakenIndex {
  readonly byModule: ReadonlyMap<string, Taken>;
  readonly byModuleAddress: Map<string, Taken>;
}
const takenByModel = new WeakMap<readonly ResourceInstance[], TakenIndex>();
const NONE_TAKEN: Taken = new Map();

function takenIndex(resources: readonly ResourceInstance[]): TakenIndex {
  const byModule = new Map<string, Map<string, Set<string>>>();
  // Resources of one module share its path array: joined once per module, not per resource.
  const joined = new Map<readonly string[], string>();
  for (const r of resources) {
    if (r.mode !== "managed") continue;
    let mod = joined.get(r.modulePath);
    if (mod === undefined) {
      mod = r.modulePath.join(".");
      joined.set(r.modulePath, mod);
    }
    let byType = byModule.get(mod);
    if (!byType) {
      byType = new Map();
      byModule.set(mod, byType);
    }
    const names = byType.get(r.type);
    if (names) names.add(r.name);
    else byType.set(r.type, new Set([r.name]));
  }
  return { byModule, byModuleAddress: new Map() };
}

/** Names taken per resource type in the module of `subject`. */
function takenNames(model: PlanModel, subject: ResourceInstance): Taken {
  let index = takenByModel.get(model.resources);
  if (!index) {
    index = takenIndex(model.resources);
    takenByModel.set(model.resources, index);
  }
  let taken = index.byModuleAddress.get(subject.moduleAddress);
  if (!taken) {
    taken = index.byModule.get(subject.modulePath.join(".")) ?? NONE_TAKEN;
    index.byModuleAddress.set(subject.moduleAddress, taken);
  }
  return taken;
}

/** Placeholders stand for the subject references while a document is printed as HCL. */
const refToken = (i: number): string => escapeHclString(`__plangate_subject_ref_${i}__`);

/**
 * A policy document a new companion holds, printed once per rule: its references to the subject
 * are placeholders, swapped in per subject by `companionDocument`.
 */
interface DocumentTemplate {
  readonly requirement: StatementRequirement;
  /** The attribute holding the document. */
  readonly attr: string;
  /** `jsonencode({...})` with `refToken(i)` for the i-th subject reference. */
  readonly text: string;
  /** The subject references: attribute path (dotted) and literal suffix, raw and escaped. */
  readonly refs: readonly { readonly path: string; readonly suffix: string; readonly escaped: string }[];
}

/** The template of a statement's document; undefined when a subject reference is no identifier path. */
function documentTemplate(s: StatementRequirement, attr: string): DocumentTemplate | undefined {
  const refs: { path: string; suffix: string; escaped: string }[] = [];
  for (const r of s.subjectResources ?? []) {
    if (!r.path.every((step) => typeof step === "string" && IDENT.test(step))) return undefined;
    // A suffix is a literal inside the template: escaped like any HCL string, quotes dropped.
    refs.push({ path: r.path.join("."), suffix: r.suffix, escaped: escapeHclString(r.suffix).slice(1, -1) });
  }
  const literal = s.statement.Resource ?? [];
  const printed = statementJson({
    ...s.statement,
    ...(literal.length + refs.length > 0
      ? { Resource: [...literal, ...refs.map((_r, i) => `__plangate_subject_ref_${i}__`)] }
      : {}),
  });
  const text = `jsonencode(${printValue({ Version: "2012-10-17", Statement: [printed] }, 1)})`;
  return { requirement: s, attr, text, refs };
}

/**
 * The policy document a new companion holds, as `jsonencode({...})` HCL, and the statement it
 * evaluates to. Resource entries from the subject become references (`aws_s3_bucket.b.arn`,
 * `"${aws_s3_bucket.b.arn}/*"`); every other string is an escaped literal (packs are untrusted).
 */
function companionDocument(t: DocumentTemplate, head: string): { text: string; statement: PolicyStatement } {
  const s = t.requirement;
  const templates = t.refs.map((r) => `\${${head}.${r.path}}${r.suffix}`);
  const literal = s.statement.Resource ?? [];
  const statement: PolicyStatement = {
    ...s.statement,
    ...(literal.length + templates.length > 0 ? { Resource: [...literal, ...templates] } : {}),
  };
  let text = t.text;
  t.refs.forEach((r, i) => {
    const ref = `${head}.${r.path}`;
    text = text.split(refToken(i)).join(r.suffix === "" ? ref : `"\${${ref}}${r.escaped}"`);
  });
  return { text, statement };
}

/**
 * What a missing companion of a rule looks like apart from its subject, worked out once per rule:
 * a plan with thousands of subjects failing one rule derived the same attributes, documents and
 * provider-required arguments thousands of times.
 */
interface CompanionPlan {
  readonly type: string;
  readonly via: string | undefined;
  readonly refAttribute: string | undefined;
  readonly statements: readonly StatementRequirement[] | undefined;
  readonly schemas: SchemaLookup | undefined;
  readonly attributes: JsonValue;
  /** Requirements no value follows for. */
  readonly reqHints: readonly string[];
  /** The `via` argument is a list: the reference goes in a one-element list. */
  readonly listVia: boolean;
  /** Documents the companion holds, in statement order. */
  readonly documents: readonly DocumentTemplate[];
  /** Statements that cannot be written as a document of their own. */
  readonly docHints: readonly string[];
  /** Required arguments neither the attributes nor the references set. */
  readonly missing: readonly string[];
}

/** Plans per requirements list (the engine shares one list per compiled assertion). */
const plansByRequirements = new WeakMap<readonly Requirement[], CompanionPlan[]>();

function companionPlan(
  v: Extract<Violation, { kind: "missing-related" }>,
  via: string,
  schemas: SchemaLookup | undefined,
): CompanionPlan {
  const plans = plansByRequirements.get(v.requirements) ?? [];
  const known = plans.find(
    (p) =>
      p.type === v.type &&
      p.via === via &&
      p.refAttribute === v.refAttribute &&
      p.statements === v.statements &&
      p.schemas === schemas,
  );
  if (known) return known;
  const { attributes, hints: reqHints } = companionAttributes(v.requirements);
  // The argument names the references of every subject get: the reference texts do not matter here.
  const references: Record<string, string> = { [via]: "" };
  const documents: DocumentTemplate[] = [];
  const docHints: string[] = [];
  for (const s of v.statements ?? []) {
    const attr = s.path[0];
    const written = s.path.length === 1 && typeof attr === "string" && IDENT.test(attr);
    const doc = written ? documentTemplate(s, attr) : undefined;
    if (!doc || Object.hasOwn(references, attr as string)) {
      docHints.push(
        `${v.type}: ${formatPath(s.path)} needs a statement like ${JSON.stringify(statementJson(s.statement))}`,
      );
      continue;
    }
    references[attr as string] = "";
    documents.push(doc);
  }
  const plan: CompanionPlan = {
    type: v.type,
    via,
    refAttribute: v.refAttribute,
    statements: v.statements,
    schemas,
    attributes,
    reqHints,
    listVia: isListPath(v.type, [via], schemas),
    documents,
    docHints,
    missing: missingRequired(v.type, attributes, references, schemas),
  };
  plans.push(plan);
  plansByRequirements.set(v.requirements, plans);
  return plan;
}

/**
 * Where a violation's edits and hints go: a result's fix collects those of all its violations, in
 * order (no list of its own per violation: tens of thousands of failures each made three).
 */
interface FixParts {
  readonly edits: FixEdit[];
  readonly hints: string[];
}

function missingRelated(
  v: Extract<Violation, { kind: "missing-related" }>,
  model: PlanModel,
  opts: DeriveOptions,
  out: FixParts,
): void {
  const subject = model.byAddress.get(v.address);
  // Every name that goes into HCL text must be an identifier: a hostile plan or pack must not be
  // able to smuggle code into a .tf file through a resource name or a `via`.
  const idents =
    subject !== undefined &&
    v.via !== undefined &&
    IDENT.test(v.type) &&
    IDENT.test(v.via) &&
    IDENT.test(v.refAttribute ?? "id") &&
    IDENT.test(subject.type) &&
    IDENT.test(subject.name);
  if (!subject || !v.via || !idents) {
    // Without the attribute that links a companion to its subject (account-wide resources, links
    // from the subject outwards), a new resource would not count: say what is needed instead.
    out.hints.push(`add a resource of type ${v.type} for ${v.address}`);
    for (const h of companionAttributes(v.requirements).hints) out.hints.push(`${v.type}: ${h}`);
    return;
  }
  const plan = companionPlan(v, v.via, opts.schemas);
  const name0 = companionName(subject.name, subject.index);
  const taken = takenNames(model, subject).get(v.type);
  let name = name0;
  for (let n = 2; taken?.has(name); n++) name = `${name0}_${n}`;
  const prefix = subject.moduleAddress ? `${subject.moduleAddress}.` : "";
  // Literal instance key: the companion is for this one instance. planPatches turns identical
  // companions of every instance into one resource with count/for_each (see README).
  const head = `${subject.type}.${subject.name}${formatKey(subject.index)}`;
  // A list/set argument (aws_backup_selection.resources) takes the reference as a one-element list.
  const ref = `${head}.${v.refAttribute ?? "id"}`;
  const references: Record<string, string> = { [v.via]: plan.listVia ? `[${ref}]` : ref };
  const documents: Record<string, PolicyStatement[]> = {};
  for (const t of plan.documents) {
    const doc = companionDocument(t, head);
    references[t.attr] = doc.text;
    documents[t.attr] = [...(documents[t.attr] ?? []), doc.statement];
  }
  const { attributes, missing } = plan;
  const edit: FixEdit = {
    op: "add-resource",
    address: `${prefix}${v.type}.${name}`,
    type: v.type,
    name,
    linkTo: v.address,
    attributes,
    references,
    ...(plan.documents.length > 0 ? { documents } : {}),
    ...(missing.length > 0 ? { required: missing } : {}),
  };
  out.edits.push(edit);
  // Named by the new resource's address, as the fix passes name what it still lacks (one hint, not two).
  for (const h of plan.reqHints) out.hints.push(`${edit.address}: ${h}`);
  for (const h of plan.docHints) out.hints.push(h);
  if (missing.length > 0)
    out.hints.push(
      `${edit.address}: set ${missing.map((m) => `\`${m}\``).join(", ")} (required by the provider; no value follows from the rule)`,
    );
}

function fromViolation(v: Violation, model: PlanModel, opts: DeriveOptions, out: FixParts): void {
  switch (v.kind) {
    case "attribute": {
      const d = deriveValue(v.path, v.expected, v.actual);
      if (d.kind === "set") {
        out.edits.push({ op: "set", address: v.address, path: v.path, value: d.value });
        return;
      }
      if (d.kind === "remove") {
        // Unsetting is no derived value: where the provider requires the argument (removing it is
        // invalid Terraform) or the pack says what to set instead (the assertion's hint), say so.
        const type = model.byAddress.get(v.address)?.type;
        const required = type !== undefined && isRequiredPath(type, v.path, opts.schemas);
        if (v.hint !== undefined || required) {
          const what = `${formatPath(v.path)} must ${describeExpectation(v.expected)}`;
          const text = v.hint ?? `${what} (the provider requires it: set another value)`;
          out.hints.push(`${v.address}: ${text}`);
        } else out.edits.push({ op: "remove", address: v.address, path: v.path });
        return;
      }
      if (d.kind === "remove-key")
        out.edits.push({ op: "remove", address: v.address, path: [...v.path, d.key] });
      else out.hints.push(`${v.address}: ${v.hint ?? d.text}`);
      return;
    }
    case "missing-related":
      missingRelated(v, model, opts, out);
      return;
    case "forbidden-related":
      out.hints.push(`remove ${v.related} (a ${v.type} linked to ${v.address})`);
      return;
    case "forbidden-resource":
      // Complete on its own: the reason shows with the violation and in the snippet.
      out.edits.push({ op: "remove-resource", address: v.address });
      return;
    case "policy-missing-statement":
      out.edits.push({ op: "add-statement", address: v.address, path: v.path, statement: v.statement });
      return;
    case "policy-forbidden-statement": {
      // The narrowed values (which actions, which resources, which ExternalId) cannot be derived:
      // the fix says what to narrow on which statement, and never invents a value.
      // 1-based in text, as a reader counts statements; the violation keeps the 0-based index.
      const where = `${v.address}: ${formatPath(v.path)} statement ${v.index + 1}`;
      const fields = Object.entries(v.narrow).filter((e): e is [string, string] => typeof e[1] === "string");
      // One hint, led by the narrowing most natural for the matcher (the narrow record is ordered
      // that way: a missing condition first, then the wildcard), the alternatives after it.
      const [lead, ...rest] = fields;
      if (!lead) {
        out.hints.push(`${where}: narrow or remove this statement`);
        return;
      }
      const others = rest.map(([field, text]) => `${field}: ${text}`).join("; ");
      const first = lead[0] === "Condition" ? lead[1] : `narrow ${lead[0]}: ${lead[1]}`;
      out.hints.push(`${where}: ${first}${others ? ` (or narrow ${others})` : ""}`);
      return;
    }
  }
}

/**
 * The list without repeats, first occurrences kept, in an array of its own size: a list grown by
 * `push` keeps room for 17 entries, and the fixes of a big plan live until the report is written.
 */
function unique(list: readonly string[]): string[] {
  // A few hints per fix: looking back is cheaper than a Set, which a long list still gets.
  if (list.length > 16) return [...new Set(list)];
  for (let i = 1; i < list.length; i++)
    if (list.lastIndexOf(list[i] as string, i - 1) >= 0) return [...new Set(list)];
  return list.slice();
}

/** The fix for one failed result; undefined for results that did not fail. */
export function deriveFix(result: RuleResult, model: PlanModel, opts: DeriveOptions = {}): Fix | undefined {
  if (result.status !== "fail") return undefined;
  // The rule's own hint leads: it is what the pack author wants a reader to see first.
  const out: FixParts = { edits: [], hints: result.hint ? [result.hint] : [] };
  for (const v of result.violations) fromViolation(v, model, opts, out);
  // Own-sized copies, as `unique` makes (an empty list needs none).
  const edits = out.edits.length > 0 ? out.edits.slice() : out.edits;
  const hints = out.hints.length > 0 ? unique(out.hints) : out.hints;
  const hcl = opts.hcl === false ? undefined : renderHcl({ edits }, model, result.violations);
  return hcl ? { edits, hints, hcl } : { edits, hints };
}

/**
 * The result with its fix. Object.assign, not `{ ...r, fix }`: V8 gave the spread copy of a
 * result plus one property a backing store of ~690 bytes, against ~195 (measured at 50k, where
 * 43k results carry a fix).
 */
export function withFix(r: RuleResult, fix: Fix): RuleResult {
  return Object.assign({}, r, { fix });
}

/** Every failed result gets a `fix`; other results pass through unchanged. Pure. */
export function deriveFixes(
  results: readonly RuleResult[],
  model: PlanModel,
  opts: DeriveOptions = {},
): RuleResult[] {
  return results.map((r) => {
    const fix = deriveFix(r, model, opts);
    return fix ? withFix(r, fix) : r;
  });
}

/**
 * Why a failed result's fix is partial: constraints no value could be derived for, companions
 * without a link or missing a required argument (with `schemas`). Empty: applying the fix's edits
 * makes the rule's violations go away.
 */
export function fixGaps(result: RuleResult, model: PlanModel, schemas?: SchemaLookup): string[] {
  if (result.status !== "fail") return [];
  // With schemas, a companion missing a required argument comes back as a hint too.
  const out: FixParts = { edits: [], hints: [] };
  for (const v of result.violations) fromViolation(v, model, { schemas }, out);
  return unique(out.hints);
}
