/**
 * Prototype pollution: `__proto__`, `constructor` and `prototype` as keys in plan values, masks,
 * addresses, packs and config are ordinary data. Nothing outside them changes: `({}).polluted`
 * stays undefined, Object.prototype keeps its own properties, and the objects we build (masked
 * values, maps, merged config) keep Object.prototype as their prototype.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse.js";
import { evaluate } from "../../src/engine/evaluate.js";
import { deriveFixes } from "../../src/fix/derive.js";
import { mergeFixes } from "../../src/fix/merge.js";
import { nodeSourceFs } from "../../src/fix/node-fs.js";
import { planPatches } from "../../src/fix/patch.js";
import { applyTerraformJsonEdits } from "../../src/fix/tfjson-patch.js";
import { applyPatches } from "../../src/fix/write.js";
import { maskSensitive } from "../../src/plan/values.js";
import { classify, compileText, gate, modelFromBytes, POLICY_TYPES, policyChanges } from "./pipeline.js";

const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

function expectClean(): void {
  expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_KEYS);
  expect(Object.prototype.toString.call([])).toBe("[object Array]");
  expect(typeof Object.prototype.hasOwnProperty).toBe("function");
}
afterEach(expectClean);

const HOSTILE = `{"__proto__": {"polluted": "plan"}, "constructor": {"prototype": {"polluted": "plan"}}, "prototype": {"polluted": "plan"}, "toString": "x", "hasOwnProperty": 1}`;

/** A plan whose values, masks, for_each keys, module names and config expressions carry the keys. */
const plan = `{
  "format_version": "1.2",
  "terraform_version": "1.9.5",
  "resource_changes": [
    {"address": "aws_s3_bucket.b[\\"__proto__\\"]", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "index": "__proto__",
     "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["create"], "before": null,
       "after": {"bucket": "constructor", "tags": ${HOSTILE}, "policy": "{\\"__proto__\\": {\\"polluted\\": 1}, \\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"*\\", \\"Resource\\": \\"*\\", \\"__proto__\\": {\\"polluted\\": 1}, \\"Condition\\": {\\"__proto__\\": {\\"constructor\\": [\\"x\\"]}}}]}"},
       "after_unknown": {"__proto__": true, "constructor": true},
       "after_sensitive": {"tags": {"__proto__": true, "constructor": {"prototype": true}}}}},
    {"address": "module.constructor.aws_s3_bucket_versioning.prototype", "module_address": "module.constructor", "mode": "managed",
     "type": "aws_s3_bucket_versioning", "name": "prototype", "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["create"], "before": null, "after": {"bucket": "constructor", "versioning_configuration": [{"status": "__proto__"}]},
       "after_unknown": {}, "after_sensitive": {}}},
    {"address": "aws_iam_policy.__proto__", "mode": "managed", "type": "aws_iam_policy", "name": "__proto__",
     "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["create"], "before": null,
       "after": {"name": "constructor", "policy": "{\\"Statement\\": {\\"Effect\\": \\"Allow\\", \\"Action\\": [\\"__proto__\\", \\"*\\"], \\"Resource\\": \\"*\\", \\"Principal\\": {\\"__proto__\\": \\"*\\"}}}"},
       "after_unknown": {}, "after_sensitive": {}}}
  ],
  "configuration": {"root_module": {
    "resources": [{"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b",
      "expressions": {"__proto__": {"references": ["var.__proto__"]}, "bucket": {"references": ["module.constructor.prototype", "local.__proto__"]}},
      "for_each_expression": {"references": ["var.constructor"]}}],
    "module_calls": {"constructor": {"source": "./__proto__", "module": {
      "resources": [{"address": "aws_s3_bucket_versioning.prototype", "mode": "managed", "type": "aws_s3_bucket_versioning", "name": "prototype",
        "expressions": {"bucket": {"references": ["var.__proto__", "var.constructor"]}}}],
      "outputs": {"prototype": {"expression": {"references": ["aws_s3_bucket_versioning.prototype.id"]}}},
      "variables": {"__proto__": {}}},
      "expressions": {"__proto__": {"references": ["aws_s3_bucket.b"]}}}}
  }}
}`;

describe("plans", () => {
  it("the whole gate over a plan full of prototype keys", () => {
    const model = modelFromBytes(Buffer.from(plan), "proto.json");
    expect(model.resources.map((r) => r.address)).toContain('aws_s3_bucket.b["__proto__"]');
    const { outputs } = gate(model);
    expect(Object.keys(outputs).length).toBeGreaterThan(5);
    const r = model.byAddress.get('aws_s3_bucket.b["__proto__"]');
    expect(Object.getPrototypeOf(r?.after.value)).toBe(Object.prototype);
  });

  it("aws_iam_policy_document blocks whose principal type or condition test is __proto__ / constructor", () => {
    // Regression: normalize.ts built `result[test] ?? {}` and `[...(result[type] ?? [])]` on plain
    // objects, so `test = "__proto__"` wrote `variable` onto Object.prototype and
    // `type = "constructor"` threw "not iterable".
    for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      const statement = {
        effect: "Allow",
        actions: ["*"],
        resources: ["*"],
        principals: [{ type: name, identifiers: ["*"] }],
        not_principals: [{ type: name, identifiers: ["arn:aws:iam::1:root"] }],
        condition: [{ test: name, variable: "polluted", values: ["yes"] }],
      };
      const doc = {
        format_version: "1.2",
        resource_changes: [
          {
            address: "data.aws_iam_policy_document.d",
            mode: "data",
            type: "aws_iam_policy_document",
            name: "d",
            provider_name: "registry.terraform.io/hashicorp/aws",
            change: {
              actions: ["read"],
              before: null,
              after: { statement: [statement] },
              after_unknown: { json: true },
              after_sensitive: {},
            },
          },
          ...policyChanges({ name: "p", bucket: "b", role: "r" }, { policy: true, assume_role_policy: true }),
        ],
        configuration: {
          root_module: {
            resources: POLICY_TYPES.map((type) => ({
              address: `${type}.p`,
              mode: "managed",
              type,
              name: "p",
              expressions: {
                policy: {
                  references: ["data.aws_iam_policy_document.d.json", "data.aws_iam_policy_document.d"],
                },
                assume_role_policy: {
                  references: ["data.aws_iam_policy_document.d.json", "data.aws_iam_policy_document.d"],
                },
              },
            })),
          },
        },
      };
      const model = modelFromBytes(Buffer.from(JSON.stringify(doc)), "doc.json");
      const out = classify(() => gate(model));
      expect(out.kind, name).toBe("ok");
      expectClean();
      expect((Object as unknown as { polluted?: unknown }).polluted, name).toBeUndefined();
    }
  });

  it("maskSensitive copies keys as own data properties", () => {
    const value = JSON.parse(HOSTILE) as Parameters<typeof maskSensitive>[0];
    const masked = maskSensitive(
      value,
      JSON.parse(`{"__proto__": true, "constructor": {"prototype": true}}`),
    ) as Record<string, unknown>;
    expect(Object.getPrototypeOf(masked)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(masked, "__proto__")?.value).toBe("(sensitive)");
    expect(JSON.stringify(masked)).toContain('"constructor":{"prototype":"(sensitive)"}');
  });
});

const packHead = ["apiVersion: plangate/v1", "kind: PolicyPack", "metadata: { name: proto, version: 1.0.0 }"];

describe("packs", () => {
  it("prototype keys in a pack's own structure are schema errors, not behaviour", () => {
    for (const extra of [
      "__proto__: { polluted: pack }",
      "rules: [{ id: r, title: t, severity: low, enforcement: advisory, resource: aws_s3_bucket, require: { __proto__: { polluted: 1 } } }]",
      "rules: [{ id: r, title: t, severity: low, enforcement: advisory, resource: aws_s3_bucket, constructor: { prototype: { polluted: 1 } }, require: { attribute: bucket, exists: true } }]",
      "parameters: { __proto__: { type: string, default: x } }\nrules: []",
    ]) {
      const out = classify(() => compileText([...packHead, extra].join("\n"), "proto.yaml"));
      expect(out.kind, extra).toBe("input-error");
    }
  });

  it("prototype keys as attribute paths, operands and parameters match data only", () => {
    const pack = [
      ...packHead,
      "parameters:",
      "  constructor: { type: string, default: __proto__ }",
      '  prototype: { type: "string[]", default: [__proto__, constructor] }',
      "rules:",
      "  - id: constructor",
      "    title: '{{constructor}} ${constructor} ${param.constructor} #{process.exit()}'",
      "    message: '{{constructor}} {{__proto__}} {{address}} ${this.constructor.constructor(\"return process\")()}'",
      "    severity: low",
      "    enforcement: advisory",
      "    resource: aws_s3_bucket",
      "    require:",
      "      all:",
      '        - attribute: tags["__proto__"].polluted',
      "          equals: plan",
      '        - attribute: tags["${param.constructor}"]',
      "          exists: true",
      "        - attribute: tags.constructor.prototype",
      "          equals: { __proto__: { polluted: pack }, polluted: plan }",
      "        - attribute: bucket",
      "          in: { $param: prototype }",
    ].join("\n");
    const compiled = compileText(pack, "proto.yaml");
    const model = modelFromBytes(Buffer.from(plan), "proto.json");
    const results = evaluate(model, [compiled]);
    const r = results.find((x) => x.address === 'aws_s3_bucket.b["__proto__"]');
    // The tags are sensitive under __proto__ / constructor: the values are read, never shown.
    expect(r?.status).toBeDefined();
    expect(r?.message).not.toContain("function");
    expect(r?.message).not.toContain("[native code]");
    gate(model, [compiled]);
  });
});

describe("fix edits from a pack path", () => {
  it("a set edit at __proto__.polluted / constructor.prototype.polluted patches .tf.json data only", () => {
    // Regression: tfjson-patch walked `node[step]` for `__proto__` into Object.prototype and
    // defined the last step there.
    const text = JSON.stringify({ resource: { aws_s3_bucket: { b: { bucket: "b", tags: {} } } } }, null, 2);
    for (const path of [
      ["__proto__", "polluted"],
      ["constructor", "prototype", "polluted"],
      ["tags", "__proto__", "polluted"],
    ]) {
      const out = applyTerraformJsonEdits(text, [
        { op: "set", address: "aws_s3_bucket.b", path, value: "yes" },
      ]);
      expectClean();
      expect(out.text).toContain('"polluted": "yes"');
    }
  });
});

describe("the fix pipeline with a pack full of prototype keys", () => {
  it("derive, merge, plan and write patches to .tf and .tf.json sources: data only", () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "plangate-proto-fix-")));
    try {
      fs.writeFileSync(path.join(dir, "main.tf"), 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n');
      fs.writeFileSync(
        path.join(dir, "extra.tf.json"),
        JSON.stringify({ resource: { aws_s3_bucket: { c: { bucket: "c" } } } }, null, 2),
      );
      const pack = [
        ...packHead,
        "rules:",
        ...[
          "__proto__.polluted",
          "constructor.prototype.polluted",
          'tags["__proto__"].polluted',
          "prototype.polluted",
        ].map(
          (attr, i) =>
            `  - { id: r${i}, title: t, severity: high, enforcement: hard-mandatory, resource: aws_s3_bucket, require: { attribute: '${attr}', equals: yes } }`,
        ),
        "  - id: rel",
        "    title: t",
        "    severity: high",
        "    enforcement: hard-mandatory",
        "    resource: aws_s3_bucket",
        "    require: { related: { type: aws_s3_bucket_versioning, via: bucket, require: { attribute: __proto__.polluted, equals: yes } } }",
      ].join("\n");
      const compiled = compileText(pack, "proto.yaml");
      const doc = {
        format_version: "1.2",
        resource_changes: ["b", "c"].map((name) => ({
          address: `aws_s3_bucket.${name}`,
          mode: "managed",
          type: "aws_s3_bucket",
          name,
          provider_name: "registry.terraform.io/hashicorp/aws",
          change: {
            actions: ["create"],
            before: null,
            after: { bucket: name, tags: {} },
            after_unknown: {},
            after_sensitive: {},
          },
        })),
        configuration: {
          root_module: {
            resources: ["b", "c"].map((name) => ({
              address: `aws_s3_bucket.${name}`,
              mode: "managed",
              type: "aws_s3_bucket",
              name,
              expressions: { bucket: { constant_value: name } },
            })),
          },
        },
      };
      const model = modelFromBytes(Buffer.from(JSON.stringify(doc)), "proto.json");
      const results = deriveFixes(evaluate(model, [compiled]), model);
      expect(results.some((r) => r.status === "fail")).toBe(true);
      const plan = planPatches(mergeFixes(results), model, dir, nodeSourceFs);
      expectClean();
      applyPatches(plan.files, dir);
      expectClean();
      const json = fs.readFileSync(path.join(dir, "extra.tf.json"), "utf8");
      applyTerraformJsonEdits(
        json,
        results.flatMap((r) => r.fix?.edits ?? []),
      );
      expectClean();
      gate(model, [compiled]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("config", () => {
  it("prototype keys in the config are data or schema errors", () => {
    const texts = [
      "__proto__: { polluted: config }",
      "parameters: { __proto__: { polluted: config } }",
      "parameters: { aws-s3: { __proto__: { polluted: config } } }",
      "rules: { __proto__: { disabled: true }, constructor: { severity: critical } }",
      "waivers: [{ rule: __proto__, address: constructor, reason: r, owner: o, expires: 2099-01-01 }]",
    ];
    for (const t of texts) {
      const out = classify(() => parseConfig(t, ".plangate.yaml", "/tmp"));
      if (out.kind === "ok") expect(Object.getPrototypeOf(out.value.config)).toBe(Object.prototype);
      expectClean();
    }
  });
});
