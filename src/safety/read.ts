/**
 * Reading input files with a size cap, whatever they are. A path from a repository may be a
 * symlink to `/dev/zero` or a FIFO nobody closes: `readFile` reads until memory runs out. These
 * readers stop as soon as the cap is passed.
 */
import fs from "node:fs";
import { InputError } from "../plan/types.js";
import { sizeProblem } from "./json.js";

/** Packs, configs and test files: far above any real one (the built-in packs are under 100 KiB). */
export const MAX_SOURCE_BYTES = 64 * 2 ** 20;

const CHUNK = 64 * 1024;

/** The bytes of `path`, at most `maxBytes` (`InputError` past it). Errno errors pass through. */
export function readFileCapped(
  path: string,
  maxBytes: number = MAX_SOURCE_BYTES,
  where: string = path,
): Buffer {
  const fd = fs.openSync(path, "r");
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes)
        throw new InputError(`${sizeProblem(total, maxBytes, "the file")} (read so far)`, where);
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return Buffer.concat(chunks);
  } finally {
    fs.closeSync(fd);
  }
}

/** Read a stream to its end, at most `maxBytes` (`InputError` past it; reading stops there). */
export async function readStreamCapped(
  stream: NodeJS.ReadableStream,
  maxBytes: number,
  where: string,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk);
    total += b.length;
    if (total > maxBytes)
      throw new InputError(`${sizeProblem(total, maxBytes, "the plan")} (read so far)`, where);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}
