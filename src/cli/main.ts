/**
 * CLI dispatcher. It imports only the module of the command being run (start-up time matters in
 * pre-commit hooks and CI gates), then lets yargs parse that command's options.
 */
import { InputError } from "../plan/types.js";
import { printable } from "../safety/text.js";
import type { CommandSpec } from "./command.js";

/** Command name -> one-line description (shown by `--help` without loading every command). */
export const COMMANDS = {
  check: "Evaluate policy packs against plans and report (the gate)",
  inspect: "Show the resources, unknown/sensitive paths and links plangate sees in a plan",
  fix: "Print (or --write) the changes that make failing resources compliant",
  validate: "Validate policy packs (schema, attribute paths, operators, regexes)",
  compile: "Compile a policy pack into an ES module that loads without YAML or schema compilation",
  test: "Run the test cases that sit next to policy packs",
  rules: "List the rules of the loaded packs",
  explain: "Print the documentation of one rule",
  docs: "Render packs as Markdown pages",
  schema: "Import provider schemas (`terraform providers schema -json`) for type-checked packs",
} as const;

export type CommandName = keyof typeof COMMANDS;

const EXIT_CODES_HELP = `Exit codes:
  0  nothing blocks
  1  a blocking failure (hard-mandatory fail, soft-mandatory fail not waived, unknown set to fail,
     anything at or above --fail-on)
  2  usage, input, config or pack error`;

function isCommand(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}

async function loadCommand(name: CommandName): Promise<CommandSpec> {
  const mod = (await import(`./commands/${name}.js`)) as { default: CommandSpec };
  return mod.default;
}

function printError(err: unknown): number {
  if (err instanceof InputError) {
    process.stderr.write(`plangate: error: ${err.oneLine()}\n`);
    return 2;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`plangate: internal error: ${printable(message.split("\n")[0] ?? "")}\n`);
  if (process.env.PLANGATE_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  return 2;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const first = argv[0];
    if (isCommand(first)) {
      const spec = await loadCommand(first);
      const fast = spec.parseFast?.(argv.slice(1));
      if (fast) return await spec.handler(fast);
    }
    const { default: yargs } = await import("yargs");
    let y = yargs([...argv])
      .scriptName("plangate")
      .usage("Usage: plangate <command> [options]")
      .strict()
      .epilogue(EXIT_CODES_HELP)
      .version(false)
      .help()
      .wrap(110)
      .exitProcess(false)
      .fail((msg, err) => {
        throw err ?? new InputError(msg);
      });
    let exitCode: number | undefined;
    const names = Object.keys(COMMANDS) as CommandName[];
    for (const name of names) {
      if (name === first) {
        const spec = await loadCommand(name);
        y = y.command(spec.command, spec.describe, spec.builder, async (args) => {
          exitCode = await spec.handler(args);
        });
      } else {
        // Describe-only entry: listed in --help, loaded only when run.
        y = y.command(name, COMMANDS[name]);
      }
    }
    if (!isCommand(first) && first !== undefined && !first.startsWith("-")) {
      throw new InputError(`unknown command "${first}" (see plangate --help)`);
    }
    await y.demandCommand(1, "a command is required (see plangate --help)").parseAsync();
    return exitCode ?? 0;
  } catch (err) {
    return printError(err);
  }
}
