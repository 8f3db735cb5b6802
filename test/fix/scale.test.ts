/**
 * The fix stage at scale: work grows with the number of edits and failures, never with their
 * product. Counted in operations (reads of the edit list), not in time.
 */
import { describe, expect, it } from "vitest";
import type { FixEdit, Violation } from "../../src/engine/types.js";
import { findResourceBlock, scanHcl } from "../../src/fix/hcl-scanner.js";
import { renderHcl } from "../../src/fix/snippet.js";
import { model, type Res } from "./helpers.js";

/** `items` behind a proxy that counts reads of its elements. */
function counted<T>(items: readonly T[]): { list: readonly T[]; reads: () => number } {
  let reads = 0;
  const list = new Proxy(items, {
    get(target, key, receiver) {
      if (typeof key === "string" && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { list, reads: () => reads };
}

describe("renderHcl on a merged fix of many resources", () => {
  const count = 2000;
  const buckets = Array.from(
    { length: count },
    (_, i): Res => ({ address: `aws_s3_bucket.b${i}`, type: "aws_s3_bucket", name: `b${i}`, after: {} }),
  );
  const m = model(buckets);

  it("reads each edit a bounded number of times, whatever the number of resources", () => {
    const edits = counted<FixEdit>(
      buckets.map((b) => ({ op: "set", address: b.address, path: ["force_destroy"], value: false })),
    );
    const hcl = renderHcl({ edits: edits.list }, m);
    expect(hcl?.match(/^ {2}# aws_s3_bucket\.b\d+$/gm)).toHaveLength(count);
    expect(hcl).toContain("+   force_destroy = false");
    expect(edits.reads()).toBeLessThanOrEqual(4 * count);
  });

  it("deleted resources find their reason without a scan of the violations per resource", () => {
    const edits = buckets.map((b): FixEdit => ({ op: "remove-resource", address: b.address }));
    const violations = counted<Violation>(
      buckets.map((b) => ({ kind: "forbidden-resource", address: b.address, reason: `no ${b.name}` })),
    );
    const hcl = renderHcl({ edits }, m, violations.list);
    expect(hcl).toContain("# aws_s3_bucket.b1999: delete this resource (no b1999)");
    expect(violations.reads()).toBeLessThanOrEqual(4 * count);
  });
});

describe("findResourceBlock in a module of many blocks", () => {
  it("reads the file's blocks once, not once per lookup", () => {
    const count = 2000;
    const text = Array.from(
      { length: count },
      (_, i) => `resource "aws_s3_bucket" "b${i}" {\n  bucket = "b${i}"\n}\n`,
    ).join("\n");
    const scanned = scanHcl(text);
    const items = counted(scanned.items);
    const file = { ...scanned, items: items.list };
    for (let i = count - 1; i >= 0; i--)
      expect(findResourceBlock(file, "aws_s3_bucket", `b${i}`)?.line).toBe(1 + 4 * i);
    expect(findResourceBlock(file, "aws_s3_bucket", "missing")).toBeUndefined();
    expect(findResourceBlock(file, "aws_s3_bucket", "b1", "data")).toBeUndefined();
    expect(items.reads()).toBeLessThanOrEqual(2 * count);
  });

  it("the first of two blocks with the same labels is the one found, as a scan from the top finds it", () => {
    const file = scanHcl('resource "t" "n" {\n}\n\nresource "t" "n" {\n  x = 1\n}\n');
    expect(findResourceBlock(file, "t", "n")?.line).toBe(1);
  });
});
