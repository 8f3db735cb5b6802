/**
 * The I/O edge of the Terraform JSON reader: a `.tf.json` file, a directory of them, or a cdktf
 * synth output (`cdktf.out/stacks/NAME/cdk.tf.json`, or `cdktf.out` with a single stack) -> the
 * documents of the root module and of every local module it calls -> the pure builder.
 */
import { readdir, stat } from "node:fs/promises";
import { dirname, join, posix, relative, sep } from "node:path";
import type { SourceLocation } from "../check/types.js";
import { MAX_STRING_CHARS, parseJsonBounded } from "../safety/json.js";
import { readFileCapped } from "../safety/read.js";
import { isObject } from "./config.js";
import { decodeText, parseJson } from "./decode.js";
import {
  buildModelFromTerraformJson,
  type TerraformJsonDocument,
  type TerraformJsonOptions,
} from "./tfjson.js";
import { configLocations, type LocatedText } from "./tfjson-locate.js";
import { InputError, type PlanModel } from "./types.js";

export interface ReadTerraformJsonOptions {
  /**
   * Provider schemas by type (default: the schemas shipped in `schemas/providers`); `null` reads
   * without any, telling blocks from maps by shape alone.
   */
  readonly schemaFor?: TerraformJsonOptions["schemaFor"] | null;
}

/** The shipped provider schemas, loaded lazily per type (only types the configuration uses). */
async function shippedSchemas(): Promise<NonNullable<TerraformJsonOptions["schemaFor"]>> {
  const { loadSchemaIndex } = await import("../policy/provider-schema/index.js");
  const index = loadSchemaIndex();
  return (mode, type) => (index.knowsProvider(type) ? index.resourceSchema(type, mode) : undefined);
}

const MAX_MODULES = 500;

async function kind(path: string): Promise<"file" | "dir" | undefined> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? "dir" : "file";
  } catch {
    return undefined;
  }
}

async function readDoc(path: string, display: string): Promise<unknown> {
  let bytes: Buffer;
  try {
    // Capped: a `.tf.json` committed as a symlink to /dev/zero would otherwise be read forever.
    bytes = readFileCapped(path, MAX_STRING_CHARS, display);
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      `cannot read configuration: ${code === "ENOENT" ? "no such file" : (err as Error).message}`,
      display,
    );
  }
  return parseJson(decodeText(bytes, display), display);
}

/** `*.tf.json` files of a directory, sorted (Terraform reads them in lexical order too). */
async function tfJsonFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n.endsWith(".tf.json")).sort();
}

/** Which directory holds the root module's documents, and which files of it. */
async function resolveRoot(path: string): Promise<{ dir: string; files: string[] }> {
  const k = await kind(path);
  if (k === undefined) throw new InputError("no such file or directory", path);
  if (k === "file") return { dir: dirname(path), files: [path] };
  if ((await kind(join(path, "cdk.tf.json"))) === "file")
    return { dir: path, files: [join(path, "cdk.tf.json")] };
  const stacks = join(path, "stacks");
  if ((await kind(stacks)) === "dir") {
    const names = (await readdir(stacks)).sort();
    const withDoc: string[] = [];
    for (const n of names) if ((await kind(join(stacks, n, "cdk.tf.json"))) === "file") withDoc.push(n);
    if (withDoc.length === 1) {
      const dir = join(stacks, withDoc[0] as string);
      return { dir, files: [join(dir, "cdk.tf.json")] };
    }
    if (withDoc.length > 1) {
      throw new InputError(
        `cdktf output with ${withDoc.length} stacks (${withDoc.join(", ")}): pass one, e.g. ${join(stacks, withDoc[0] as string)}`,
        path,
      );
    }
  }
  const files = (await tfJsonFiles(path)).map((n) => join(path, n));
  if (files.length === 0) {
    const hcl = (await readdir(path)).some((n) => n.endsWith(".tf"));
    throw new InputError(
      hcl
        ? "no *.tf.json files here (HCL .tf files are read from a plan: run `terraform plan -out tf.plan` and pass `terraform show -json tf.plan`)"
        : "no *.tf.json files and no cdktf stack (cdk.tf.json) here",
      path,
    );
  }
  return { dir: path, files };
}

/** `[call name, source]` of every module call with a local source. */
function localCalls(doc: unknown): [string, string][] {
  if (!isObject(doc)) return [];
  const out: [string, string][] = [];
  const blocks = Array.isArray(doc.module) ? doc.module : [doc.module];
  for (const b of blocks) {
    if (!isObject(b)) continue;
    for (const [name, call] of Object.entries(b)) {
      if (name === "//") continue;
      const body = Array.isArray(call) ? call[0] : call;
      const source = isObject(body) && typeof body.source === "string" ? body.source : undefined;
      if (source && (source.startsWith("./") || source.startsWith("../"))) out.push([name, source]);
    }
  }
  return out;
}

function localSources(doc: unknown): string[] {
  return localCalls(doc).map(([, source]) => source);
}

/** Read the `*.tf.json` files of every local module the documents call, transitively. */
async function withLocalModules(rootDir: string, rootDocs: readonly TerraformJsonDocument[]) {
  const docs = [...rootDocs];
  // Breadth-first over local module directories; each directory is read once however often called.
  const seen = new Set<string>(["."]);
  for (let q = 0; q < docs.length; q++) {
    const item = docs[q] as TerraformJsonDocument;
    for (const source of localSources(item.doc)) {
      const rel = posix.normalize(posix.join(item.dir ?? ".", source)).replace(/\/$/, "") || ".";
      if (seen.has(rel) || seen.size > MAX_MODULES) continue;
      seen.add(rel);
      const abs = join(rootDir, ...rel.split("/"));
      for (const n of await tfJsonFiles(abs)) {
        const f = join(abs, n);
        docs.push({ file: f, doc: await readDoc(f, f), dir: rel });
      }
    }
  }
  return docs;
}

/** Source locations of the models this module read: a side table, the model type has no place for them. */
const LOCATIONS = new WeakMap<PlanModel, ReadonlyMap<string, SourceLocation>>();

/**
 * Where a resource of a configuration model is written (file relative to the working directory,
 * line, end line): for SARIF and GitHub annotations. Undefined for plans and unknown addresses.
 */
export function terraformJsonLocation(model: PlanModel, address: string): SourceLocation | undefined {
  return LOCATIONS.get(model)?.get(address);
}

async function textsOf(docs: readonly TerraformJsonDocument[]): Promise<LocatedText[]> {
  const out: LocatedText[] = [];
  for (const d of docs) {
    if (d.file === "-" || d.file === "<stdin>") continue;
    try {
      const text = readFileCapped(d.file, MAX_STRING_CHARS)
        .toString("utf8")
        .replace(/^\uFEFF/, "");
      out.push({ file: relative(process.cwd(), d.file).split(sep).join("/"), dir: d.dir ?? ".", text });
    } catch {
      // Locations are a convenience: a file that cannot be re-read just has none.
    }
  }
  return out;
}

async function build(
  rootDir: string,
  rootDocs: readonly TerraformJsonDocument[],
  file: string,
  opts: ReadTerraformJsonOptions,
): Promise<PlanModel> {
  const docs = await withLocalModules(rootDir, rootDocs);
  const schemaFor = opts.schemaFor === undefined ? await shippedSchemas() : opts.schemaFor;
  const model = buildModelFromTerraformJson(docs, { file, ...(schemaFor ? { schemaFor } : {}) });
  LOCATIONS.set(model, configLocations(model.moduleCalls, await textsOf(docs)));
  return model;
}

/**
 * Read a Terraform JSON configuration and build its model. Local modules (`"source": "./mod"`) are
 * read from disk when present; a missing one is a warning on the model, not an error.
 */
export async function readTerraformJsonInput(
  path: string,
  opts: ReadTerraformJsonOptions = {},
): Promise<PlanModel> {
  const root = await resolveRoot(path);
  const docs: TerraformJsonDocument[] = [];
  for (const f of root.files) docs.push({ file: f, doc: await readDoc(f, f), dir: "." });
  return build(root.dir, docs, path, opts);
}

/**
 * For the plan reader, once it has parsed a document that turned out to be a configuration:
 * its model, with local modules read relative to the file (`-` for stdin: none).
 */
export async function configModelFromDocument(
  doc: unknown,
  path: string,
  display: string,
  opts: ReadTerraformJsonOptions = {},
): Promise<PlanModel> {
  const dir = path === "-" ? "." : dirname(path);
  return build(dir, [{ file: display, doc, dir: "." }], display, opts);
}

/** For the plan reader: a directory given as input is a configuration (plans are files). */
export async function isDirectoryInput(path: string): Promise<boolean> {
  return path !== "-" && (await kind(path)) === "dir";
}

/** A `.tf.json` file as the fix stage patches it (`fixTerraformJson` in src/fix/tfjson-fix.ts). */
export interface TerraformJsonSource {
  /** Path as it goes into the diff (relative, `/`-separated). */
  readonly file: string;
  readonly text: string;
  /** Config path of the module the file belongs to (`[]`: root). */
  readonly modulePath: readonly string[];
}

/**
 * The text of every `.tf.json` file of a configuration with the module path it belongs to, for
 * `fixTerraformJson`. A directory called by several module calls appears once per call. File paths
 * are relative to `cwd` (default the working directory), with `/`.
 */
export async function readTerraformJsonSources(
  path: string,
  cwd = process.cwd(),
): Promise<TerraformJsonSource[]> {
  const root = await resolveRoot(path);
  const display = (f: string): string => relative(cwd, f).split(sep).join("/");
  const out: TerraformJsonSource[] = [];
  const queue: { dir: string; rel: string; files: string[]; modulePath: string[] }[] = [
    { dir: root.dir, rel: ".", files: root.files, modulePath: [] },
  ];
  for (let q = 0; q < queue.length && q < MAX_MODULES; q++) {
    const item = queue[q] as (typeof queue)[number];
    for (const f of item.files) {
      const text = readFileCapped(f, MAX_STRING_CHARS, display(f)).toString("utf8");
      out.push({ file: display(f), text, modulePath: item.modulePath });
      let doc: unknown;
      try {
        doc = parseJsonBounded(text);
      } catch {
        continue;
      }
      for (const [name, source] of localCalls(doc)) {
        if (item.modulePath.length >= 32) continue;
        const rel = posix.normalize(posix.join(item.rel, source)).replace(/\/$/, "") || ".";
        const abs = join(root.dir, ...rel.split("/"));
        const files = (await tfJsonFiles(abs)).map((n) => join(abs, n));
        queue.push({ dir: abs, rel, files, modulePath: [...item.modulePath, name] });
      }
    }
  }
  return out;
}
