/**
 * Unified diffs in the form `git apply` accepts: `diff --git` header, `---`/`+++`, `@@` hunks with
 * three lines of context, and `\ No newline at end of file` where it applies.
 */

type Op = { readonly kind: " " | "-" | "+"; readonly line: string };

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Line diff: common prefix/suffix trimmed, LCS on the middle (fix edits are small and local). */
function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf])
    suf++;
  const am = a.slice(pre, a.length - suf);
  const bm = b.slice(pre, b.length - suf);
  const ops: Op[] = a.slice(0, pre).map((line) => ({ kind: " ", line }));
  if (am.length * bm.length > 4_000_000) {
    // Too big for the table: a plain replace is still a correct diff.
    ops.push(
      ...am.map((line) => ({ kind: "-" as const, line })),
      ...bm.map((line) => ({ kind: "+" as const, line })),
    );
  } else {
    const n = am.length;
    const m = bm.length;
    const table: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      const row = table[i] as Uint32Array;
      const below = table[i + 1] as Uint32Array;
      for (let j = m - 1; j >= 0; j--) {
        row[j] =
          am[i] === bm[j] ? (below[j + 1] as number) + 1 : Math.max(below[j] as number, row[j + 1] as number);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && am[i] === bm[j]) {
        ops.push({ kind: " ", line: am[i] as string });
        i++;
        j++;
      } else if (i < n && (j >= m || (table[i + 1]?.[j] ?? 0) >= (table[i]?.[j + 1] ?? 0))) {
        // Deletions before insertions, as diff(1) and git print them.
        ops.push({ kind: "-", line: am[i] as string });
        i++;
      } else {
        ops.push({ kind: "+", line: bm[j] as string });
        j++;
      }
    }
  }
  ops.push(...a.slice(a.length - suf).map((line) => ({ kind: " " as const, line })));
  return ops;
}

/**
 * The unified diff turning `before` into `after` for `file` (a relative path with `/`);
 * empty when they are equal.
 */
export function unifiedDiff(file: string, before: string, after: string, context = 3): string {
  if (before === after) return "";
  const a = splitLines(before);
  const b = splitLines(after);
  const aNoEol = before !== "" && !before.endsWith("\n");
  const bNoEol = after !== "" && !after.endsWith("\n");
  const ops = diffLines(a, b);
  // When only the final newline changes, the last line differs in its "\ No newline" marker.
  if (aNoEol !== bNoEol && a.length > 0 && b.length > 0) {
    const last = ops.length - 1;
    const op = ops[last];
    if (op && op.kind === " ")
      ops.splice(last, 1, { kind: "-", line: op.line }, { kind: "+", line: op.line });
  }
  const out: string[] = [`diff --git a/${file} b/${file}`, `--- a/${file}`, `+++ b/${file}`];
  let idx = 0;
  while (idx < ops.length) {
    while (idx < ops.length && ops[idx]?.kind === " ") idx++;
    if (idx >= ops.length) break;
    let start = Math.max(0, idx - context);
    // Extend the hunk while changes are within 2*context lines of each other.
    let end = idx;
    let lastChange = idx;
    while (end < ops.length) {
      if (ops[end]?.kind !== " ") lastChange = end;
      else if (end - lastChange > 2 * context) break;
      end++;
    }
    end = Math.min(ops.length, lastChange + context + 1);
    let aLine = 0;
    let bLine = 0;
    for (let k = 0; k < start; k++) {
      if (ops[k]?.kind !== "+") aLine++;
      if (ops[k]?.kind !== "-") bLine++;
    }
    const hunk = ops.slice(start, end);
    const aCount = hunk.filter((o) => o.kind !== "+").length;
    const bCount = hunk.filter((o) => o.kind !== "-").length;
    const aStart = aCount === 0 ? aLine : aLine + 1;
    const bStart = bCount === 0 ? bLine : bLine + 1;
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    let aSeen = aLine;
    let bSeen = bLine;
    for (const o of hunk) {
      out.push(`${o.kind}${o.line}`);
      if (o.kind !== "+") aSeen++;
      if (o.kind !== "-") bSeen++;
      if (o.kind !== "+" && aNoEol && aSeen === a.length && o.kind === "-")
        out.push("\\ No newline at end of file");
      else if (o.kind !== "-" && bNoEol && bSeen === b.length && o.kind === "+")
        out.push("\\ No newline at end of file");
      else if (o.kind === " " && aNoEol && bNoEol && aSeen === a.length)
        out.push("\\ No newline at end of file");
    }
    idx = end;
    start = end;
  }
  return `${out.join("\n")}\n`;
}

/**
 * A change as "replace lines `startLine`..`endLine` of the original with `lines`", the shape of a
 * GitHub suggestion block (which must cover at least one existing line: a pure insertion is
 * anchored on the line before it, or after it at the top of the file).
 */
export interface LineReplacement {
  /** 1-based, inclusive, in the original text. */
  readonly startLine: number;
  readonly endLine: number;
  readonly lines: readonly string[];
}

export function lineReplacements(before: string, after: string): LineReplacement[] {
  if (before === after) return [];
  const a = splitLines(before);
  const ops = diffLines(a, splitLines(after));
  const out: LineReplacement[] = [];
  let aLine = 0; // lines of `a` consumed so far
  let i = 0;
  while (i < ops.length) {
    if (ops[i]?.kind === " ") {
      aLine++;
      i++;
      continue;
    }
    const start = aLine + 1;
    const added: string[] = [];
    let removed = 0;
    while (i < ops.length && ops[i]?.kind !== " ") {
      const op = ops[i] as Op;
      if (op.kind === "-") removed++;
      else added.push(op.line);
      i++;
    }
    aLine += removed;
    if (removed > 0) out.push({ startLine: start, endLine: start + removed - 1, lines: added });
    else if (start > 1)
      out.push({ startLine: start - 1, endLine: start - 1, lines: [a[start - 2] as string, ...added] });
    else if (a.length > 0) out.push({ startLine: 1, endLine: 1, lines: [...added, a[0] as string] });
  }
  return out;
}
