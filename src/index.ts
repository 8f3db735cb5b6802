/**
 * plangate's library API: everything the CLI does is reachable from here.
 */

export { type AssembleInput, assembleReport, type PlanResults, type RuleOverride } from "./check/assemble.js";
export { defaultCheckDeps } from "./check/deps.js";
export { type ExitCode, exitCode, outcome, summaryLine } from "./check/exit.js";
export {
  type CheckDeps,
  type CheckRequest,
  checkModel,
  evaluateWithFixes,
  type LoadedPack,
  type PreparedCheck,
  prepareCheck,
  reportOf,
  runCheck,
} from "./check/run.js";
export { suggestFixes } from "./check/suggest.js";
export type * from "./check/types.js";
export { findConfig, loadConfig } from "./config/load.js";
export { type LoadedConfig, type PlangateConfig, parseConfig } from "./config/parse.js";
export {
  describeAssertion,
  findRule,
  pageName,
  type RuleDoc,
  renderPackPage,
  renderRulesTable,
  renderRuleText,
  ruleDoc,
  ruleRows,
} from "./docs/index.js";
export { type EvaluateOptions, evaluate } from "./engine/evaluate.js";
export { fingerprint } from "./engine/fingerprint.js";
export type * from "./engine/types.js";
export {
  applyFixToModel,
  applyPatches,
  deriveFixes,
  deriveFixesIterated,
  escapeHclString,
  type FilePatch,
  type LineReplacement,
  lineReplacements,
  locateResourceBlock,
  mergeFixes,
  type PatchPlan,
  patchSuggestions,
  planPatches,
  renderHcl,
  renderPatch,
  scanHcl,
  unifiedDiff,
} from "./fix/index.js";
export {
  fixTerraformJson,
  renderTerraformJsonEdits,
  type TerraformJsonFileFix,
  type TerraformJsonFixes,
  type TerraformJsonSource,
} from "./fix/tfjson-fix.js";
export { applyTerraformJsonEdits, patchTerraformJson, type TerraformJsonPatch } from "./fix/tfjson-patch.js";
export type { PolicyPack } from "./generated/policy-pack.types.js";
export {
  type CaseOutcome,
  type PackTestReport,
  type PackUnderTest,
  packTestExitCode,
  packUnderTest,
  type RuleCoverage,
  type RunPackTestsOptions,
  renderPackTestJson,
  renderPackTestText,
  runPackTests,
} from "./packtest/index.js";
export {
  ALL_SCOPES,
  actionScopes,
  DEFAULT_SCOPES,
  inScopes,
  isCheckable,
  isDelete,
  isReplace,
  plannedToExist,
  selectedBy,
} from "./plan/actions.js";
export { formatKey, parseAddress, parseReference } from "./plan/address.js";
export { type ConfigIndex, indexConfiguration } from "./plan/config.js";
export { buildLinks } from "./plan/graph.js";
export { buildPlanModel } from "./plan/model.js";
export { type ReadPlanOptions, readPlanInput } from "./plan/read.js";
export {
  buildModelFromTerraformJson,
  isTerraformJsonConfig,
  type TerraformJsonDocument,
  type TerraformJsonOptions,
} from "./plan/tfjson.js";
export {
  type ReadTerraformJsonOptions,
  readTerraformJsonInput,
  readTerraformJsonSources,
} from "./plan/tfjson-read.js";
export type * from "./plan/types.js";
export { InputError } from "./plan/types.js";
export { formatPath, lookup, maskSensitive } from "./plan/values.js";
export { type CompileOptions, type CompileResult, compilePack } from "./policy/compile.js";
export { COMPILED_FORMAT, type CompiledModule, renderCompiledModule } from "./policy/compiled-module.js";
export type { CompiledPack, CompiledRule } from "./policy/compiled-pack.js";
export { type Diagnostic, formatDiagnostic, hasErrors } from "./policy/diagnostic.js";
export { builtinPackDir, builtinPackNames, type LoadOptions, loadPacks } from "./policy/load.js";
export {
  attributeType,
  defaultSchemaDir,
  importProviderSchema,
  loadSchemaIndex,
  plannedValuesSchema,
  providerFiles,
  providerOfType,
  resolvedKind,
  resolvePath,
  type SchemaIndex,
  scalarKind,
} from "./policy/provider-schema/index.js";
export type { PathError, PathResolution, SchemaPathStep } from "./policy/provider-schema/resolve.js";
export type {
  AttributeSchema,
  BlockNesting,
  BlockSchema,
  BlockType,
  CtyType,
  ImportedProvider,
  ImportedProviders,
  NestedAttributeType,
  ResourceSchema,
  ScalarKind,
  SchemaMode,
} from "./policy/provider-schema/types.js";
export { type PackSource, parsePackText } from "./policy/source.js";
export {
  FORMATS,
  type Format,
  REPORTERS,
  type RenderOptions,
  type Reporter,
  render,
  SHOWS_FIXES,
} from "./report/index.js";
// Limits for untrusted input: parse with these before calling buildPlanModel on your own JSON.
export {
  JsonLimitError,
  type JsonLimits,
  MAX_JSON_DEPTH,
  MAX_STRING_CHARS,
  parseJsonBounded,
} from "./safety/json.js";
