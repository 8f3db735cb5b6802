/**
 * The lists resolved references are filled into (references.ts): a list pushed into itself, and the
 * shared empty list the memos hand out.
 */
import { describe, expect, it } from "vitest";
import { NO_TARGETS, Targets } from "../../src/plan/references.js";

function pairs(t: Targets): [number, string | undefined][] {
  return Array.from({ length: t.length }, (_, k) => [t.at[k] as number, t.attribute[k]]);
}

describe("Targets", () => {
  it("pushAll of itself pushes its members once (reading the growing length looped forever)", () => {
    const t = new Targets();
    t.push(3, "id");
    t.push(5, undefined);
    t.pushAll(t);
    expect(pairs(t)).toEqual([
      [3, "id"],
      [5, undefined],
      [3, "id"],
      [5, undefined],
    ]);
  });

  it("pushAll of the shared empty list pushes nothing, and that list cannot be filled", () => {
    const t = new Targets();
    t.pushAll(NO_TARGETS);
    expect(t.length).toBe(0);
    expect(NO_TARGETS.length).toBe(0);
    expect("push" in NO_TARGETS).toBe(false);
    expect(Object.isFrozen(NO_TARGETS)).toBe(true);
    expect(Object.isFrozen(NO_TARGETS.at)).toBe(true);
    expect(Object.isFrozen(NO_TARGETS.attribute)).toBe(true);
    // Even through a cast, writing into it throws (ES modules are strict) and leaves it empty.
    expect(() => Targets.prototype.push.call(NO_TARGETS as Targets, 1, "id")).toThrow(TypeError);
    expect(NO_TARGETS.length).toBe(0);
    expect(NO_TARGETS.at).toEqual([]);
  });
});
