/**
 * `applyFixToModel` builds its indexes incrementally: the new model's maps copy the old ones and
 * only the entries a fix touches are new. They must still agree with indexes built from
 * scratch, and a fix must not cost a pass over every resource or link of a big plan.
 */
import { describe, expect, it } from "vitest";
import type { FixEdit } from "../../src/engine/types.js";
import { applyFixToModel } from "../../src/fix/apply-model.js";
import type { PlanModel } from "../../src/plan/types.js";
import { model, type Res } from "./helpers.js";

const bucket = (name: string): Res => ({
  address: `aws_s3_bucket.${name}`,
  type: "aws_s3_bucket",
  name,
  after: { bucket: name },
  expressions: { bucket: { constant_value: name } },
});

/** A companion of `aws_s3_bucket.<of>` that refers to it through `bucket`. */
const logging = (of: string): Res => ({
  address: `aws_s3_bucket_logging.${of}`,
  type: "aws_s3_bucket_logging",
  name: of,
  after: { target_bucket: "logs" },
  expressions: { bucket: { references: [`aws_s3_bucket.${of}.id`, `aws_s3_bucket.${of}`] } },
});

const addVersioning = (of: string): FixEdit => ({
  op: "add-resource",
  address: `aws_s3_bucket_versioning.${of}`,
  type: "aws_s3_bucket_versioning",
  name: of,
  linkTo: `aws_s3_bucket.${of}`,
  attributes: { versioning_configuration: [{ status: "Enabled" }] },
  references: { bucket: `aws_s3_bucket.${of}.id` },
});

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const item of items) m.set(key(item), [...(m.get(key(item)) ?? []), item]);
  return m;
}

/** The model's indexes as an index built from its resources and links would hold them. */
function expectConsistent(m: PlanModel): void {
  expect([...m.byType]).toEqual([...groupBy(m.resources, (r) => r.type)]);
  expect([...m.outgoing]).toEqual([...groupBy(m.links, (l) => l.from)]);
  expect([...m.incoming]).toEqual([...groupBy(m.links, (l) => l.to)]);
  expect(new Map(m.byAddress)).toEqual(new Map(m.resources.map((r) => [r.address, r])));
  expect(m.byAddress.size).toBe(m.resources.length);
  for (const r of m.resources) expect(m.byAddress.get(r.address)).toBe(r);
}

describe("applyFixToModel indexes", () => {
  const names = ["a", "b", "c", "d"];
  const m = model([...names.map(bucket), logging("a"), logging("b"), logging("c")]);

  it("the plan's own indexes are consistent (the reference for the rest)", () => {
    expect(m.links.length).toBeGreaterThan(0);
    expectConsistent(m);
  });

  it("companions, attribute edits and deleted resources leave indexes as if built from scratch", () => {
    const fixed = applyFixToModel(m, {
      edits: [
        addVersioning("a"),
        addVersioning("d"),
        { op: "set", address: "aws_s3_bucket.b", path: ["force_destroy"], value: false },
        { op: "set", address: "aws_s3_bucket_logging.a", path: ["target_prefix"], value: "a/" },
        // Deleting a bucket takes the links to and from it: its logging no longer refers to anything.
        { op: "remove-resource", address: "aws_s3_bucket.c" },
        { op: "remove-resource", address: "aws_s3_bucket_logging.b" },
      ],
    });
    expectConsistent(fixed);
    expect(fixed.resources.map((r) => r.address)).toEqual([
      "aws_s3_bucket.a",
      "aws_s3_bucket.b",
      "aws_s3_bucket.d",
      "aws_s3_bucket_logging.a",
      "aws_s3_bucket_logging.c",
      "aws_s3_bucket_versioning.a",
      "aws_s3_bucket_versioning.d",
    ]);
    expect(fixed.byAddress.get("aws_s3_bucket.b")?.after.value).toEqual({
      bucket: "b",
      force_destroy: false,
    });
    expect(fixed.incoming.get("aws_s3_bucket.a")?.map((l) => l.from)).toEqual([
      "aws_s3_bucket_logging.a",
      "aws_s3_bucket_versioning.a",
    ]);
    expect(fixed.incoming.has("aws_s3_bucket.c")).toBe(false);
    expect(fixed.outgoing.has("aws_s3_bucket_logging.c")).toBe(false);
    expect(fixed.byType.get("aws_s3_bucket_logging")?.map((r) => r.address)).toEqual([
      "aws_s3_bucket_logging.a",
      "aws_s3_bucket_logging.c",
    ]);
    // The model the fix applies to is left as it was.
    expectConsistent(m);
    expect(m.resources).toHaveLength(7);
  });

  it("a type whose every resource is deleted leaves the type index", () => {
    const fixed = applyFixToModel(m, {
      edits: ["a", "b", "c"].map(
        (n): FixEdit => ({ op: "remove-resource", address: `aws_s3_bucket_logging.${n}` }),
      ),
    });
    expectConsistent(fixed);
    expect(fixed.byType.has("aws_s3_bucket_logging")).toBe(false);
    expect(fixed.links).toEqual([]);
  });

  it("only what a fix touches gets a new list: the rest of the plan's indexes is not regrouped", () => {
    const count = 2000;
    const big = model(Array.from({ length: count }, (_, i) => bucket(`b${i}`)));
    const fixed = applyFixToModel(big, {
      edits: [
        addVersioning("b7"),
        addVersioning("b1999"),
        { op: "set", address: "aws_s3_bucket.b3", path: ["force_destroy"], value: false },
      ],
    });
    expectConsistent(fixed);
    expect(fixed.resources).toHaveLength(count + 2);
    expect(fixed.byAddress.get("aws_s3_bucket.b4")).toBe(big.byAddress.get("aws_s3_bucket.b4"));
    expect(fixed.byAddress.get("aws_s3_bucket.b3")?.after.value).toEqual({
      bucket: "b3",
      force_destroy: false,
    });
    expect(fixed.incoming.get("aws_s3_bucket.b1999")?.map((l) => l.from)).toEqual([
      "aws_s3_bucket_versioning.b1999",
    ]);
    // Each untouched key keeps the very list of the plan (rebuilding them all was most of a pass).
    const linked = applyFixToModel(m, { edits: [addVersioning("d")] });
    expect(m.incoming.get("aws_s3_bucket.a")).toHaveLength(1);
    expect(m.outgoing.get("aws_s3_bucket_logging.b")).toHaveLength(1);
    expect(linked.incoming.get("aws_s3_bucket.a")).toBe(m.incoming.get("aws_s3_bucket.a"));
    expect(linked.outgoing.get("aws_s3_bucket_logging.b")).toBe(m.outgoing.get("aws_s3_bucket_logging.b"));
    expect(linked.byType.get("aws_s3_bucket_logging")).toBe(m.byType.get("aws_s3_bucket_logging"));
    expect(linked.resources.slice(0, m.resources.length)).toEqual(m.resources);
  });
});

describe("applyFixToModel companions", () => {
  const m = model([bucket("a")]);
  const attributes = { rule: [{ status: "Enabled" }] };
  const add = (references: Record<string, string>): FixEdit => ({
    op: "add-resource",
    address: "aws_x.a",
    type: "aws_x",
    name: "a",
    linkTo: "aws_s3_bucket.a",
    attributes,
    references,
  });

  it("sets known references, masks unknown ones, and leaves the shared attributes object alone", () => {
    // The plan knows the bucket's `bucket`, not its `id` (known after apply).
    const fixed = applyFixToModel(m, {
      edits: [add({ name: "aws_s3_bucket.a.bucket", ids: "[aws_s3_bucket.a.id]", id: "aws_s3_bucket.a.id" })],
    });
    const c = fixed.byAddress.get("aws_x.a");
    expect(c?.after.value).toEqual({ rule: [{ status: "Enabled" }], name: "a", ids: [null] });
    expect(c?.after.unknown).toEqual({ ids: [true], id: true });
    expect(c?.unknownPaths).toEqual(["id", "ids", "name"]);
    expect(attributes).toEqual({ rule: [{ status: "Enabled" }] });
  });

  it("a companion in a module has the module's configuration address", () => {
    const inModule = model([{ ...bucket("a"), address: "module.m.aws_s3_bucket.a" }]);
    const fixed = applyFixToModel(inModule, {
      edits: [
        {
          op: "add-resource",
          address: "module.m.aws_x.a",
          type: "aws_x",
          name: "a",
          linkTo: "module.m.aws_s3_bucket.a",
          attributes,
          references: { bucket: "aws_s3_bucket.a.id" },
        },
      ],
    });
    const c = fixed.byAddress.get("module.m.aws_x.a");
    expect(c?.configAddress).toBe("module.m.aws_x.a");
    expect(c?.modulePath).toEqual(["m"]);
  });

  it("a reference named __proto__ (a hostile pack) is a plain key, not the prototype", () => {
    const fixed = applyFixToModel(m, { edits: [add(JSON.parse('{"__proto__": "aws_s3_bucket.a.bucket"}'))] });
    const value = fixed.byAddress.get("aws_x.a")?.after.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, "__proto__")).toBe(true);
    expect(Object.keys(value)).toEqual(["rule", "__proto__"]);
  });
});
