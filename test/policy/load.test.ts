import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/plan/types.js";
import { compilePack } from "../../src/policy/compile.js";
import { renderCompiledModule } from "../../src/policy/compiled-module.js";
import { builtinPackNames, loadPacks } from "../../src/policy/load.js";
import { parsePackText } from "../../src/policy/source.js";

const dir = mkdtempSync(join(tmpdir(), "plangate-load-"));
afterAll(() => {
  // Left for the OS to clean: vitest may still hold imported modules from it.
});

const YAML = `apiVersion: plangate/v1
kind: PolicyPack
metadata: { name: mine, version: 1.0.0 }
rules:
  - id: tagged
    title: Buckets are tagged
    severity: low
    enforcement: advisory
    resource: aws_s3_bucket
    require: { attribute: tags.Owner, exists: true }
`;

function write(rel: string, text: string): string {
  const abs = join(dir, rel);
  mkdirSync(join(abs, ".."), { recursive: true });
  writeFileSync(abs, text);
  return abs;
}

describe("loadPacks", () => {
  it("a YAML file and a JSON file, with positions", async () => {
    write("one/pack.yaml", YAML);
    const json = JSON.stringify(parsePackText(YAML, "x", "yaml").data, null, 2).replace(
      '"mine"',
      '"mine-json"',
    );
    write("one/pack.json", json);
    const [y] = await loadPacks(["one/pack.yaml"], { cwd: dir });
    expect(y?.file).toBe(join("one", "pack.yaml"));
    expect(y?.locate("/rules/0/require/attribute")).toEqual({ line: 10, column: 27 });
    const [j] = await loadPacks([join(dir, "one/pack.json")], { cwd: dir });
    expect(j?.origin).toBe("json");
    expect(compilePack(j!).pack?.name).toBe("mine-json");
  });

  it("a directory: pack files in name order, test files skipped", async () => {
    write("many/b.yml", YAML.replace("name: mine", "name: b"));
    write("many/a.yaml", YAML.replace("name: mine", "name: a"));
    write("many/a.test.yaml", "cases: []\n");
    write("many/notes.txt", "not a pack");
    const sources = await loadPacks(["./many"], { cwd: dir });
    expect(sources.map((s) => s.file)).toEqual([join("many", "a.yaml"), join("many", "b.yml")]);
  });

  it("built-in pack names resolve to policies/<name>.yaml", async () => {
    expect(builtinPackNames()).toEqual(expect.arrayContaining(["aws-backup", "aws-iam", "aws-s3"]));
    const [s] = await loadPacks(["aws-s3"], { cwd: dir });
    expect(s?.file.endsWith(join("policies", "aws-s3.yaml"))).toBe(true);
    expect(compilePack(s!).pack?.name).toBe("aws-s3");
  });

  it("an npm package: its package.json `plangate` field lists the packs", async () => {
    write(
      "app/node_modules/@acme/packs/package.json",
      JSON.stringify({ name: "@acme/packs", plangate: ["packs/s3.yaml"] }),
    );
    write("app/node_modules/@acme/packs/packs/s3.yaml", YAML.replace("name: mine", "name: acme-s3"));
    write(
      "app/node_modules/exported/package.json",
      JSON.stringify({ name: "exported", exports: { "./s3": "./s3.yaml", ".": "./index.js" } }),
    );
    write("app/node_modules/exported/s3.yaml", YAML.replace("name: mine", "name: exported-s3"));
    mkdirSync(join(dir, "app/src"), { recursive: true });
    const [a] = await loadPacks(["@acme/packs"], { cwd: join(dir, "app/src") });
    expect(compilePack(a!).pack?.name).toBe("acme-s3");
    const [e] = await loadPacks(["exported"], { cwd: join(dir, "app") });
    expect(compilePack(e!).pack?.name).toBe("exported-s3");
  });

  it("a compiled module: same pack, positions of the original file", async () => {
    const source = parsePackText(YAML, "one/pack.yaml", "yaml");
    const { js, dts } = renderCompiledModule(source, "test");
    write("out/mine.js", js);
    write("out/mine.d.ts", dts);
    const [c] = await loadPacks(["out/mine.js"], { cwd: dir });
    expect(c?.origin).toBe("compiled");
    expect(c?.data).toEqual(source.data);
    expect(c?.file).toBe("one/pack.yaml");
    expect(c?.locate("/rules/0/require/attribute")).toEqual({ line: 10, column: 27 });
    // Diagnostics from a compiled pack still point into the YAML.
    const bad = compilePack(c!, { params: { nope: 1 } });
    expect(bad.diagnostics[0]).toMatchObject({ file: "one/pack.yaml", code: "unknown-parameter" });
  });

  it("parse problems are diagnostics, missing packs are input errors", async () => {
    write("broken.yaml", "rules: [\n");
    const [b] = await loadPacks(["broken.yaml"], { cwd: dir });
    expect(b?.diagnostics[0]).toMatchObject({ file: "broken.yaml", code: "syntax" });
    await expect(loadPacks(["nope.yaml"], { cwd: dir })).rejects.toBeInstanceOf(InputError);
    await expect(loadPacks(["no-such-package"], { cwd: dir })).rejects.toThrow(
      /no pack file, directory, built-in pack/,
    );
    write("plain.js", "export default 42;\n");
    await expect(loadPacks(["plain.js"], { cwd: dir })).rejects.toThrow(
      /not a pack compiled by plangate compile/,
    );
  });
});
