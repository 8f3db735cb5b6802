/**
 * Rule documentation for pack authors (`plangate rules`, `explain`, `docs`), from parsed packs.
 * Pure: the CLI loads the packs and writes the output.
 */
export { type DescribeContext, type DocLine, describeAssertion, type Mood, paramsUsed } from "./describe.js";
export { pageName, renderPackPage } from "./markdown.js";
export { findRule, type RuleDoc, ruleDoc, similarRules } from "./rule-doc.js";
export { type RuleRow, renderRulesTable, renderRuleText, ruleRows } from "./text.js";
