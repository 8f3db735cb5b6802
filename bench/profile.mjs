// @ts-check
/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`) by self time and by inclusive time per
 * function, so a profile can be read in a terminal.
 *
 * Usage: node bench/profile.mjs FILE.cpuprofile [--top 25] [--filter TEXT]
 */
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const file = args[0];
if (!file) {
  process.stderr.write("usage: node bench/profile.mjs FILE.cpuprofile [--top N] [--filter TEXT]\n");
  process.exit(2);
}
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const top = Number(opt("top", "25"));
const filter = opt("filter", "");

/** @type {{nodes: {id:number, callFrame:{functionName:string,url:string,lineNumber:number}, children?:number[]}[], samples:number[], timeDeltas:number[], startTime:number, endTime:number}} */
const prof = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const selfUs = new Map();
for (let i = 0; i < prof.samples.length; i++) {
  const id = prof.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
}
const short = (url) => url.replace(/^file:\/\/.*?\/(dist|node_modules|src)\//, "$1/");
const key = (n) =>
  `${n.callFrame.functionName || "(anonymous)"} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const self = new Map();
const incl = new Map();
let total = 0;
for (const [id, us] of selfUs) {
  total += us;
  const n = byId.get(id);
  self.set(key(n), (self.get(key(n)) ?? 0) + us);
  // Inclusive: each distinct function on the stack once.
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = key(byId.get(cur));
    if (seen.has(k)) continue;
    seen.add(k);
    incl.set(k, (incl.get(k) ?? 0) + us);
  }
}
const print = (title, m) => {
  process.stdout.write(`\n${title} (total ${(total / 1000).toFixed(0)} ms)\n`);
  const rows = [...m]
    .filter(([k]) => k.includes(filter))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
  for (const [k, us] of rows)
    process.stdout.write(
      `${(us / 1000).toFixed(1).padStart(9)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}\n`,
    );
};
print("self time", self);
print("inclusive time", incl);
