/**
 * `plangate docs [--pack ...] --out DIR [--check]`: one Markdown page per pack (`<name>.md`).
 * `--check` writes nothing and exits 1 when a page in DIR differs from what would be written
 * (CI: keep checked-in pages in sync with the packs).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pageName, renderPackPage } from "../../docs/markdown.js";
import { InputError } from "../../plan/types.js";
import { defineCommand } from "../command.js";
import { loadDocPacks, PACK_OPTION } from "./rules.js";

interface DocsArgs {
  readonly pack?: readonly string[];
  readonly out: string;
  readonly check: boolean;
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

export default defineCommand<DocsArgs>({
  command: "docs",
  describe: "Render packs as Markdown pages",
  builder: (y) =>
    y
      .option("pack", PACK_OPTION)
      .option("out", { type: "string", demandOption: true, describe: "directory for the pages" })
      .option("check", {
        type: "boolean",
        default: false,
        describe: "write nothing; exit 1 when a page is missing or stale",
      }),
  handler: async (args) => {
    const packs = await loadDocPacks(args.pack);
    const names = new Set<string>();
    for (const p of packs) {
      if (names.has(p.metadata.name)) throw new InputError(`two packs are named "${p.metadata.name}"`);
      names.add(p.metadata.name);
    }
    let stale = 0;
    if (!args.check) {
      try {
        mkdirSync(args.out, { recursive: true });
      } catch (err) {
        throw new InputError(
          `cannot create directory: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
          args.out,
        );
      }
    }
    for (const pack of packs) {
      const path = join(args.out, pageName(pack));
      const page = renderPackPage(pack);
      if (args.check) {
        if (readOrEmpty(path) !== page) {
          stale++;
          process.stdout.write(`stale: ${path}\n`);
        }
        continue;
      }
      // Write then rename: a reader never sees half a page.
      const tmp = `${path}.tmp-${process.pid}`;
      writeFileSync(tmp, page);
      renameSync(tmp, path);
      process.stdout.write(`wrote ${path}\n`);
    }
    return stale > 0 ? 1 : 0;
  },
});
