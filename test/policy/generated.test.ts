import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs build script without declarations
import { generateAll } from "../../scripts/generate.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("generated files", () => {
  it("are up to date with the schemas (run `npm run generate`)", async () => {
    const files = (await generateAll()) as Map<string, string>;
    expect(files.size).toBeGreaterThanOrEqual(3);
    expect([...files.keys()]).toContain("src/generated/policy-pack.types.ts");
    for (const [rel, content] of files) {
      expect(readFileSync(`${root}${rel}`, "utf8"), `${rel} is stale`).toBe(content);
    }
  }, 30_000);
});
