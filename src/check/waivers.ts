/**
 * Waiver matching. Waivers are indexed once: by exact rule id (globbed rule ids are resolved once per
 * rule id seen), then by the key-less address names of literal address patterns. A result looks up a
 * handful of candidates instead of scanning every waiver, so matching stays linear in the results.
 */
import type { Waiver } from "../engine/types.js";
import type { AddressPattern } from "./pattern.js";
import { compileAddressPattern, globToRegExp, hasGlob, parseForMatch } from "./pattern.js";
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

/**
 * The waivers of one rule id. Literal patterns are keyed by their key-less names; globbed ones by
 * the literal names they start with, so an address looks up one key per prefix of its names.
 */
interface RuleBucket {
  readonly byName: Map<string, Compiled[]>;
  readonly byPrefix: Map<string, Compiled[]>;
  readonly size: number;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
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

/** True when `a` wins over `b`: an active waiver over an expired one, then the first in file order. */
function better(a: Compiled, b: Compiled): boolean {
  if (a.expired !== b.expired) return !a.expired;
  return a.index < b.index;
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
    b = { byName: new Map(), byPrefix: new Map(), size: all.length };
    for (const w of all) {
      if (w.address.nameKey !== undefined) push(b.byName, w.address.nameKey, w);
      else push(b.byPrefix, w.address.prefix.join("."), w);
    }
    buckets.set(rule, b);
    return b;
  };
  const counts = new Array<number>(compiled.length).fill(0);
  const byWaiver = new Map<WaiverSpec, number>(compiled.map((w) => [w.spec, w.index]));

  return {
    match(rule, address) {
      const b = bucketFor(rule);
      if (b.size === 0) return undefined;
      const parsed = parseForMatch(address);
      if (!parsed) return undefined;
      let best: Compiled | undefined;
      const consider = (list: readonly Compiled[] | undefined): void => {
        for (const w of list ?? []) {
          if (best && better(best, w)) continue;
          if (w.address.matchesParsed(parsed)) best = w;
        }
      };
      consider(b.byName.get(parsed.names.join(".")));
      if (b.byPrefix.size > 0) {
        let key = "";
        consider(b.byPrefix.get(key));
        for (const name of parsed.names) {
          key = key === "" ? name : `${key}.${name}`;
          consider(b.byPrefix.get(key));
        }
      }
      return best ? { waiver: best.spec, state: best.expired ? "expired" : "active" } : undefined;
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
