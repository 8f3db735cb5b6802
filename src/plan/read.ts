/**
 * The I/O edge of the plan reader: a path, `-` (stdin) or a binary plan file -> the plan model.
 * Binary plans (zip archives) are converted by running `terraform show -json FILE` (or `tofu`).
 */
import { execFile } from "node:child_process";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { MAX_STRING_CHARS, sizeProblem } from "../safety/json.js";
import { readStreamCapped } from "../safety/read.js";
import { decodeText, parseJson } from "./decode.js";
import { buildPlanModel } from "./model.js";
import { isTerraformJsonConfig } from "./tfjson.js";
import { configModelFromDocument, isDirectoryInput, readTerraformJsonInput } from "./tfjson-read.js";
import { InputError, type PlanModel } from "./types.js";

export interface ReadPlanOptions {
  /** Binary used for binary plan files: a path or a name on PATH (default: `terraform`, else `tofu`). */
  readonly terraformBin?: string;
  /** Stream read for `-` (default `process.stdin`). */
  readonly stdin?: NodeJS.ReadableStream;
  /** Timeout for `terraform show -json`, in ms (default 120 s). */
  readonly timeoutMs?: number;
  /**
   * `plan`, `config` (a Terraform JSON configuration: `*.tf.json`, a directory of them, cdktf
   * output), or `auto` (default): a directory or a document shaped like a configuration is one.
   */
  readonly inputKind?: "auto" | "plan" | "config";
  /**
   * Largest plan accepted, in bytes (default MAX_STRING_CHARS, about 512 MiB: the longest string
   * V8 can hold, so the most `JSON.parse` can be handed). Checked before reading a file, while
   * reading stdin and on `terraform show -json` output: memory stays bounded.
   */
  readonly maxBytes?: number;
  /** Deepest JSON nesting accepted (default MAX_JSON_DEPTH, 1000). */
  readonly maxDepth?: number;
}

const EMPTY = Buffer.alloc(0);
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const MAX_BUFFER = 1024 * 1024 * 1024;

async function readBytes(
  path: string,
  stdin: NodeJS.ReadableStream | undefined,
  maxBytes: number,
): Promise<Buffer> {
  // Streams stop at the limit: whatever is piped in, memory stays bounded.
  if (path === "-") return readStreamCapped(stdin ?? process.stdin, maxBytes, "<stdin>");
  try {
    const st = await stat(path);
    // A FIFO (`<(terraform show -json …)`) or a device (a symlink to /dev/zero) has no size: stream it.
    if (!st.isFile() && !st.isDirectory())
      return await readStreamCapped(createReadStream(path), maxBytes, path);
    const tooBig = sizeProblem(st.size, maxBytes, "the plan");
    if (tooBig) throw new InputError(tooBig, path);
    return await readFile(path);
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "is a directory, expected a plan file"
          : code === "EACCES"
            ? "permission denied"
            : (err as Error).message;
    throw new InputError(`cannot read plan: ${why}`, path);
  }
}

/** The gist of a failed command's stderr: from its first `Error:` line (warnings come first). */
function errorLines(text: string, n: number): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.replace(/[│╷╵]/g, "").trim())
    .filter((l) => l !== "");
  const error = lines.findIndex((l) => l.startsWith("Error:"));
  return lines.slice(Math.max(error, 0), Math.max(error, 0) + n).join(" ");
}

const MISSING = Symbol("missing");

/** Run `BIN show -json FILE` with an argument array (no shell); `MISSING` when BIN is not found. */
function showJson(
  bin: string,
  file: string,
  timeoutMs: number,
  maxBytes: number,
): Promise<Buffer | typeof MISSING> {
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      ["show", "-json", "-no-color", file],
      {
        timeout: timeoutMs,
        maxBuffer: Math.min(MAX_BUFFER, maxBytes),
        encoding: "buffer",
        env: { ...process.env, TF_IN_AUTOMATION: "1" },
      },
      (err, stdout, stderr) => {
        if (!err) {
          resolve(stdout);
          return;
        }
        const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
        if (e.code === "ENOENT") {
          resolve(MISSING);
          return;
        }
        if (e.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") {
          reject(
            new InputError(
              `\`${bin} show -json\` printed more than ${maxBytes} bytes (the plan size limit)`,
              file,
            ),
          );
          return;
        }
        if (e.killed) {
          reject(
            new InputError(`\`${bin} show -json\` timed out after ${Math.round(timeoutMs / 1000)} s`, file),
          );
          return;
        }
        const detail = errorLines(stderr.toString("utf8"), 3) || e.message;
        reject(new InputError(`\`${bin} show -json\` failed: ${detail}`, file));
      },
    );
  });
}

/** Convert a binary plan with the given binary, or else the first of terraform / tofu on PATH. */
async function convertBinaryPlan(
  file: string,
  bin: string | undefined,
  timeoutMs: number,
  maxBytes: number,
): Promise<Buffer> {
  const candidates = bin ? [bin] : ["terraform", "tofu"];
  for (const candidate of candidates) {
    const out = await showJson(candidate, file, timeoutMs, maxBytes);
    if (out !== MISSING) return out;
  }
  const names = candidates.map((c) => `"${c}"`).join(" or ");
  throw new InputError(
    `this is a binary plan file and ${names} was not found to convert it; install Terraform/OpenTofu or pass --terraform-bin PATH (or run \`terraform show -json\` yourself)`,
    file,
  );
}

/** Read a plan (JSON file, `-` for stdin, or a binary plan file) and build its model. */
export async function readPlanInput(path: string, opts: ReadPlanOptions = {}): Promise<PlanModel> {
  const display = path === "-" ? "<stdin>" : path;
  const kind = opts.inputKind ?? "auto";
  if (kind !== "plan" && (await isDirectoryInput(path))) return readTerraformJsonInput(path);
  const maxBytes = opts.maxBytes ?? MAX_STRING_CHARS;
  let bytes = await readBytes(path, opts.stdin, maxBytes);
  if (bytes.subarray(0, 4).equals(ZIP_MAGIC)) {
    if (path === "-") {
      throw new InputError("a binary plan file cannot be read from stdin; pass its path instead", display);
    }
    bytes = await convertBinaryPlan(path, opts.terraformBin, opts.timeoutMs ?? 120_000, maxBytes);
  }
  const text = decodeText(bytes, display);
  // The file's bytes are as big as the plan: let them go before the parse allocates the document.
  bytes = EMPTY;
  const doc = parseJson(text, display, opts.maxDepth === undefined ? {} : { maxDepth: opts.maxDepth });
  if (kind === "config" || (kind === "auto" && isTerraformJsonConfig(doc))) {
    return configModelFromDocument(doc, path, display);
  }
  return buildPlanModel(doc, display);
}
