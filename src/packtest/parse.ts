/**
 * Parse and check one pack test file (`*.test.yaml`). Pure: the caller reads the text and hands in
 * the schema validator. Every error is an `InputError` at `file:line:column`.
 */
import type { ErrorObject } from "ajv";
import { InputError, type JsonObject, type JsonValue } from "../plan/types.js";
import { type PositionedYaml, parseYamlWithPositions } from "./positions.js";
import type { ExpectedResult, InlineResource, ParamValues, TestCase, TestFile } from "./types.js";

/** A compiled JSON Schema validator (ajv, at run time or standalone). */
export interface SchemaValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** A built-in pack or npm package name rather than a file: no extension, no directory. */
const BARE_PACK_NAME = /^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;
const PACK_FILE = /\.(ya?ml|json|m?js)$/;

/** Resolve a path written in the test file against the test file's location. */
export type ResolvePath = (relative: string) => string;

function pointerSteps(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function dotted(steps: readonly (string | number)[]): string {
  return steps.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

/** One ajv error as a sentence and the node it is about. */
function describe(err: ErrorObject): { steps: (string | number)[]; key: boolean; text: string } {
  const steps = pointerSteps(err.instancePath);
  const at = steps.length > 0 ? `${dotted(steps)}: ` : "";
  const params = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case "additionalProperties":
      return {
        steps: [...steps, String(params.additionalProperty)],
        key: true,
        text: `${at}unknown property \`${String(params.additionalProperty)}\``,
      };
    case "required":
      return { steps, key: false, text: `${at}missing property \`${String(params.missingProperty)}\`` };
    case "enum":
      return {
        steps,
        key: false,
        text: `${at}must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
      };
    case "const":
      return { steps, key: false, text: `${at}must be ${JSON.stringify(params.allowedValue)}` };
    default:
      return { steps, key: false, text: `${at}${err.message ?? "is invalid"}` };
  }
}

/** A wrong `kind`/`apiVersion` explains everything else; otherwise the deepest error names the node to change. */
function pickError(errors: readonly ErrorObject[]): ErrorObject {
  const header = errors.find((e) => e.instancePath === "/kind" || e.instancePath === "/apiVersion");
  // At equal depth an unknown property beats a missing one: usually the same typo, and it points at it.
  const rank = (e: ErrorObject): number =>
    e.instancePath.length * 2 + (e.keyword === "additionalProperties" ? 1 : 0);
  return header ?? ([...errors].sort((a, b) => rank(b) - rank(a))[0] as ErrorObject);
}

function obj(v: JsonValue | undefined): JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? v : {};
}

function params(v: JsonValue | undefined): ParamValues {
  return obj(v);
}

/**
 * Parse a test file. `validate` is the compiled `schemas/pack-test.schema.json`; `resolve` turns
 * the `pack` and `plan` paths (relative to the test file) into paths the loader can read.
 */
export function parseTestFile(
  text: string,
  file: string,
  validate: SchemaValidator,
  resolve: ResolvePath,
): TestFile {
  const yaml: PositionedYaml = parseYamlWithPositions(text, file);
  if (!validate(yaml.value)) {
    const errors = validate.errors ?? [];
    const d = describe(pickError(errors));
    const more = errors.length > 1 ? ` (${errors.length - 1} more error(s))` : "";
    throw new InputError(`${d.text}${more}`, yaml.at(d.steps, d.key));
  }
  const root = obj(yaml.value);
  const fileParams = params(root.params);
  const seenNames = new Map<string, string>();
  const cases: TestCase[] = (root.cases as JsonValue[]).map((raw, i) => {
    const c = obj(raw);
    const name = c.name as string;
    const where = yaml.at(["cases", i]);
    const earlier = seenNames.get(name);
    if (earlier)
      throw new InputError(
        `duplicate case name "${name}" (first at ${earlier})`,
        yaml.at(["cases", i, "name"]),
      );
    seenNames.set(name, where);
    if ((c.plan === undefined) === (c.resources === undefined)) {
      throw new InputError(`case "${name}": give exactly one of \`plan\` and \`resources\``, where);
    }
    const seenKeys = new Set<string>();
    const expect: ExpectedResult[] = (c.expect as JsonValue[]).map((e, j) => {
      const x = obj(e);
      const key = `${String(x.rule)}\u0000${String(x.address)}`;
      const at = yaml.at(["cases", i, "expect", j]);
      if (seenKeys.has(key)) {
        throw new InputError(
          `case "${name}" expects rule ${String(x.rule)} on ${String(x.address)} twice`,
          at,
        );
      }
      seenKeys.add(key);
      return { ...(x as unknown as Omit<ExpectedResult, "where">), where: at };
    });
    const plan = typeof c.plan === "string" ? resolve(c.plan) : undefined;
    return {
      name,
      ...(plan !== undefined ? { plan } : {}),
      ...(Array.isArray(c.resources) ? { resources: c.resources as unknown as InlineResource[] } : {}),
      params: { ...fileParams, ...params(c.params) },
      expect,
      where,
      inputWhere: yaml.at(["cases", i, plan !== undefined ? "plan" : "resources"]),
    };
  });
  const pack = root.pack as string;
  // A bare name (`aws-s3`, an npm package) goes to the pack loader as is; anything path-like is
  // relative to the test file.
  const bare = BARE_PACK_NAME.test(pack) && !PACK_FILE.test(pack);
  const packPath = bare ? pack : resolve(pack);
  return { file, pack: packPath, packWhere: yaml.at(["pack"]), cases };
}
