// @ts-check
/**
 * Benchmark harness (`npm run bench`): for each plan size, the time and peak RSS of a bare
 * `JSON.parse` of the file in a fresh node process against `plangate check FILE --format json`
 * with all built-in packs in a fresh process, their ratios, and result counts; and the floor under
 * any check that writes the same report (bench/floor.mjs: read and parse the plan, serialise and
 * write the report, evaluate nothing) with its ratio to the bare parse. Several runs; the
 * median is quoted with min–max, since these machines are noisy. Ratios come from one run of the
 * harness (both sides measured interleaved).
 *
 * Usage: node bench/run.mjs [--sizes 1000,10000,50000] [--runs 5] [--bin PATH] [--write]
 *   --bin    the CLI to measure (default: bin/plangate.js, i.e. ./dist): compare two builds
 *   --write  also writes the table to bench/RESULTS.md
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generatePlan } from "./generate.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const sizes = String(opt("sizes", "1000,10000,50000")).split(",").map(Number);
const runs = Number(opt("runs", "5"));
const hook = join(root, "bench", "maxrss.mjs");
const bin = resolve(String(opt("bin", join(root, "bin", "plangate.js"))));

/** Runs a node process; returns wall ms, CPU ms (user + system), peak RSS MiB, exit code, stdout. */
function measure(nodeArgs) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--import", hook, ...nodeArgs], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe", "pipe"],
    maxBuffer: 1 << 30,
    encoding: "utf8",
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const [rssKiB, cpuUs] = String(r.output[3] ?? "")
    .trim()
    .split(" ")
    .map(Number);
  return {
    ms,
    cpuMs: (cpuUs ?? Number.NaN) / 1000,
    rssMiB: (rssKiB ?? Number.NaN) / 1024,
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (xs, digits = 0) =>
  `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;

/** Counts statuses in the JSON report, whatever its nesting (results grouped by plan or flat). */
function countStatuses(stdout) {
  const counts = {};
  const walk = (v) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      if (typeof v.status === "string" && typeof v.rule === "string")
        counts[v.status] = (counts[v.status] ?? 0) + 1;
      else Object.values(v).forEach(walk);
    }
  };
  try {
    walk(JSON.parse(stdout));
  } catch {
    return { error: "output is not JSON" };
  }
  return counts;
}

mkdirSync(join(root, "bench", "out"), { recursive: true });
const rows = [];
for (const size of sizes) {
  const file = join(root, "bench", "out", `plan-${size}.json`);
  if (!existsSync(file)) await generatePlan(size, file);
  const plan = JSON.parse(readFileSync(file, "utf8"));
  const resources = plan.resource_changes.length;
  const mb = statSync(file).size / 1e6;
  const parse = [];
  const check = [];
  const floor = [];
  const report = join(root, "bench", "out", `report-${size}.json`);
  let counts = {};
  for (let i = 0; i < runs; i++) {
    parse.push(
      measure(["-e", `JSON.parse(require("node:fs").readFileSync(${JSON.stringify(file)}, "utf8"))`]),
    );
    const c = measure([bin, "check", file, "--format", "json"]);
    if (c.status !== 0 && c.status !== 1) {
      process.stderr.write(
        `plangate check failed on ${file} (exit ${c.status}): ${c.stderr.split("\n")[0]}\n`,
      );
      process.exit(1);
    }
    check.push(c);
    counts = countStatuses(c.stdout);
    // The floor: read the plan and write this same report, nothing evaluated (bench/floor.mjs).
    writeFileSync(report, c.stdout);
    const f = measure(["--expose-gc", join(root, "bench", "floor.mjs"), file, report]);
    const loading = Number(f.stderr.trim());
    // A failed floor would otherwise show as NaN in the table, not as a failure.
    if (f.status !== 0 || !Number.isFinite(loading)) {
      process.stderr.write(
        `bench/floor.mjs failed on ${file} (exit ${f.status}): ${f.stderr.split("\n")[0]}\n`,
      );
      process.exit(1);
    }
    floor.push(f.ms - loading);
  }
  rmSync(report);
  const ratio = parse.map((p, i) => check[i].ms / p.ms);
  const floorRatio = parse.map((p, i) => floor[i] / p.ms);
  // CPU time: what the process itself used, less at the mercy of other load than wall time.
  const cpuRatio = parse.map((p, i) => check[i].cpuMs / p.cpuMs);
  const rssRatio = parse.map((p, i) => check[i].rssMiB / p.rssMiB);
  rows.push({
    size,
    resources,
    mb,
    parseMs: fmt(parse.map((p) => p.ms)),
    checkMs: fmt(check.map((c) => c.ms)),
    checkMedianMs: median(check.map((c) => c.ms)),
    ratio: fmt(ratio, 2),
    floorMs: fmt(floor),
    floorRatio: fmt(floorRatio, 2),
    parseCpu: fmt(parse.map((p) => p.cpuMs)),
    checkCpu: fmt(check.map((c) => c.cpuMs)),
    checkMedianCpu: median(check.map((c) => c.cpuMs)),
    cpuRatio: fmt(cpuRatio, 2),
    parseRss: fmt(parse.map((p) => p.rssMiB)),
    checkRss: fmt(check.map((c) => c.rssMiB)),
    rssRatio: fmt(rssRatio, 2),
    counts: Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(", "),
  });
}

const header =
  "| resources | file MB | JSON.parse ms | check ms | time ratio | floor ms | floor ratio | parse CPU ms | check CPU ms | CPU ratio | parse RSS MiB | check RSS MiB | RSS ratio | results |";
const lines = [header, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"];
for (const r of rows) {
  lines.push(
    `| ${r.resources} | ${r.mb.toFixed(1)} | ${r.parseMs} | ${r.checkMs} | ${r.ratio} | ${r.floorMs} | ${r.floorRatio} | ${r.parseCpu} | ${r.checkCpu} | ${r.cpuRatio} | ${r.parseRss} | ${r.checkRss} | ${r.rssRatio} | ${r.counts} |`,
  );
}
const big = rows.find((r) => r.size === 50000);
const mid = rows.find((r) => r.size === 10000);
if (big && mid)
  lines.push(
    "",
    `Growth: check time(50k) / time(10k) = ${(big.checkMedianMs / mid.checkMedianMs).toFixed(2)} wall, ${(big.checkMedianCpu / mid.checkMedianCpu).toFixed(2)} CPU (medians).`,
  );
const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}, ${runs} runs per cell; median (min–max); load average ${loadavg()
  .map((l) => l.toFixed(1))
  .join(" / ")} at the end; CLI ${bin}.`;
const table = `${lines.join("\n")}\n\n${machine}\n`;
process.stdout.write(table);
if (args.includes("--write")) {
  const results = join(root, "bench", "RESULTS.md");
  const head = existsSync(results)
    ? readFileSync(results, "utf8").split("<!-- table -->")[0]
    : "# Benchmark results\n\n";
  writeFileSync(results, `${head}<!-- table -->\n${table}`);
  // Biome formats Markdown tables (npm run lint checks them): pad the new table the same way.
  spawnSync(process.platform === "win32" ? "npx.cmd" : "npx", ["biome", "format", "--write", results], {
    cwd: root,
    stdio: "ignore",
  });
}
