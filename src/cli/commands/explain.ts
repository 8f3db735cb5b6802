/**
 * `plangate explain RULE [--pack ...] [--format text|json]`: one rule's documentation (title,
 * description, severity, enforcement, controls, resource types, what passes, the fix derived from
 * its assertions, its hint and parameters). RULE is an id or `pack/id`.
 */
import { findRule, ruleDoc, similarRules } from "../../docs/rule-doc.js";
import { renderRuleText } from "../../docs/text.js";
import { InputError } from "../../plan/types.js";
import { defineCommand } from "../command.js";
import { loadDocPacks, PACK_OPTION } from "./rules.js";

interface ExplainArgs {
  readonly rule: string;
  readonly pack?: readonly string[];
  readonly format: string;
}

export default defineCommand<ExplainArgs>({
  command: "explain <rule>",
  describe: "Print the documentation of one rule",
  builder: (y) =>
    y
      .positional("rule", { type: "string", demandOption: true, describe: "rule id, or pack/id" })
      .option("pack", PACK_OPTION)
      .option("format", {
        type: "string",
        default: "text",
        choices: ["text", "json"],
        describe: "output format",
      }),
  handler: async (args) => {
    const packs = await loadDocPacks(args.pack);
    const found = findRule(packs, args.rule);
    if (found.length === 0) {
      const similar = similarRules(packs, args.rule);
      const hint = similar.length > 0 ? ` (did you mean ${similar.join(", ")}?)` : " (see plangate rules)";
      throw new InputError(`no rule "${args.rule}" in the loaded packs${hint}`);
    }
    if (found.length > 1) {
      const names = found.map((f) => `${f.pack.metadata.name}/${f.rule.id}`).join(", ");
      throw new InputError(`rule "${args.rule}" is in several packs: name one of ${names}`);
    }
    const [{ pack, rule }] = found as [(typeof found)[number]];
    const doc = ruleDoc(pack, rule);
    process.stdout.write(args.format === "json" ? `${JSON.stringify(doc, null, 2)}\n` : renderRuleText(doc));
    return 0;
  },
});
