import { describe, expect, it } from "vitest";
import { createWaiverMatcher, isExpired, type WaiverSpec } from "../../src/check/waivers.js";

const base = { reason: "accepted", owner: "team-data", expires: "2026-12-31" };
const w = (rule: string, address: string, extra: Partial<WaiverSpec> = {}): WaiverSpec => ({
  rule,
  address,
  ...base,
  ...extra,
});

describe("waiver matching", () => {
  it("matches by exact rule id and by rule glob", () => {
    const m = createWaiverMatcher(
      [w("s3-versioning", "aws_s3_bucket.a"), w("s3-*", "aws_s3_bucket.b")],
      "2026-06-01",
    );
    expect(m.match("s3-versioning", "aws_s3_bucket.a")?.waiver.address).toBe("aws_s3_bucket.a");
    expect(m.match("s3-logging", "aws_s3_bucket.b")?.state).toBe("active");
    expect(m.match("iam-admin", "aws_s3_bucket.b")).toBeUndefined();
    expect(m.match("s3-versioning", "aws_s3_bucket.c")).toBeUndefined();
  });

  it("prefers an active waiver over an expired one, and the first in file order", () => {
    const m = createWaiverMatcher(
      [
        w("r", "aws_s3_bucket.*", { expires: "2026-01-01", owner: "old" }),
        w("r", "**", { owner: "a" }),
        w("r", "aws_s3_bucket.x", { owner: "b" }),
      ],
      "2026-06-01",
    );
    expect(m.match("r", "aws_s3_bucket.x")?.waiver.owner).toBe("a");
    const only = createWaiverMatcher([w("r", "aws_s3_bucket.*", { expires: "2026-01-01" })], "2026-06-01");
    expect(only.match("r", "aws_s3_bucket.x")?.state).toBe("expired");
  });

  it("expiry is inclusive of the expiry date", () => {
    expect(isExpired("2026-06-01", "2026-06-01")).toBe(false);
    expect(isExpired("2026-06-01", "2026-06-02")).toBe(true);
  });

  it("reports active, expired and stale waivers; out-of-scope rules are not stale", () => {
    const specs = [
      w("r", "aws_s3_bucket.a"),
      w("r", "aws_s3_bucket.zzz"),
      w("old", "**", { expires: "2020-01-01" }),
      w("other", "**"),
    ];
    const m = createWaiverMatcher(specs, "2026-06-01");
    const hit = m.match("r", "aws_s3_bucket.a");
    if (hit) m.record(hit);
    expect(m.report().map((r) => [r.address, r.state, r.matched])).toEqual([
      ["aws_s3_bucket.a", "active", 1],
      ["aws_s3_bucket.zzz", "stale", 0],
      ["**", "expired", 0],
      ["**", "stale", 0],
    ]);
    expect(m.report((rule) => rule === "r").map((r) => r.rule)).toEqual(["r", "r", "old"]);
  });

  it("stays fast with many waivers and many results (indexed, not quadratic)", () => {
    const specs: WaiverSpec[] = [];
    for (let i = 0; i < 5000; i++) specs.push(w(`rule-${i % 50}`, `module.m${i}.aws_s3_bucket.b`));
    // Globbed patterns too: indexed by the literal names they start with, not scanned per result.
    for (let i = 0; i < 5000; i++) specs.push(w(`rule-${i % 50}`, `module.g${i}[*].aws_s3_bucket.*`));
    specs.push(w("rule-*", "module.special[*].aws_s3_bucket.*"));
    const m = createWaiverMatcher(specs, "2026-06-01");
    const start = performance.now();
    let hits = 0;
    for (let i = 0; i < 50_000; i++) {
      if (m.match(`rule-${i % 50}`, `module.m${i % 7000}.aws_s3_bucket.b`)) hits++;
      if (m.match(`rule-${i % 50}`, `module.g${i % 7000}["k"].aws_s3_bucket.x`)) hits++;
    }
    const ms = performance.now() - start;
    expect(hits).toBeGreaterThan(0);
    // Quadratic would be 100k x 10k pattern tests (minutes); linear is about a second, with room for a busy CI.
    expect(ms).toBeLessThan(6000);
  });
});
