import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, test, vi } from "vitest";
import yargs from "yargs";
import schemaCommand from "../../src/cli/commands/schema.js";
import { InputError } from "../../src/plan/types.js";
import { loadSchemaIndex } from "../../src/policy/provider-schema/index.js";
import { resolvePath } from "../../src/policy/provider-schema/resolve.js";
import { AWS_SUBSET, GOOGLE_SUBSET } from "./helpers.js";

/**
 * The command as `src/cli/main.ts` mounts it (that dispatcher's variable dynamic import does not run
 * under vitest): InputError -> one line on stderr, exit 2.
 */
async function main(argv: string[]): Promise<number> {
  try {
    await yargs(argv)
      .strict()
      .exitProcess(false)
      .fail((msg, err) => {
        throw err ?? new InputError(msg);
      })
      .command(schemaCommand.command, schemaCommand.describe, schemaCommand.builder, async (args) => {
        await schemaCommand.handler(args);
      })
      .parseAsync();
    return 0;
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    process.stderr.write(`plangate: error: ${err.oneLine()}\n`);
    return 2;
  }
}

/** Run the command in-process; returns exit code and what it printed. */
async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const code = await main(argv);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

describe("plangate schema import", () => {
  const dir = mkdtempSync(join(tmpdir(), "plangate-schema-cli-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => vi.restoreAllMocks());

  test("writes per-type files a schema index can read, and prints a summary", async () => {
    const out = join(dir, "providers");
    const result = await run(["schema", "import", GOOGLE_SUBSET, "--out", out]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "google (registry.terraform.io/hashicorp/google): 7 resource types, 0 data sources",
    );
    expect(result.stdout).toContain("wrote 15 schema files");
    const files = readdirSync(join(out, "google")).sort();
    expect(files).toContain("provider.json");
    expect(files).toContain("google_storage_bucket.json");
    expect(files).toContain("google_storage_bucket.values.schema.json");
    expect(files.some((f) => f.endsWith(".tmp"))).toBe(false);
    const index = loadSchemaIndex(out);
    const bucket = index.resourceSchema("google_storage_bucket", "managed")!;
    expect(resolvePath(bucket, ["versioning", 0, "enabled"])).toMatchObject({ ok: true, type: "bool" });
    expect(index.knowsProvider("aws_s3_bucket")).toBe(false);
  });

  test("--provider selects one provider; --types writes interfaces", async () => {
    const out = join(dir, "aws-only");
    const types = join(dir, "types");
    const result = await run([
      "schema",
      "import",
      AWS_SUBSET,
      "--out",
      out,
      "--provider",
      "aws",
      "--types",
      types,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "aws (registry.terraform.io/hashicorp/aws): 99 resource types, 6 data sources",
    );
    expect(result.stdout).toMatch(/wrote 211 schema files, 106 TypeScript files/);
    const versioning = readFileSync(join(types, "aws", "aws_s3_bucket_versioning.ts"), "utf8");
    expect(versioning).toContain("export interface AwsS3BucketVersioning");
    expect(readFileSync(join(types, "aws", "index.ts"), "utf8")).toContain("aws_s3_bucket: AwsS3Bucket;");
  });

  test("user errors exit 2 with one line that says where", async () => {
    const missing = await run(["schema", "import", join(dir, "nope.json")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^plangate: error: .*nope\.json: cannot read: ENOENT\n$/);

    const bad = join(dir, "bad.json");
    writeFileSync(
      bad,
      JSON.stringify({
        format_version: "1.0",
        provider_schemas: {
          "x/y/z": { resource_schemas: { z_a: { block: { attributes: { n: { type: "text" } } } } } },
        },
      }),
    );
    const invalid = await run(["schema", "import", bad, "--out", join(dir, "never")]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toBe(
      `plangate: error: ${bad}#/provider_schemas/x~1y~1z/resource_schemas/z_a/block/attributes/n/type: unknown cty type "text"\n`,
    );
    expect(() => readdirSync(join(dir, "never"))).toThrow();

    const notJson = join(dir, "plan.txt");
    writeFileSync(notJson, "not json");
    expect((await run(["schema", "import", notJson])).stderr).toMatch(/not JSON/);

    const other = await run([
      "schema",
      "import",
      GOOGLE_SUBSET,
      "--out",
      join(dir, "x"),
      "--provider",
      "aws",
    ]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('no provider "aws" in the document (it has: google)');

    const noSub = await run(["schema"]);
    expect(noSub.code).toBe(2);
    expect(noSub.stderr).toContain("a subcommand is required");
  });
});
