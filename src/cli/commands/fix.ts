/**
 * `plangate fix PLAN... [--pack ...] [--source-dir DIR] [--write]`: the changes that make failing
 * resources compliant. Prints a unified diff against the `.tf` files under --source-dir, or against
 * the `.tf.json` files of a Terraform JSON configuration input (what `git apply` takes), the
 * snippets of fixes it cannot place in a file, and hints; `--write` applies the diff in place, all
 * files or none.
 *
 * Exit codes: 0 when nothing fails or everything was written / printed; 2 on input errors and on
 * path-safety refusals with --write.
 */
import path from "node:path";
import { defaultCheckDeps } from "../../check/deps.js";
import { evaluateWithFixes, prepareCheck } from "../../check/run.js";
import { loadConfig } from "../../config/load.js";
import type { FixEdit, RuleResult } from "../../engine/types.js";
import { mergeFixes } from "../../fix/merge.js";
import { nodeSourceFs } from "../../fix/node-fs.js";
import { type PatchPlan, planPatches, renderPatch } from "../../fix/patch.js";
import { renderTerraformJsonEdits } from "../../fix/tfjson-fix.js";
import { terraformJsonPatchPlan } from "../../fix/tfjson-plan.js";
import { applyPatches } from "../../fix/write.js";
import { readTerraformJsonSources } from "../../plan/tfjson-read.js";
import { InputError, type ModelSource } from "../../plan/types.js";
import { loadSchemaIndex } from "../../policy/provider-schema/index.js";
import { withholdSensitivePatches } from "../../safety/secrets.js";
import { printable } from "../../safety/text.js";
import { defineCommand } from "../command.js";

interface FixArgs {
  readonly plans: readonly string[];
  readonly pack?: readonly string[];
  readonly config?: string;
  readonly "source-dir": string;
  readonly write: boolean;
  readonly "terraform-bin"?: string;
}

/** A key that matches an edit with its merged form (companions merge by type and subject). */
function editKey(e: FixEdit): string {
  return e.op === "add-resource" ? `add ${e.type} ${e.linkTo}` : JSON.stringify(e);
}

/**
 * What the patch does not cover, per failed result: its hints always, and its HCL snippet when
 * some of its edits are in no file.
 */
function leftovers(results: readonly RuleResult[], plan: PatchPlan, source: ModelSource): string[] {
  const open = new Set(plan.unapplied.map(editKey));
  const out: string[] = [];
  for (const r of results) {
    if (r.status !== "fail" || !r.fix) continue;
    // A configuration's snippet is JSON: its files are .tf.json, HCL would be the wrong language.
    const text = source === "configuration" ? renderTerraformJsonEdits(r.fix.edits) || undefined : r.fix.hcl;
    const snippet = r.fix.edits.some((e) => open.has(editKey(e))) && text ? [text.replace(/\n$/, "")] : [];
    const hints = r.fix.hints.map((h) => `# hint: ${h}`);
    if (snippet.length === 0 && hints.length === 0) continue;
    out.push([`# ${r.pack}/${r.rule}: ${r.address}`, ...hints, ...snippet].join("\n"));
  }
  return out;
}

export default defineCommand<FixArgs>({
  command: "fix <plans..>",
  describe: "Print (or --write) the changes that make failing resources compliant",
  builder: (y) =>
    y
      .positional("plans", {
        type: "string",
        array: true,
        demandOption: true,
        describe:
          "plan JSON files, binary plans, or Terraform JSON configuration (.tf.json, a directory of them)",
      })
      .option("pack", {
        type: "string",
        array: true,
        describe:
          "pack file, directory, built-in pack name or npm package (repeatable; default: the built-in packs)",
      })
      .option("config", { type: "string", describe: "config file (default: .plangate.yaml found upwards)" })
      .option("source-dir", {
        type: "string",
        default: ".",
        describe: "directory of the root module's .tf files",
      })
      .option("write", {
        type: "boolean",
        default: false,
        describe: "apply the changes to the .tf files (atomically)",
      })
      .option("terraform-bin", {
        type: "string",
        describe: "terraform or tofu binary, for binary plan files",
      }) as never,
  async handler(args) {
    const cwd = process.cwd();
    const sourceDir = path.resolve(cwd, args["source-dir"]);
    const config = await loadConfig(args.config, cwd);
    const deps = defaultCheckDeps({
      cwd,
      sourceDir,
      ...(args["terraform-bin"] ? { terraformBin: args["terraform-bin"] } : {}),
    });
    // The same load / evaluate / fix pipeline as `plangate check` (src/check/run.ts), unmasked:
    // these edits are written to files.
    const prepared = await prepareCheck(
      { ...(args.pack ? { packs: args.pack } : {}), ...(config ? { config } : {}) },
      deps,
    );
    const schemas = loadSchemaIndex();
    const out: string[] = [];
    const err: string[] = [];
    let written = 0;
    for (const file of args.plans) {
      const model = await deps.readPlan(file);
      const fixed = evaluateWithFixes(prepared, model, deps);
      const merged = mergeFixes(fixed);
      const config = model.source === "configuration";
      if (config && file === "-") {
        throw new InputError("a configuration read from stdin cannot be patched: pass its file or directory");
      }
      // A Terraform JSON configuration is patched in its own .tf.json files (README: "Fixes apply
      // to .tf.json files too"); everything after the plan is shared with .tf patches.
      const plan = config
        ? terraformJsonPatchPlan(await readTerraformJsonSources(file, cwd), merged, cwd, sourceDir, schemas)
        : planPatches(merged, model, sourceDir, nodeSourceFs, { schemas });
      for (const c of merged.conflicts) {
        err.push(`${c.address}: ${c.path}: fixes of ${c.rules.join(", ")} disagree; not applied`);
      }
      err.push(...plan.notes.map((n) => `note: ${n}`));
      if (plan.refused.length > 0) {
        const msg = plan.refused.join("; ");
        if (args.write) throw new InputError(`refusing to write: ${msg}`);
        err.push(...plan.refused.map((r) => `refused: ${r}`));
      }
      if (args.write) {
        written += applyPatches(plan.files, sourceDir).length;
      } else {
        const rel = path.relative(cwd, sourceDir);
        // Configuration patches name their files relative to the working directory already.
        const prefix = config || rel.startsWith("..") || path.isAbsolute(rel) ? "" : rel;
        // A diff's context lines come from the .tf files and may hold a literal the plan marks
        // sensitive: such a file's diff is not printed (--write still applies it).
        const shown = withholdSensitivePatches(plan, model);
        for (const f of shown.withheld) {
          err.push(
            `note: ${f}: diff not printed, it would show a value the plan marks sensitive (use --write)`,
          );
        }
        const patch = renderPatch(shown.plan, prefix);
        // Not trimEnd: a context line for an empty line is a lone space.
        if (patch) out.push(patch.endsWith("\n") ? patch.slice(0, -1) : patch);
      }
      const rest = leftovers(fixed, plan, model.source);
      if (rest.length > 0) err.push(...rest);
    }
    if (out.length > 0) process.stdout.write(`${out.join("\n")}\n`);
    if (args.write)
      err.unshift(written > 0 ? `plangate: wrote ${written} file(s)` : "plangate: nothing to write");
    // Notes and snippets quote plan text: no terminal controls (the diff on stdout stays exact for git apply).
    if (err.length > 0) process.stderr.write(`${printable(err.join("\n"))}\n`);
    return 0;
  },
});
