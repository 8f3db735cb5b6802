import type { Argv } from "yargs";

/**
 * One CLI command. Each lives in `src/cli/commands/<name>.ts` and is imported only when it runs,
 * so `plangate check` never loads the code of `fix`, `docs` or `compile`.
 */
export interface CommandSpec<A = Record<string, unknown>> {
  /** yargs command string, e.g. `check <plans..>`. */
  readonly command: string;
  readonly describe: string;
  readonly builder: (y: Argv) => Argv<A>;
  /** Returns the process exit code. Throws `InputError` for user errors (exit 2). */
  readonly handler: (args: A) => Promise<number>;
  /**
   * Optional fast path: the arguments after the command name -> the same args yargs would give the
   * handler, or undefined for anything but the plainest shapes (then yargs parses, validates and
   * reports). Loading yargs and rendering its help cache is a third of a small `check`'s start-up.
   */
  readonly parseFast?: (argv: readonly string[]) => A | undefined;
}

export function defineCommand<A>(spec: CommandSpec<A>): CommandSpec<A> {
  return spec;
}
