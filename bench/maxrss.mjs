// Loaded with `node --import` into each measured process: reports its peak RSS (KiB) on exit, on
// file descriptor 3 so it never mixes with the measured program's stdout/stderr.
import { writeSync } from "node:fs";

process.on("exit", () => {
  try {
    writeSync(3, `${process.resourceUsage().maxRSS}\n`);
  } catch {
    // fd 3 not open: run outside the harness; nothing to report.
  }
});
