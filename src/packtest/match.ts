/**
 * Expected vs actual: does each expectation of a case hold for the results its plan produced?
 * Only the fields an expectation states are compared; fixes, attributes and statements as subsets.
 */
import type { FixEdit, RuleResult } from "../engine/types.js";
import type { JsonValue } from "../plan/types.js";
import { formatPath } from "../plan/values.js";
import { parseTestPath } from "./synth.js";
import type { ExpectationOutcome, ExpectedFixEdit, ExpectedResult, Mismatch } from "./types.js";

/** Deep subset: every key of `expected` holds in `actual`; arrays element by element. */
export function isSubset(expected: JsonValue | undefined, actual: JsonValue | undefined): boolean {
  if (expected === undefined) return true;
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      expected.length <= actual.length &&
      expected.every((e, i) => isSubset(e, actual[i]))
    );
  }
  if (typeof expected === "object" && expected !== null) {
    if (typeof actual !== "object" || actual === null || Array.isArray(actual)) return false;
    return Object.keys(expected).every((k) => Object.hasOwn(actual, k) && isSubset(expected[k], actual[k]));
  }
  return expected === actual;
}

function normalizePath(text: string): string {
  const steps = parseTestPath(text);
  return steps ? formatPath(steps) : text;
}

/** The fields of an actual edit an expectation can name, in the test file's vocabulary. */
function editView(edit: FixEdit): Record<string, JsonValue> {
  const view: Record<string, JsonValue> = { op: edit.op, address: edit.address };
  if ("path" in edit) view.path = formatPath(edit.path);
  if (edit.op === "set") view.value = edit.value;
  if (edit.op === "add-resource") {
    view.type = edit.type;
    view.linkTo = edit.linkTo;
    view.attributes = edit.attributes;
    view.references = { ...edit.references };
  }
  if (edit.op === "add-statement" || edit.op === "replace-statement") {
    view.statement = JSON.parse(JSON.stringify(edit.statement)) as JsonValue;
  }
  return view;
}

function editMatches(expected: ExpectedFixEdit, actual: FixEdit): boolean {
  const view = editView(actual);
  const { path, ...rest } = expected;
  if (path !== undefined && normalizePath(path) !== view.path) return false;
  return isSubset(rest as unknown as JsonValue, view);
}

function compareFields(e: ExpectedResult, r: RuleResult): Mismatch[] {
  const out: Mismatch[] = [];
  if (e.status !== r.status) out.push({ field: "status", expected: e.status, actual: r.status });
  if (e.unknowns) {
    const actual = r.unknowns.map((u) => ({ address: u.address, path: formatPath(u.path) }));
    const missing = e.unknowns.filter(
      (x) =>
        !actual.some(
          (a) => a.path === normalizePath(x.path) && (x.address === undefined || x.address === a.address),
        ),
    );
    if (missing.length > 0) out.push({ field: "unknowns", expected: missing, actual });
  }
  if (e.related) {
    const missing = e.related.filter((a) => !r.related.includes(a));
    if (missing.length > 0) out.push({ field: "related", expected: missing, actual: [...r.related] });
  }
  if (e.message !== undefined && !r.message.includes(e.message)) {
    out.push({ field: "message", expected: e.message, actual: r.message });
  }
  if (e.fix) {
    const edits = r.fix?.edits ?? [];
    const missing = e.fix.filter((x) => !edits.some((a) => editMatches(x, a)));
    if (missing.length > 0) {
      out.push({
        field: "fix",
        expected: missing as unknown as JsonValue,
        actual: edits.map(editView),
      });
    }
  }
  if (e.hints) {
    const hints = r.fix?.hints ?? [];
    const missing = e.hints.filter((h) => !hints.some((a) => a.includes(h)));
    if (missing.length > 0) out.push({ field: "hints", expected: missing, actual: [...hints] });
  }
  return out;
}

/**
 * Check each expectation against the results. `addresses` are the plan's addresses: an expectation
 * about an address the plan does not have is a typo, reported as such rather than as a status.
 */
export function matchExpectations(
  expectations: readonly ExpectedResult[],
  results: readonly RuleResult[],
  addresses: ReadonlySet<string>,
): ExpectationOutcome[] {
  const byKey = new Map<string, RuleResult>();
  for (const r of results) byKey.set(`${r.rule}\u0000${r.address}`, r);
  return expectations.map((e) => {
    const r = byKey.get(`${e.rule}\u0000${e.address}`);
    let mismatches: Mismatch[];
    if (r) mismatches = compareFields(e, r);
    else if (!addresses.has(e.address)) {
      mismatches = [{ field: "result", expected: e.status, actual: `no resource ${e.address} in the plan` }];
    } else if (e.status === "not_applicable") mismatches = [];
    else
      mismatches = [
        { field: "result", expected: e.status, actual: "(no result: not a subject of this rule)" },
      ];
    return { rule: e.rule, address: e.address, where: e.where, ok: mismatches.length === 0, mismatches };
  });
}
