import type { ConfigIndex } from "./config.js";
import type { Link, ResourceInstance } from "./types.js";

export function buildLinks(_resources: readonly ResourceInstance[], _config: ConfigIndex): Link[] {
  return [];
}
