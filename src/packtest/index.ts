/**
 * `runPackTests`: the library entry behind `plangate test`. Finds `*.test.yaml` files under the
 * targets, runs every case through the real pipeline and returns the report (plain data).
 * Throws `InputError` for a bad test file or pack (the CLI's exit 2).
 */
import { loadSuites, type PackLoader } from "./load.js";
import { loadPackUnderTest, type PackLoadOptions } from "./pack.js";
import { runSuites } from "./run.js";
import type { PackTestReport } from "./types.js";

export interface RunPackTestsOptions extends PackLoadOptions {
  /** Replaces the real pack loader (tests, embedding with pre-compiled packs). */
  readonly loadPack?: PackLoader;
}

export async function runPackTests(
  targets: readonly string[],
  options: RunPackTestsOptions = {},
): Promise<PackTestReport> {
  const loadPack: PackLoader = options.loadPack ?? ((path, where) => loadPackUnderTest(path, where, options));
  return runSuites(await loadSuites(targets, loadPack));
}

export { packUnderTest } from "./pack.js";
export {
  renderJson as renderPackTestJson,
  renderText as renderPackTestText,
  testExitCode as packTestExitCode,
} from "./report.js";
export type { CaseInput, PackUnderTest, Suite } from "./run.js";
export type * from "./types.js";
