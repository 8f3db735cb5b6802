// @ts-check
/**
 * The floor under any `check` that must produce a given report: a fresh process that reads and
 * parses the plan, then serialises the report plangate printed for it and writes it to stdout,
 * with no evaluation in between. run.mjs runs it beside the bare parse and the check, the same
 * way (its wall time, stdout into a pipe), and takes off the time this process spends loading the
 * report it serialises, which it prints on stderr: a real check builds the report instead.
 *
 * Usage: node --expose-gc bench/floor.mjs PLAN.json REPORT.json
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const [plan, reportFile] = process.argv.slice(2);
if (!plan || !reportFile) {
  process.stderr.write("usage: node bench/floor.mjs PLAN.json REPORT.json\n");
  process.exit(2);
}
const l0 = performance.now();
const report = JSON.parse(readFileSync(reportFile, "utf8"));
// Run with --expose-gc: the report's text is garbage now, and collecting it belongs to loading.
/** @type {{ gc?: () => void }} */ (globalThis).gc?.();
process.stderr.write(`${(performance.now() - l0).toFixed(1)}\n`);
JSON.parse(readFileSync(plan, "utf8"));
// As the JSON reporter ends it: with a newline.
process.stdout.write(JSON.stringify(report));
process.stdout.write("\n");
