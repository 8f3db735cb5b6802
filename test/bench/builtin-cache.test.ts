import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cachedBuiltin, writeBuiltinCache } from "../../src/policy/builtin-cache.js";
import { builtinPackDir, builtinPackNames } from "../../src/policy/load.js";
import { parsePackText } from "../../src/policy/source.js";

const out = mkdtempSync(join(tmpdir(), "plangate-builtin-cache-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("built-in pack cache (start-up without YAML parsing)", () => {
  const written = writeBuiltinCache(builtinPackDir(), out);

  it("has an entry for every built-in pack", () => {
    expect(written).toEqual(builtinPackNames());
  });

  it("gives the same data and positions as parsing the YAML", () => {
    for (const name of written) {
      const text = readFileSync(join(builtinPackDir(), `${name}.yaml`), "utf8");
      const parsed = parsePackText(text, `policies/${name}.yaml`, "yaml");
      const cached = cachedBuiltin(name, text, `policies/${name}.yaml`, out);
      expect(cached?.data).toEqual(parsed.data);
      expect(cached?.diagnostics).toEqual([]);
      expect(cached?.origin).toBe("yaml");
      for (const [pointer, key] of [
        ["/rules/0/id", false],
        ["/metadata/name", true],
        ["/nope", false],
      ] as const)
        expect(cached?.locate(pointer, key)).toEqual(parsed.locate(pointer, key));
    }
  });

  it("is not used for text it was not made from (a pack edited after the build)", () => {
    const name = written[0] as string;
    const text = readFileSync(join(builtinPackDir(), `${name}.yaml`), "utf8");
    expect(cachedBuiltin(name, `${text}\n# edited\n`, "x.yaml", out)).toBeUndefined();
    expect(cachedBuiltin("no-such-pack", text, "x.yaml", out)).toBeUndefined();
  });
});
