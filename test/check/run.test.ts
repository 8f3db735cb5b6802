import { describe, expect, it } from "vitest";
import { type CheckDeps, packSpecs, runCheck, selectRules } from "../../src/check/run.js";
import type { RuleInfo } from "../../src/check/types.js";
import type { RuleResult } from "../../src/engine/types.js";
import { InputError } from "../../src/plan/types.js";
import { model, result } from "./helpers.js";

const rule = (id: string, pack = "aws-s3"): RuleInfo => ({
  id,
  pack,
  title: id,
  severity: "medium",
  enforcement: "soft-mandatory",
  controls: [],
});

describe("rule selection", () => {
  const rules = [rule("s3-a"), rule("s3-b"), rule("iam-a", "aws-iam")];
  it("takes ids, qualified ids and globs; drops disabled rules", () => {
    const ids = (f: string[], off: string[] = []) =>
      selectRules(rules, f, (id) => off.includes(id)).map((r) => r.id);
    expect(ids(["s3-*"])).toEqual(["s3-a", "s3-b"]);
    expect(ids(["aws-iam/iam-a"])).toEqual(["iam-a"]);
    expect(ids(["aws-s3/*"], ["s3-b"])).toEqual(["s3-a"]);
    expect(ids([])).toEqual(["s3-a", "s3-b", "iam-a"]);
  });
  it("a --rule that matches nothing is an input error", () => {
    expect(() => selectRules(rules, ["s3-a", "nope"], () => false)).toThrow(/--rule nope: no such rule/);
  });
});

describe("pack specs", () => {
  it("defaults to the built-in packs; config paths resolve against the config's directory", () => {
    expect(packSpecs({})).toEqual(["aws-s3", "aws-iam", "aws-backup"]);
    const config = {
      file: ".plangate.yaml",
      dir: "/repo",
      config: { packs: ["aws-s3", "./p/x.yaml"] },
      waiverWhere: [],
    };
    expect(packSpecs({ config, packs: ["extra.yaml"] })).toEqual(["aws-s3", "/repo/p/x.yaml", "extra.yaml"]);
  });
});

describe("runCheck with fake stages", () => {
  const calls: string[] = [];
  const deps: CheckDeps<string> = {
    async readPlan(file) {
      calls.push(`read ${file}`);
      return model(file);
    },
    async loadPacks(specs) {
      calls.push(`packs ${specs.join(",")}`);
      return [
        { info: { name: "aws-s3", version: "1" }, rules: [rule("s3-a"), rule("s3-b")], compiled: "pack" },
      ];
    },
    evaluate(m, _packs, opts): RuleResult[] {
      calls.push(`evaluate ${m.file} ${[...(opts.rules ?? [])].join(",")}`);
      return [
        result({ rule: "s3-a", address: "aws_s3_bucket.x" }),
        result({ rule: "s3-b", address: "aws_s3_bucket.x", status: "pass" }),
      ];
    },
    deriveFixes(results) {
      calls.push("fixes");
      return results.map((r) => (r.status === "fail" ? { ...r, fix: { edits: [], hints: ["h"] } } : r));
    },
    locate: (_m, address) => ({ file: "main.tf", line: address.length }),
  };

  it("loads packs before reading any plan, then evaluates, fixes and locates each plan", async () => {
    calls.length = 0;
    const report = await runCheck(
      { plans: ["a.json", "b.json"], rules: ["s3-a"], today: "2026-01-01", toolVersion: "1.2.3" },
      deps,
    );
    expect(calls).toEqual([
      "packs aws-s3,aws-iam,aws-backup",
      "read a.json",
      "evaluate a.json s3-a",
      "fixes",
      "read b.json",
      "evaluate b.json s3-a",
      "fixes",
    ]);
    expect(report.plans.map((p) => p.results.map((r) => r.rule))).toEqual([["s3-a"], ["s3-a"]]);
    expect(report.plans[0]?.results[0]?.fix?.hints).toEqual(["h"]);
    expect(report.plans[0]?.results[0]?.location).toEqual({ file: "main.tf", line: 15 });
    expect(report.tool.version).toBe("1.2.3");
  });

  it("no plan is an input error", async () => {
    await expect(runCheck({ plans: [], today: "2026-01-01", toolVersion: "0" }, deps)).rejects.toThrow(
      InputError,
    );
  });
});
