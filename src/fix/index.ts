/** The fix stage: failed results -> fixes -> HCL snippets, patches on `.tf` files, atomic writes. */
export { applyFixToModel } from "./apply-model.js";
export { deriveFix, deriveFixes, fixGaps } from "./derive.js";
export { type LineReplacement, lineReplacements, unifiedDiff } from "./diff.js";
export { escapeHclString, printValue } from "./hcl.js";
export { findResourceBlock, type HclBlock, type HclFile, type HclItem, scanHcl } from "./hcl-scanner.js";
export { deriveFixesIterated, type EvaluateRules, iterateFix, MAX_FIX_PASSES } from "./iterate.js";
export { type Conflict, type MergedFixes, mergeFixes } from "./merge.js";
export { nodeSourceFs } from "./node-fs.js";
export {
  type FilePatch,
  type PatchOptions,
  type PatchPlan,
  patchSuggestions,
  planPatches,
  renderPatch,
} from "./patch.js";
export { renderHcl } from "./snippet.js";
export { type LocatedBlock, locateResourceBlock, type SourceFs } from "./source.js";
export { applyPatches, nodeWriteFs, type WriteFs } from "./write.js";
