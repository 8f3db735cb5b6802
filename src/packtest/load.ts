/**
 * The I/O edge of `plangate test`: find `*.test.yaml` files, read and check them, read the plan
 * fixtures they name, and load their packs. Everything after this is pure (`run.ts`).
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { Ajv } from "ajv";
import { buildPlanModel } from "../plan/model.js";
import { readPlanInput } from "../plan/read.js";
import { InputError } from "../plan/types.js";
import { MAX_SOURCE_BYTES, readFileCapped } from "../safety/read.js";
import { parseTestFile, type SchemaValidator } from "./parse.js";
import type { CaseInput, PackUnderTest, Suite } from "./run.js";
import { synthesizePlan } from "./synth.js";
import type { TestCase, TestFile } from "./types.js";

const TEST_FILE = /\.test\.ya?ml$/;
const SKIP_DIRS = new Set(["node_modules", ".git", "dist"]);

/** Loads (reads + compiles) the pack a test file names; throws `InputError` for a bad pack. */
export type PackLoader = (path: string, where: string) => Promise<PackUnderTest>;

/** `*.test.yaml` files under each target (a directory, searched recursively, or a file), sorted. */
export async function findTestFiles(targets: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory() && !SKIP_DIRS.has(e.name)) await walk(join(dir, e.name));
      else if (e.isFile() && TEST_FILE.test(e.name)) found.add(join(dir, e.name));
    }
  };
  for (const t of targets) {
    const s = await stat(t).catch(() => undefined);
    if (!s) throw new InputError("no such file or directory", t);
    if (s.isDirectory()) await walk(t);
    else found.add(t);
  }
  if (found.size === 0) {
    // "0 tests ran" must never look like success (Atlantis #1550).
    throw new InputError(`no *.test.yaml files found in ${targets.join(", ")}`);
  }
  return [...found];
}

let validator: SchemaValidator | undefined;

/** The test-file schema, compiled once per process. */
export async function testFileValidator(): Promise<SchemaValidator> {
  if (!validator) {
    const text = await readFile(new URL("../../schemas/pack-test.schema.json", import.meta.url), "utf8");
    const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
    validator = ajv.compile(JSON.parse(text) as object);
  }
  return validator;
}

export async function readTestFile(path: string): Promise<TestFile> {
  let text: string;
  try {
    // Capped: a test file committed as a symlink to /dev/zero would otherwise be read forever.
    text = readFileCapped(path, MAX_SOURCE_BYTES).toString("utf8");
  } catch (err) {
    if (err instanceof InputError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new InputError(e.code === "ENOENT" ? "no such file" : e.message, path);
  }
  const base = dirname(path);
  return parseTestFile(text, path, await testFileValidator(), (rel) => join(base, rel));
}

async function caseInput(file: TestFile, c: TestCase): Promise<CaseInput> {
  try {
    if (c.plan !== undefined) return { testCase: c, model: await readPlanInput(c.plan) };
    return {
      testCase: c,
      model: buildPlanModel(synthesizePlan(c.resources ?? []), `${file.file} (${c.name})`),
    };
  } catch (err) {
    // A fixture that does not load is a bad test file (exit 2), pointed at its `plan:` line.
    if (err instanceof InputError) throw new InputError(`case "${c.name}": ${err.oneLine()}`, c.inputWhere);
    throw err;
  }
}

/** Read every test file under `targets`, its plans and its pack (one load per pack path). */
export async function loadSuites(targets: readonly string[], loadPack: PackLoader): Promise<Suite[]> {
  const paths = await findTestFiles(targets);
  const packs = new Map<string, Promise<PackUnderTest>>();
  const suites: Suite[] = [];
  for (const p of paths) {
    const file = await readTestFile(p);
    const key = resolve(file.pack);
    let pack = packs.get(key);
    if (!pack) {
      pack = loadPack(file.pack, file.packWhere);
      packs.set(key, pack);
    }
    // Await the pack first: a pack error is the run's error (exit 2), whatever the plans hold.
    const loaded = await pack;
    const inputs = await Promise.all(file.cases.map((c) => caseInput(file, c)));
    suites.push({ file, pack: loaded, inputs });
  }
  return suites;
}
