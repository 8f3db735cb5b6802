// @ts-check
/**
 * Where `plangate check` spends its time, stage by stage, in one process: the real stages of
 * `defaultCheckDeps()` driven by `runCheck`, each wrapped in a timer, then the JSON reporter.
 * Complements run.mjs (which measures whole fresh processes): use it to see which stage dominates.
 *
 * Usage: node bench/stages.mjs PLAN.json [--dist DIR] [--format json]
 *   --dist  the built library to measure (default: ./dist)
 */

import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const plan = args[0];
if (!plan) {
  process.stderr.write("usage: node bench/stages.mjs PLAN.json [--dist DIR] [--format json]\n");
  process.exit(2);
}
const dist = resolve(String(opt("dist", "dist")));
const format = String(opt("format", "json"));
const t0 = performance.now();
const imp = (p) => import(pathToFileURL(resolve(dist, p)).href);
const { runCheck } = await imp("check/run.js");
const { defaultCheckDeps } = await imp("check/deps.js");
const { render, renderChunks } = await imp("report/index.js");
const rows = [["import", performance.now() - t0]];

/** With `node --expose-gc`: also the live heap after each stage (forces a full GC, slows the run). */
const gc = /** @type {(() => void) | undefined} */ (globalThis.gc);
/**
 * A stage called inside another (the fix passes evaluate again) is reported on its own row,
 * `inner (in outer)`, and its time is taken out of the outer stage's, so rows add up.
 */
const stack = [];
const done = (frame) => {
  stack.pop();
  const ms = performance.now() - frame.start;
  const parent = stack[stack.length - 1];
  if (parent) parent.inner += ms;
  const name = parent ? `${frame.name} (in ${parent.name})` : frame.name;
  const row = rows.find(([n]) => n === name);
  if (row) row[1] += ms - frame.inner;
  else rows.push([name, ms - frame.inner]);
  if (gc && !parent) {
    gc();
    rows.push([`(live heap after ${name})`, process.memoryUsage().heapUsed / 1e6]);
  }
};
/** @type {<F extends (...a: any[]) => any>(name: string, f: F) => F} */
const timed = (name, f) =>
  /** @type {any} */ (
    (...a) => {
      const frame = { name, start: performance.now(), inner: 0 };
      stack.push(frame);
      const out = f(...a);
      if (out instanceof Promise) return out.finally(() => done(frame));
      done(frame);
      return out;
    }
  );
const deps = defaultCheckDeps({ cwd: process.cwd() });
const wrapped = {
  ...deps,
  readPlan: timed("read plan + model + links", deps.readPlan),
  loadPacks: timed("load + compile packs", deps.loadPacks),
  evaluate: timed("evaluate", deps.evaluate),
  deriveFixes: timed("derive fixes", deps.deriveFixes),
};
const s = performance.now();
const report = await runCheck({ plans: [plan], today: "2026-01-01", toolVersion: "bench" }, wrapped);
const total = performance.now() - s;
const staged = rows
  .slice(1)
  .filter(([name]) => !name.startsWith("("))
  .reduce((a, [, ms]) => a + ms, 0);
rows.push(["mask + locations + assemble report", total - staged]);
const r0 = performance.now();
// As `check` writes it: in pieces where the build has them (each piece dropped once "written").
let bytes = 0;
for (const chunk of renderChunks ? renderChunks(format, report, {}) : [render(format, report, {})])
  bytes += chunk.length;
rows.push([`render ${format}`, performance.now() - r0]);
rows.push(["(output MB)", bytes / 1e6]);
const mem = process.memoryUsage();
for (const [name, v] of rows)
  process.stderr.write(
    `${name.padEnd(36)} ${v.toFixed(name.startsWith("(") ? 1 : 0).padStart(8)}${name.startsWith("(") ? " MB" : " ms"}\n`,
  );
process.stderr.write(
  `${"heap used / rss".padEnd(36)} ${(mem.heapUsed / 2 ** 20).toFixed(0)} / ${(mem.rss / 2 ** 20).toFixed(0)} MiB; peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB\n`,
);
