import { createHash } from "node:crypto";

/** Stable id of a result: the same pack, rule and address give the same value on every run. */
export function fingerprint(pack: string, rule: string, address: string): string {
  return createHash("sha256").update(`${pack}\u0000${rule}\u0000${address}`).digest("hex").slice(0, 16);
}
