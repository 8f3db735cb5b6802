/**
 * `plangate check PLAN... [options]`: the gate. Reads the config, runs the packs over every plan,
 * renders one report in each requested format (stdout or files, written atomically) and returns
 * the exit code from `exitCode(report)`: 0 nothing blocks, 1 a blocking failure, 2 an error.
 */
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Options } from "yargs";
import { exitCode, summaryLine } from "../../check/exit.js";
import type { UnknownSetting } from "../../check/types.js";
import { toolVersion } from "../../check/version.js";
import { loadConfig } from "../../config/load.js";
import { SEVERITIES, type Severity } from "../../engine/types.js";
import { InputError } from "../../plan/types.js";
import { FORMATS, type Format, isFormat, renderChunks, SHOWS_FIXES } from "../../report/index.js";
import { sarifOmission } from "../../report/sarif.js";
import { defineCommand } from "../command.js";

/** Same codes as the dispatcher's epilogue, plus what counts as an error for `check` alone. */
const EXIT_CODES = `Exit codes:
  0  nothing blocks
  1  a blocking failure (hard-mandatory fail, soft-mandatory fail not waived, unknown set to fail,
     anything at or above --fail-on)
  2  usage, input, config or pack error; an empty gate (no rule applied to any resource) without
     --allow-empty; stale waivers with --strict-waivers`;

interface CheckArgs {
  readonly plans?: readonly string[];
  readonly pack?: readonly string[];
  readonly rule?: readonly string[];
  readonly config?: string;
  readonly "fail-on"?: Severity;
  readonly unknown?: UnknownSetting;
  readonly format?: readonly string[];
  readonly output?: string;
  readonly quiet: boolean;
  readonly "allow-empty": boolean;
  readonly "strict-waivers": boolean;
  readonly "source-dir"?: string;
  readonly "terraform-bin"?: string;
  readonly "input-kind"?: "auto" | "plan" | "config";
  readonly today?: string;
}

export interface OutputSpec {
  readonly format: Format;
  /** Undefined: stdout. */
  readonly file?: string;
}

/** `--format sarif=out.sarif,text --format json` -> specs; `--output` goes with a single bare format. */
export function parseFormats(
  values: readonly string[] | undefined,
  output: string | undefined,
): OutputSpec[] {
  const items = (values && values.length > 0 ? values : ["text"])
    .flatMap((v) => v.split(","))
    .map((s) => s.trim());
  const specs: OutputSpec[] = [];
  for (const item of items) {
    if (item === "") continue;
    const eq = item.indexOf("=");
    const name = eq < 0 ? item : item.slice(0, eq);
    const file = eq < 0 ? undefined : item.slice(eq + 1);
    if (!isFormat(name))
      throw new InputError(`--format: unknown format "${name}" (one of ${FORMATS.join(", ")})`);
    if (file === "") throw new InputError(`--format ${name}=: missing file name`);
    specs.push(file ? { format: name, file } : { format: name });
  }
  if (output !== undefined) {
    const bare = specs.filter((s) => s.file === undefined);
    if (bare.length !== 1) {
      throw new InputError(
        "--output goes with exactly one format without a file (or use --format FORMAT=FILE)",
      );
    }
    const i = specs.indexOf(bare[0] as OutputSpec);
    specs[i] = { format: (bare[0] as OutputSpec).format, file: output };
  }
  const files = specs.flatMap((s) => (s.file ? [path.resolve(s.file)] : []));
  if (new Set(files).size !== files.length) throw new InputError("--format: two formats write the same file");
  return specs;
}

/** Write through a temporary file in the same directory and rename: readers never see half a report. */
async function writeAtomic(file: string, text: string | Iterable<string>): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(tmp, text, { mode: 0o644 });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`cannot write report (${code ?? String(err)})`, file);
  }
}

function today(flag: string | undefined): string {
  if (flag === undefined) return new Date().toISOString().slice(0, 10);
  const d = new Date(`${flag}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(flag) ||
    Number.isNaN(d.getTime()) ||
    d.toISOString().slice(0, 10) !== flag
  ) {
    throw new InputError(`--today: not a date YYYY-MM-DD: ${flag}`);
  }
  return flag;
}

function useColor(): boolean {
  const env = process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return process.stdout.isTTY === true;
}

/**
 * The options of `check`, declared once: yargs builds its parser from this table, and
 * `parseFastCheckArgs` derives which names take a list, a word, a choice or nothing from it.
 */
const CHECK_OPTIONS = {
  pack: {
    type: "string",
    array: true,
    describe:
      "pack: built-in name, file, directory or npm package (repeatable; default: aws-s3, aws-iam, aws-backup)",
  },
  rule: { type: "string", array: true, describe: "run only these rule ids or globs (repeatable)" },
  config: { type: "string", describe: "config file (default: .plangate.yaml found upward from the cwd)" },
  "fail-on": {
    type: "string",
    choices: SEVERITIES,
    describe: "any failure at or above this severity blocks, whatever its enforcement (unless waived)",
  },
  unknown: {
    type: "string",
    choices: ["fail", "warn", "pass"],
    describe: "how values unknown until apply count, for every rule (overrides the config)",
  },
  format: {
    type: "string",
    array: true,
    describe: `output formats: ${FORMATS.join(", ")}; FORMAT=FILE writes a file (e.g. --format sarif=out.sarif,text)`,
  },
  output: { type: "string", describe: "file for the single format given without =FILE" },
  quiet: { type: "boolean", default: false, describe: "failures only (summary and warnings stay)" },
  "allow-empty": {
    type: "boolean",
    default: false,
    describe: "accept a run in which no rule applied to any resource (otherwise exit 2)",
  },
  "strict-waivers": {
    type: "boolean",
    default: false,
    describe: "a waiver that matched nothing (stale) is an error (exit 2)",
  },
  "source-dir": { type: "string", describe: "Terraform sources, to point annotations at .tf lines" },
  "terraform-bin": { type: "string", describe: "terraform or tofu binary for binary plan files" },
  "input-kind": {
    type: "string",
    choices: ["auto", "plan", "config"],
    describe: "read inputs as plans or as Terraform JSON configuration (default: detect by shape)",
  },
  today: { type: "string", hidden: true, describe: "the date waivers are judged against (tests)" },
} as const satisfies Record<string, Options>;

type OptionName = keyof typeof CHECK_OPTIONS;
const OPTION_NAMES = Object.keys(CHECK_OPTIONS) as OptionName[];
const spec = (name: string): (typeof CHECK_OPTIONS)[OptionName] | undefined =>
  Object.hasOwn(CHECK_OPTIONS, name) ? CHECK_OPTIONS[name as OptionName] : undefined;
const FAST_BOOLEANS = new Set(OPTION_NAMES.filter((n) => spec(n)?.type === "boolean"));

/**
 * `check` arguments without yargs, for plain command lines only: plan paths and `--name value` /
 * `--name=value` options of this command, each value a plain word. Anything else (help, short or
 * negated flags, camelCase spellings, `-` for stdin, repeated single options, an array option followed
 * by more words, which yargs would take greedily, bad choices) returns undefined and yargs parses it.
 */
export function parseFastCheckArgs(argv: readonly string[]): CheckArgs | undefined {
  const plans: string[] = [];
  const arrays: Record<string, string[]> = {};
  const singles: Record<string, string> = {};
  const flags = new Set<string>();
  const seen = new Set<string>();
  const plain = (v: string | undefined): v is string => v !== undefined && v !== "" && !v.startsWith("-");
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith("--")) {
      if (!plain(arg)) return undefined;
      plans.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const option = spec(name);
    if (option === undefined) return undefined;
    if (FAST_BOOLEANS.has(name as OptionName)) {
      // `--quiet false` and `--quiet=false` are yargs' to read.
      const next = argv[i + 1];
      if (eq >= 0 || flags.has(name) || (next !== undefined && !next.startsWith("--"))) return undefined;
      flags.add(name);
      continue;
    }
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (!plain(value)) return undefined;
    if ("array" in option && option.array) {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith("--")) return undefined;
      arrays[name] = [...(arrays[name] ?? []), value];
    } else {
      const choices: readonly string[] | undefined = "choices" in option ? option.choices : undefined;
      if (seen.has(name) || (choices && !choices.includes(value))) return undefined;
      seen.add(name);
      singles[name] = value;
    }
  }
  if (plans.length === 0) return undefined;
  return {
    plans,
    ...arrays,
    ...singles,
    quiet: flags.has("quiet"),
    "allow-empty": flags.has("allow-empty"),
    "strict-waivers": flags.has("strict-waivers"),
  } as CheckArgs;
}

export default defineCommand<CheckArgs>({
  command: "check <plans..>",
  describe: "Evaluate policy packs against plans and report (the gate)",
  builder: (y) =>
    y
      // yargs drops a lone `-` (stdin) from array positionals unless unknown options pass through as
      // arguments; the handler turns anything else that looks like an option back into an error.
      .parserConfiguration({ "unknown-options-as-args": true })
      .positional("plans", {
        type: "string",
        array: true,
        describe:
          "plan JSON (terraform show -json), binary plan, - for stdin, or Terraform JSON configuration",
      })
      .options(CHECK_OPTIONS)
      .epilogue(EXIT_CODES),
  parseFast: parseFastCheckArgs,
  handler: async (args) => {
    const strayOption = (args.plans ?? []).find((p) => /^-./.test(p));
    if (strayOption) throw new InputError(`unknown option ${strayOption} (see plangate check --help)`);
    const outputs = parseFormats(args.format, args.output);
    const cwd = process.cwd();
    const { runCheck } = await import("../../check/run.js");
    const { defaultCheckDeps } = await import("../../check/deps.js");
    const config = await loadConfig(args.config, cwd);
    const deps = defaultCheckDeps({
      cwd,
      ...(args["terraform-bin"] ? { terraformBin: args["terraform-bin"] } : {}),
      ...(args["source-dir"] ? { sourceDir: args["source-dir"] } : {}),
      ...(args["input-kind"] ? { inputKind: args["input-kind"] } : {}),
    });
    const report = await runCheck(
      {
        plans: args.plans ?? [],
        ...(args.pack ? { packs: args.pack } : {}),
        ...(args.rule ? { rules: args.rule } : {}),
        ...(config ? { config } : {}),
        ...(args["fail-on"] ? { failOn: args["fail-on"] } : {}),
        ...(args.unknown ? { unknown: args.unknown } : {}),
        strictWaivers: args["strict-waivers"],
        allowEmpty: args["allow-empty"],
        today: today(args.today),
        toolVersion: toolVersion(),
        fixes: outputs.some((o) => SHOWS_FIXES[o.format]),
      },
      deps,
    );
    let toStdout = false;
    for (const o of outputs) {
      // A SARIF past code scanning's limit keeps the most severe results: say so in the log too.
      const note = o.format === "sarif" ? sarifOmission(report) : undefined;
      if (note) process.stderr.write(`plangate: warning: ${note}\n`);
      const color = o.file === undefined && o.format === "text" && useColor();
      // In pieces: a JSON report on a big plan is larger than the plan itself.
      const chunks = renderChunks(o.format, report, { quiet: args.quiet, color });
      if (o.file) await writeAtomic(path.resolve(cwd, o.file), chunks);
      else {
        for (const chunk of chunks) {
          if (!process.stdout.write(chunk)) await once(process.stdout, "drain");
        }
        toStdout = true;
      }
    }
    // Every report went to a file: the log still gets the verdict line.
    if (!toStdout) process.stdout.write(`${summaryLine(report)}\n`);
    return exitCode(report);
  },
});
