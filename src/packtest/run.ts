/**
 * Run the cases of one test file against its pack. Pure: plans arrive as models (or as the error
 * that kept them from loading) and the pack as an evaluator; `load.ts` does the reading.
 */
import type { RuleResult } from "../engine/types.js";
import { InputError, type PlanModel } from "../plan/types.js";
import { ruleCoverage } from "./coverage.js";
import { matchExpectations } from "./match.js";
import type { CaseOutcome, PackTestReport, ParamValues, RuleCoverage, TestCase, TestFile } from "./types.js";

/** A compiled pack, as the runner needs it. */
export interface PackUnderTest {
  /** `metadata.name`. */
  readonly name: string;
  readonly rules: readonly string[];
  /**
   * Results of the pack on the model, with `params` over the pack's defaults (the real pipeline:
   * compile with params -> evaluate -> deriveFixes when `withFixes`). Throws `InputError` when the
   * params do not compile.
   */
  evaluate(model: PlanModel, params: ParamValues, withFixes: boolean): readonly RuleResult[];
}

/** A case with its plan loaded, or the reason it could not be. */
export interface CaseInput {
  readonly testCase: TestCase;
  readonly model?: PlanModel;
  readonly error?: string;
}

export interface Suite {
  readonly file: TestFile;
  readonly pack: PackUnderTest;
  readonly inputs: readonly CaseInput[];
}

/** Expectations naming a rule the pack does not have are test-file errors (exit 2), not mismatches. */
export function checkRuleIds(file: TestFile, pack: PackUnderTest): void {
  const known = new Set(pack.rules);
  for (const c of file.cases) {
    for (const e of c.expect) {
      if (!known.has(e.rule)) {
        throw new InputError(`rule "${e.rule}" is not in pack ${pack.name} (${file.pack})`, e.where);
      }
    }
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

export function runCase(input: CaseInput, file: string, pack: PackUnderTest): CaseOutcome {
  const c = input.testCase;
  const base = { file, name: c.name, where: c.where };
  const failAll = (error: string): CaseOutcome => ({ ...base, ok: false, expectations: [], error });
  if (!input.model) return failAll(input.error ?? "no plan");
  let results: readonly RuleResult[];
  try {
    results = pack.evaluate(
      input.model,
      c.params,
      c.expect.some((e) => e.fix || e.hints),
    );
  } catch (err) {
    // Parameters the pack rejects are the test file's mistake (exit 2); anything else fails this case
    // and lets the others run.
    if (err instanceof InputError) throw new InputError(`case "${c.name}": ${err.oneLine()}`, c.where);
    return failAll(errorText(err));
  }
  const addresses = new Set(input.model.resources.map((r) => r.address));
  const expectations = matchExpectations(c.expect, results, addresses);
  return { ...base, ok: expectations.every((e) => e.ok), expectations };
}

export function runSuite(suite: Suite): CaseOutcome[] {
  checkRuleIds(suite.file, suite.pack);
  return suite.inputs.map((input) => runCase(input, suite.file.file, suite.pack));
}

/** Run every suite and tally coverage per pack (several test files may test one pack). */
export function runSuites(suites: readonly Suite[]): PackTestReport {
  const cases = suites.flatMap(runSuite);
  const byPack = new Map<string, { pack: PackUnderTest; files: TestFile[] }>();
  for (const s of suites) {
    const entry = byPack.get(s.file.pack) ?? { pack: s.pack, files: [] };
    entry.files.push(s.file);
    byPack.set(s.file.pack, entry);
  }
  const coverage: RuleCoverage[] = [...byPack.values()].flatMap(({ pack, files }) =>
    ruleCoverage({ pack: pack.name, rules: pack.rules }, files),
  );
  const failed = cases.filter((c) => !c.ok).length;
  return {
    cases,
    coverage,
    summary: {
      files: suites.length,
      cases: cases.length,
      passed: cases.length - failed,
      failed,
      expectations: cases.reduce((n, c) => n + c.expectations.length, 0),
      uncoveredRules: coverage.filter((r) => !r.covered).length,
    },
  };
}
