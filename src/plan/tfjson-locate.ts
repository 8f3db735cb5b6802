/**
 * Where each resource block of a `.tf.json` file is written (line and end line), so reports on a
 * configuration can annotate the file like they annotate `.tf` sources. A small scanner over the
 * JSON text: `JSON.parse` keeps no positions.
 */

export interface BlockLocation {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
}

type Step = string | number;

/** `resource.TYPE.NAME` / `data.TYPE.NAME` (`data.` prefixed) -> location, for one file's text. */
export function locateTerraformJsonBlocks(text: string): Map<string, BlockLocation> {
  const out = new Map<string, BlockLocation>();
  const path: Step[] = [];
  /** For each open container: object (with the pending key) or array (with the next index). */
  const open: {
    kind: "obj" | "arr";
    key?: string;
    index: number;
    start?: { line: number; column: number };
  }[] = [];
  const starts: ({ address: string; line: number; column: number } | undefined)[] = [];
  let line = 1;
  let lineStart = 0;
  let expectKey = false;
  let lastKey: { text: string; line: number; column: number } | undefined;

  const addressOf = (steps: readonly Step[]): string | undefined => {
    const names = steps.filter((s): s is string => typeof s === "string");
    if (names.length !== 3 || typeof steps[steps.length - 1] === "number") return undefined;
    const [top, type, name] = names as [string, string, string];
    if (top === "resource") return `${type}.${name}`;
    if (top === "data") return `data.${type}.${name}`;
    return undefined;
  };

  /** The path step of the value about to start in the current container. */
  const valueStep = (): Step | undefined => {
    const top = open[open.length - 1];
    if (!top) return undefined;
    if (top.kind === "arr") return top.index;
    return top.key;
  };

  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "\n") {
      line++;
      lineStart = i + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let s = "";
      while (j < text.length && text[j] !== '"') {
        if (text[j] === "\\") {
          s += JSON.parse(`"${text.slice(j, j + (text[j + 1] === "u" ? 6 : 2))}"`) as string;
          j += text[j + 1] === "u" ? 6 : 2;
        } else s += text[j++];
      }
      const column = i - lineStart + 1;
      if (expectKey) {
        lastKey = { text: s, line, column };
        expectKey = false;
      }
      i = j;
      continue;
    }
    if (c === ":") {
      const top = open[open.length - 1];
      if (top && top.kind === "obj" && lastKey) top.key = lastKey.text;
      continue;
    }
    if (c === "{" || c === "[") {
      const step = valueStep();
      if (step !== undefined) path.push(step);
      const address = addressOf(path);
      const keyPos = lastKey && open[open.length - 1]?.kind === "obj" ? lastKey : undefined;
      starts.push(
        address && !out.has(address)
          ? { address, line: keyPos?.line ?? line, column: keyPos?.column ?? i - lineStart + 1 }
          : undefined,
      );
      open.push({ kind: c === "{" ? "obj" : "arr", index: 0 });
      expectKey = c === "{";
      continue;
    }
    if (c === "}" || c === "]") {
      open.pop();
      const start = starts.pop();
      if (start) out.set(start.address, { line: start.line, column: start.column, endLine: line });
      if (open.length > 0 && path.length > 0) path.pop();
      continue;
    }
    if (c === ",") {
      const top = open[open.length - 1];
      if (top?.kind === "arr") top.index++;
      else expectKey = true;
    }
  }
  return out;
}

/** A `.tf.json` file's text and the module directory it belongs to (relative to the root, `/`). */
export interface LocatedText {
  /** As reports should show it: relative to the working directory, `/`-separated. */
  readonly file: string;
  readonly dir: string;
  readonly text: string;
}

/** Where each resource of the model is written: instance address -> file, line, end line. */
export function configLocations(
  moduleCalls: readonly { readonly path: readonly string[]; readonly source?: string }[],
  texts: readonly LocatedText[],
): Map<string, BlockLocation & { readonly file: string }> {
  // Module path -> directory, parents first (calls are sorted by path).
  const dirOf = new Map<string, string>([["", "."]]);
  for (const call of [...moduleCalls].sort((a, b) => a.path.length - b.path.length)) {
    const parent = dirOf.get(call.path.slice(0, -1).join("."));
    if (parent === undefined || !call.source || !/^\.\.?(\/|$)/.test(call.source)) continue;
    const parts = [...(parent === "." ? [] : parent.split("/"))];
    for (const seg of call.source.split("/")) {
      if (seg === "..") parts.pop();
      else if (seg !== "." && seg !== "") parts.push(seg);
    }
    dirOf.set(call.path.join("."), parts.length > 0 ? parts.join("/") : ".");
  }
  const out = new Map<string, BlockLocation & { readonly file: string }>();
  for (const [modulePath, dir] of dirOf) {
    const prefix =
      modulePath === ""
        ? ""
        : `${modulePath
            .split(".")
            .map((m) => `module.${m}.`)
            .join("")}`;
    for (const t of texts) {
      if (t.dir !== dir) continue;
      for (const [address, loc] of locateTerraformJsonBlocks(t.text)) {
        if (!out.has(prefix + address)) out.set(prefix + address, { file: t.file, ...loc });
      }
    }
  }
  return out;
}
