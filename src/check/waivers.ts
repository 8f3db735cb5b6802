/**
 * Waiver matching. Waivers are indexed once: by exact rule id (globbed rule ids are resolved once per
 * rule id seen), then by the key-less address names of literal address patterns. A result looks up a
 * handful of candidates instead of scanning every waiver, so matching stays linear in the results.
 */
import type { Waiver } from "../engine/types.js";
import type { AddressPattern } from "./pattern.js";
import { addressNameKey, compileAddressPattern, globToRegExp, hasGlob } from "./pattern.js";
import type { WaiverReport } from "./types.js";

/** A waiver as written in the config, with where it was written. */
export interface WaiverSpec extends Waiver {
  readonly where?: string;
}

interface Compiled {
  readonly index: number;
  readonly spec: WaiverSpec;
  readonly address: AddressPattern;
  readonly expired: boolean;
}

interface RuleBucket {
  readonly byName: Map<string, Compiled[]>;
  readonly globbed: Compiled[];
}

export interface WaiverMatch {
  readonly waiver: WaiverSpec;
  readonly state: "active" | "expired";
}

export interface WaiverMatcher {
  /** The waiver for a (rule, address): the first active one in file order, else the first expired one. */
  match(rule: string, address: string): WaiverMatch | undefined;
  /** Record that a match was used (a failure or unknown was covered, or tried to be). */
  record(match: WaiverMatch): void;
  /** Every waiver with its state, in file order. */
  report(ruleInScope?: (ruleGlob: string) => boolean): WaiverReport[];
}

/** `expires` is the last day the waiver holds (inclusive); dates compare as `YYYY-MM-DD` strings. */
export function isExpired(expires: string, today: string): boolean {
  return today > expires;
}

export function createWaiverMatcher(waivers: readonly WaiverSpec[], today: string): WaiverMatcher {
  const compiled: Compiled[] = waivers.map((spec, index) => ({
    index,
    spec,
    address: compileAddressPattern(spec.address),
    expired: isExpired(spec.expires, today),
  }));
  const exactRule = new Map<string, Compiled[]>();
  const globRule: { readonly re: RegExp; readonly w: Compiled }[] = [];
  for (const w of compiled) {
    if (hasGlob(w.spec.rule)) globRule.push({ re: globToRegExp(w.spec.rule), w });
    else {
      const list = exactRule.get(w.spec.rule);
      if (list) list.push(w);
      else exactRule.set(w.spec.rule, [w]);
    }
  }
  const buckets = new Map<string, RuleBucket>();
  const bucketFor = (rule: string): RuleBucket => {
    let b = buckets.get(rule);
    if (b) return b;
    const all = [...(exactRule.get(rule) ?? []), ...globRule.filter((g) => g.re.test(rule)).map((g) => g.w)];
    all.sort((x, y) => x.index - y.index);
    b = { byName: new Map(), globbed: [] };
    for (const w of all) {
      const key = w.address.nameKey;
      if (key === undefined) b.globbed.push(w);
      else {
        const list = b.byName.get(key);
        if (list) list.push(w);
        else b.byName.set(key, [w]);
      }
    }
    buckets.set(rule, b);
    return b;
  };
  const counts = new Array<number>(compiled.length).fill(0);
  const byWaiver = new Map<WaiverSpec, number>(compiled.map((w) => [w.spec, w.index]));

  return {
    match(rule, address) {
      const b = bucketFor(rule);
      if (b.byName.size === 0 && b.globbed.length === 0) return undefined;
      const key = addressNameKey(address);
      const candidates = [...((key !== undefined && b.byName.get(key)) || []), ...b.globbed];
      let expired: Compiled | undefined;
      let active: Compiled | undefined;
      for (const w of candidates) {
        if (!w.address.matches(address)) continue;
        if (w.expired) {
          if (!expired || w.index < expired.index) expired = w;
        } else if (!active || w.index < active.index) active = w;
      }
      if (active) return { waiver: active.spec, state: "active" };
      if (expired) return { waiver: expired.spec, state: "expired" };
      return undefined;
    },
    record(m) {
      const i = byWaiver.get(m.waiver);
      if (i !== undefined) counts[i] = (counts[i] ?? 0) + 1;
    },
    report(ruleInScope) {
      const out: WaiverReport[] = [];
      for (const w of compiled) {
        const matched = counts[w.index] ?? 0;
        if (!w.expired && matched === 0 && ruleInScope && !ruleInScope(w.spec.rule)) continue;
        const state = w.expired ? "expired" : matched > 0 ? "active" : "stale";
        out.push({ ...w.spec, state, matched });
      }
      return out;
    },
  };
}
