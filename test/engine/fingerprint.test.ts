import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fingerprint } from "../../src/engine/fingerprint.js";

/** The definition users baseline and waive by: the first 16 hex digits of sha256(pack NUL rule NUL address). */
const reference = (pack: string, rule: string, address: string): string =>
  createHash("sha256").update(`${pack}\u0000${rule}\u0000${address}`).digest("hex").slice(0, 16);

describe("fingerprint", () => {
  it("is the first 16 hex digits of the sha256 of pack, rule and address", () => {
    expect(fingerprint("aws-s3", "s3-versioning-enabled", "aws_s3_bucket.logs")).toBe(
      reference("aws-s3", "s3-versioning-enabled", "aws_s3_bucket.logs"),
    );
    // Pinned: a value reports and baselines already hold.
    expect(fingerprint("aws-s3", "s3-versioning-enabled", "aws_s3_bucket.logs")).toBe("446fc22f47841ee5");
  });

  it("matches the reference for many addresses, non-ASCII ones included", () => {
    const addresses = [
      "",
      'module.m["é"].aws_s3_bucket.b["k"]',
      "aws_iam_role.r[3]",
      'aws_s3_bucket.b["日本"]',
      "x".repeat(1000),
    ];
    for (let i = 0; i < 200; i++) addresses.push(`module.m${i}.aws_s3_bucket.b${i}["k${i * 7919}"]`);
    for (const a of addresses) expect(fingerprint("p", "r", a)).toBe(reference("p", "r", a));
  });
});
