/** The real file system behind `SourceFs` (synchronous: a fix run reads a handful of small files). */
import fs from "node:fs";
import type { SourceFs } from "./source.js";

export const nodeSourceFs: SourceFs = {
  realpath(p) {
    try {
      return fs.realpathSync(p);
    } catch {
      return undefined;
    }
  },
  readDir(p) {
    try {
      return fs.readdirSync(p);
    } catch {
      return [];
    }
  },
  isSymlink(p) {
    try {
      return fs.lstatSync(p).isSymbolicLink();
    } catch {
      return false;
    }
  },
  isFile(p) {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  },
  readFile(p) {
    return fs.readFileSync(p, "utf8");
  },
};
