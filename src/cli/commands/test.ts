/**
 * `plangate test [DIR|FILE...]`: run the test cases next to policy packs (`*.test.yaml`).
 * Exit 0 when every case passes (and, with --require-coverage, every rule has a passing and a
 * failing case); 1 on any mismatch; 2 for a bad test file or pack (file:line:column).
 */
import { runPackTests } from "../../packtest/index.js";
import { renderJson, renderText, testExitCode } from "../../packtest/report.js";
import { InputError } from "../../plan/types.js";
import { loadSchemaIndex } from "../../policy/provider-schema/index.js";
import { defineCommand } from "../command.js";

interface TestArgs {
  readonly paths: readonly string[];
  readonly "require-coverage": boolean;
  readonly format: string;
  readonly quiet: boolean;
}

export default defineCommand<TestArgs>({
  command: "test [paths..]",
  describe: "Run the test cases that sit next to policy packs",
  builder: (y) =>
    y
      .positional("paths", {
        type: "string",
        array: true,
        default: ["."],
        describe: "test files (*.test.yaml) or directories searched for them",
      })
      .option("require-coverage", {
        type: "boolean",
        default: false,
        describe: "fail when a rule has no case expecting a pass and no case expecting a fail",
      })
      .option("format", {
        type: "string",
        default: "text",
        choices: ["text", "json"],
        describe: "output format",
      })
      .option("quiet", {
        type: "boolean",
        default: false,
        describe: "text format: print failing cases and the summary only",
      }),
  handler: async (args) => {
    if (args.format !== "text" && args.format !== "json")
      throw new InputError(`unknown --format "${args.format}"`);
    const paths = args.paths.length > 0 ? args.paths : ["."];
    const report = await runPackTests(paths, { schemaIndex: loadSchemaIndex() });
    const requireCoverage = args["require-coverage"];
    process.stdout.write(
      args.format === "json"
        ? renderJson(report)
        : renderText(report, { requireCoverage, verbose: !args.quiet }),
    );
    return testExitCode(report, requireCoverage);
  },
});
