/**
 * plangate's own version, for reports (`tool.version`, SARIF `driver.version`). Read from
 * package.json next to `dist/` (and `src/` under tests) rather than imported, so the build does not
 * need JSON modules; a missing or broken file reports 0.0.0 instead of failing the gate.
 */
import { readFileSync } from "node:fs";

let cached: string | undefined;

export function toolVersion(): string {
  if (cached !== undefined) return cached;
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version?: string;
    };
    cached = pkg.version ?? "0.0.0";
  } catch {
    cached = "0.0.0";
  }
  return cached;
}
