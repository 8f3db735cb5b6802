// Loaded with `node --import` into each measured process: reports its peak RSS (KiB) and CPU time
// (user + system, µs) on exit, on file descriptor 3 so it never mixes with the measured program's
// stdout/stderr.
import { writeSync } from "node:fs";

process.on("exit", () => {
  try {
    const u = process.resourceUsage();
    writeSync(3, `${u.maxRSS} ${u.userCPUTime + u.systemCPUTime}\n`);
  } catch {
    // fd 3 not open: run outside the harness; nothing to report.
  }
});
