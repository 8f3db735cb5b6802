/**
 * Transitive links through a hub: N resources refer to one bucket policy whose `bucket` refers to
 * M instances. Following the hub's links must cost the links it makes, not N x M, and a hub that
 * would make more links than `maxLinks` is refused like any graph that dense.
 */
import { describe, expect, it } from "vitest";
import { maxLinks } from "../../src/plan/graph.js";
import { KindsNamed } from "../../src/plan/kinds-named.js";
import { buildPlanModel } from "../../src/plan/model.js";

function change(address: string, type: string, name: string, index?: number): unknown {
  return {
    address,
    mode: "managed",
    type,
    name,
    ...(index !== undefined ? { index } : {}),
    provider_name: "registry.terraform.io/hashicorp/aws",
    change: {
      actions: ["create"],
      before: null,
      after: {},
      after_unknown: {},
      before_sensitive: false,
      after_sensitive: {},
    },
  };
}

/** A resource block of `configuration`, counted when `count` is given. */
function block(type: string, name: string, expressions: object, count?: number): unknown {
  return {
    address: `${type}.${name}`,
    mode: "managed",
    type,
    name,
    expressions,
    ...(count !== undefined ? { count_expression: { constant_value: count } } : {}),
  };
}

/** `n` notifications referring to `aws_s3_bucket_policy.h.bucket`; the policy's bucket refers to all `n` of `targetType.t`. */
function hubPlan(n: number, targetType: string): unknown {
  const changes = [change("aws_s3_bucket_policy.h", "aws_s3_bucket_policy", "h")];
  for (let i = 0; i < n; i++) changes.push(change(`${targetType}.t[${i}]`, targetType, "t", i));
  for (let i = 0; i < n; i++)
    changes.push(change(`aws_s3_bucket_notification.r[${i}]`, "aws_s3_bucket_notification", "r", i));
  return {
    format_version: "1.2",
    resource_changes: changes,
    configuration: {
      root_module: {
        resources: [
          block("aws_s3_bucket_policy", "h", { bucket: { references: [`${targetType}.t`] } }),
          block(targetType, "t", {}, n),
          block(
            "aws_s3_bucket_notification",
            "r",
            { bucket: { references: ["aws_s3_bucket_policy.h.bucket", "aws_s3_bucket_policy.h"] } },
            n,
          ),
        ],
      },
    },
  };
}

describe("transitive links through a hub", () => {
  it("follows only the hub's links to a companion's parent, without scanning the others per referrer", () => {
    // The policy's bucket names random_ids, not buckets: nothing to follow. Scanning the hub's
    // 20,000 links for each of 20,000 referrers took 12 s here.
    const n = 20_000;
    const model = buildPlanModel(hubPlan(n, "random_id"), "hub.json");
    expect(model.links.length).toBe(2 * n);
    expect(model.links.filter((l) => l.kind === "transitive")).toEqual([]);
  }, 10_000);

  it("makes the transitive links when the hub's targets are its parents", () => {
    const model = buildPlanModel(hubPlan(50, "aws_s3_bucket"), "hub.json");
    const transitive = model.links.filter((l) => l.kind === "transitive");
    expect(transitive.length).toBe(50 * 50);
    expect(model.outgoing.get("aws_s3_bucket_notification.r[3]")?.map((l) => `${l.to} ${l.kind}`)).toEqual([
      "aws_s3_bucket_policy.h reference",
      ...Array.from({ length: 50 }, (_, i) => `aws_s3_bucket.t[${i}] transitive`),
    ]);
  });

  it("refuses a graph whose transitive links go past maxLinks (1,000 x 1,000 made a million)", () => {
    const n = 1_000;
    expect(2 * n < maxLinks(2 * n + 1)).toBe(true);
    expect(() => buildPlanModel(hubPlan(n, "aws_s3_bucket"), "hub.json")).toThrow(
      `the plan's references make more than ${maxLinks(2 * n + 1)} links between ${2 * n + 1} resources`,
    );
  });
});

/** `n` resources of `n` kinds (`aws_k0.r` ... ), all named `shared`, with `attributes(i)` besides. */
function kindsPlan(n: number, attributes: (i: number) => object): unknown[] {
  return Array.from({ length: n }, (_, i) => ({
    address: `aws_k${i}.r`,
    mode: "managed",
    type: `aws_k${i}`,
    name: "r",
    provider_name: "registry.terraform.io/hashicorp/aws",
    change: {
      actions: ["create"],
      before: null,
      after: { name: "shared", ...attributes(i) },
      after_unknown: {},
      before_sensitive: false,
      after_sensitive: {},
    },
  }));
}

describe("binding keys in big groups", () => {
  it("binds count.index and explicit keys the same in groups of any size", () => {
    // Groups up to 8 members are scanned for a key, bigger ones keep a map: both must bind alike.
    for (const n of [3, 8, 9, 40]) {
      const changes = [change("aws_iam_role.one", "aws_iam_role", "one")];
      for (let i = 0; i < n; i++) changes.push(change(`aws_s3_bucket.b[${i}]`, "aws_s3_bucket", "b", i));
      for (let i = 0; i < n; i++)
        changes.push(change(`aws_s3_bucket_policy.p[${i}]`, "aws_s3_bucket_policy", "p", i));
      const model = buildPlanModel(
        {
          format_version: "1.2",
          resource_changes: changes,
          configuration: {
            root_module: {
              resources: [
                block("aws_iam_role", "one", { description: { references: ["aws_s3_bucket.b[2]"] } }),
                block("aws_s3_bucket", "b", {}, n),
                block(
                  "aws_s3_bucket_policy",
                  "p",
                  { bucket: { references: ["aws_s3_bucket.b", "count.index"] } },
                  n,
                ),
              ],
            },
          },
        },
        "keys.json",
      );
      const to = (from: string) => model.outgoing.get(from)?.map((l) => l.to);
      expect(to("aws_iam_role.one"), `n=${n}`).toEqual(["aws_s3_bucket.b[2]"]);
      for (let i = 0; i < n; i++)
        expect(to(`aws_s3_bucket_policy.p[${i}]`), `n=${n}`).toEqual([`aws_s3_bucket.b[${i}]`]);
    }
  });
});

describe("links by value across many kinds", () => {
  it("looks a value up by the kinds an attribute names, not every kind that holds the value", () => {
    // 20,000 resources of 20,000 kinds, all named `shared`, each with an attribute holding
    // `shared`: scanning the value's 20,000 kinds for each of those attributes took 21 s.
    const n = 20_000;
    const changes = kindsPlan(n, () => ({ ref: "shared", k7: "shared" }));
    const model = buildPlanModel({ format_version: "1.2", resource_changes: changes }, "kinds.json");
    // `k7` names the kind of aws_k7 (and of nothing else: `k7` is no other kind's substring).
    expect(model.links.filter((l) => l.to === "aws_k7.r").length).toBe(n - 1);
    expect(model.links.length).toBe(n - 1);
  }, 10_000);
});

describe("links by value through many attribute names", () => {
  it("finds the kinds in each attribute name in its length, not by trying every kind", () => {
    // 20,000 kinds (`aws_k0` ... `aws_k19999`), all named `shared`, each with an attribute of its
    // own name holding `shared`: trying each of 20,000 kinds on each of 20,000 names was 400
    // million substring searches.
    const n = 20_000;
    const changes = kindsPlan(n, (i) => ({ [`x_k7_${i}`]: "shared" }));
    const model = buildPlanModel({ format_version: "1.2", resource_changes: changes }, "names.json");
    // `x_k7_123` holds the kind `k7` and no other (kinds start with `k`, and its only `k` is k7's).
    expect(model.links.filter((l) => l.to === "aws_k7.r").length).toBe(n - 1);
    expect(model.links.length).toBe(n - 1);
  }, 5_000);
});

describe("KindsNamed", () => {
  it("finds the kinds an attribute name holds, as trying each kind does", () => {
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    // A small alphabet: kinds overlap, nest and repeat inside names.
    const word = (max: number) => Array.from({ length: 1 + next(max) }, () => "abc-"[next(4)]).join("");
    for (let round = 0; round < 200; round++) {
      const kinds = [...new Set(Array.from({ length: 1 + next(12) }, () => word(4)))];
      const named = new KindsNamed(kinds);
      for (let a = 0; a < 20; a++) {
        const attr = word(12);
        expect(named.in(attr), `${attr} in ${kinds.join(",")}`).toEqual(
          kinds.filter((k) => attr.includes(k)),
        );
      }
    }
  });
});

describe("deep module addresses", () => {
  it("reads a resource 20,000 modules deep (a string, so no JSON depth limit applies)", () => {
    // Module instances were keyed by their whole address: every prefix of this one, 1.8 GB of
    // keys (out of memory after 45 s); then built recursively, which overflowed the stack.
    const modules = Array.from({ length: 20_000 }, (_, i) => `module.m[${i % 3}]`).join(".");
    const model = buildPlanModel(
      {
        format_version: "1.2",
        resource_changes: [
          {
            address: `${modules}.aws_s3_bucket.b`,
            mode: "managed",
            type: "aws_s3_bucket",
            name: "b",
            provider_name: "registry.terraform.io/hashicorp/aws",
            change: { actions: ["create"], before: null, after: {}, after_unknown: {} },
          },
        ],
      },
      "deep.json",
    );
    expect(model.resources[0]?.modulePath.length).toBe(20_000);
    expect(model.links).toEqual([]);
  }, 10_000);
});
