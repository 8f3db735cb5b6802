/**
 * `plangate/cdktf`: run plangate's packs on a CDK for Terraform stack at synth time, so `cdktf synth`
 * fails on blocking failures and prints the same report as `plangate check`.
 *
 *     import { addPlangateValidation } from "plangate/cdktf";
 *     const app = new App();
 *     const stack = new MyStack(app, "prod");
 *     await addPlangateValidation(stack, { packs: ["aws-s3", "aws-iam", "aws-backup"] });
 *     app.synth();
 *
 * CDK for Terraform is archived upstream (December 2025). This module imports neither `cdktf` nor
 * `constructs` (structural types only) and the plangate CLI never loads it.
 */
import { configProblem } from "../check/exit.js";
import { type Format, render } from "../report/index.js";
import {
  blockingResults,
  type GateOptions,
  type PreparedGate,
  prepareGate,
  type StackCheck,
} from "./gate.js";
import type { CdktfStack, CdktfValidation } from "./types.js";

export type { GateOptions, StackCheck } from "./gate.js";
export { constructPaths } from "./gate.js";
export type { CdktfNode, CdktfStack, CdktfValidation } from "./types.js";

export interface PlangateCdktfOptions extends GateOptions {
  /** Report format printed at synth time (default `text`). */
  readonly format?: Format;
  /** Where the report goes (default: stderr). `() => {}` silences it; the validation errors remain. */
  readonly print?: (text: string) => void;
  /** Failures only in the report. */
  readonly quiet?: boolean;
  /** ANSI colour in the text report (default: stderr is a TTY and NO_COLOR is unset). */
  readonly color?: boolean;
}

export interface CdktfCheck extends StackCheck {
  /** The rendered report. */
  readonly output: string;
  /** One line per blocking result (and per gate configuration problem): the validation errors. */
  readonly errors: readonly string[];
}

export interface PlangateCdktf {
  /** Check a stack now (synthesizes its Terraform JSON with `toTerraform()`). */
  check(stack: CdktfStack): CdktfCheck;
  /** Check a synthesized stack document (`cdktf.out/stacks/NAME/cdk.tf.json`, `Testing.synth` output parsed). */
  checkSynthesized(doc: unknown, name: string): CdktfCheck;
  /** A validation for `stack.node.addValidation`: prints the report, returns the blocking failures. */
  validation(stack: CdktfStack): CdktfValidation;
}

function defaultPrint(text: string): void {
  process.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
}

function defaultColor(): boolean {
  return process.stderr.isTTY === true && !process.env.NO_COLOR;
}

function errorsOf(check: StackCheck): string[] {
  const out: string[] = [];
  const problem = configProblem(check.report);
  if (problem) out.push(`plangate: ${problem}`);
  for (const r of blockingResults(check.report)) {
    const where = check.constructPaths.get(r.address);
    out.push(
      `plangate ${r.rule} (${r.enforcement}, ${r.severity}): ${r.message}${where ? ` [construct ${where}]` : ""}`,
    );
  }
  return out;
}

function wrap(gate: PreparedGate, options: PlangateCdktfOptions): PlangateCdktf {
  const format = options.format ?? "text";
  const checkSynthesized = (doc: unknown, name: string): CdktfCheck => {
    const check = gate.checkDocument(doc, name);
    const color = format === "text" && (options.color ?? defaultColor());
    const output = render(format, check.report, { color, ...(options.quiet ? { quiet: true } : {}) });
    return { ...check, output, errors: errorsOf(check) };
  };
  const check = (stack: CdktfStack): CdktfCheck =>
    checkSynthesized(stack.toTerraform(), `cdktf:${stack.node.path}`);
  return {
    check,
    checkSynthesized,
    validation(stack) {
      return {
        validate() {
          const result = check(stack);
          (options.print ?? defaultPrint)(result.output);
          return [...result.errors];
        },
      };
    },
  };
}

/** Load packs and config once; check any number of stacks with the result. */
export async function createPlangate(options: PlangateCdktfOptions = {}): Promise<PlangateCdktf> {
  return wrap(await prepareGate(options), options);
}

/**
 * Add a plangate validation to a stack: `app.synth()` then prints the report and fails on blocking
 * failures (cdktf's `skipValidation: true` skips it, like every validation).
 */
export async function addPlangateValidation(
  stack: CdktfStack,
  options: PlangateCdktfOptions = {},
): Promise<PlangateCdktf> {
  const plangate = await createPlangate(options);
  stack.node.addValidation(plangate.validation(stack));
  return plangate;
}
