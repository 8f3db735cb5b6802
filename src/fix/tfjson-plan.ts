/**
 * Fix edits on a Terraform JSON configuration as a `PatchPlan`, so that `plangate fix` prints and
 * writes them through the same path as `.tf` patches: the same all-or-nothing atomic write
 * (`applyPatches`), the same refusal of files outside --source-dir, the same withholding of diffs
 * that would print a sensitive value.
 */
import path from "node:path";
import type { FixEdit } from "../engine/types.js";
import type { MergedFixes } from "./merge.js";
import type { PatchPlan } from "./patch.js";
import { missingRequired, type SchemaLookup } from "./required.js";
import { isInside } from "./source.js";
import { fixTerraformJson, type TerraformJsonSource } from "./tfjson-fix.js";

/**
 * `sources` as `readTerraformJsonSources(input, cwd)` returns them (paths relative to `cwd`). File
 * paths of the plan stay relative to `cwd`: render the patch without a prefix.
 */
export function terraformJsonPatchPlan(
  sources: readonly TerraformJsonSource[],
  merged: MergedFixes,
  cwd: string,
  sourceRoot: string,
  schemas?: SchemaLookup,
): PatchPlan {
  // As for .tf: a new companion missing a required argument no rule sets would not apply; it stays
  // a snippet (with the hint naming the argument) rather than a half-written resource.
  const held: FixEdit[] = [];
  const heldNotes: string[] = [];
  const edits = [...merged.edits.values()].flat().filter((e) => {
    if (e.op !== "add-resource") return true;
    const missing = missingRequired(e.type, e.attributes, e.references, schemas);
    if (missing.length === 0) return true;
    held.push(e);
    heldNotes.push(
      `${e.address}: a new ${e.type} needs ${missing.map((m) => `\`${m}\``).join(", ")}, which cannot be derived; snippet only`,
    );
    return false;
  });
  const fixed = fixTerraformJson(sources, edits);
  const files = fixed.files.map((f) => ({
    path: path.resolve(cwd, f.file),
    relPath: f.file,
    before: f.before,
    after: f.after,
  }));
  // Module sources may climb out of the root (`../shared`): such files are not written.
  const outside = files.filter((f) => !isInside(sourceRoot, f.path));
  const cdktf = files.filter((f) => path.basename(f.path) === "cdk.tf.json");
  return {
    files: files.filter((f) => isInside(sourceRoot, f.path)),
    notes: [
      ...heldNotes,
      ...fixed.notApplied.map((n) => `${n.edit.address}: ${n.reason}`),
      ...cdktf.map(
        (f) => `${f.relPath} is cdktf output: \`cdktf synth\` overwrites it, make the change in the app`,
      ),
    ],
    refused: outside.map((f) => `${f.relPath}: outside --source-dir ${sourceRoot}`),
    unapplied: [...held, ...fixed.notApplied.map((n) => n.edit)],
  };
}
