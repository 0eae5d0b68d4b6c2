import { describe, expect, it } from "vitest";
import type { CelNode } from "../../src/domain/cel-ast.js";
import { estimateCost } from "../../src/domain/cel-cost.js";
import { CONDITION_VARIABLES, parseCondition } from "../../src/domain/policy-conditions.js";

function cost(source: string): number {
  return estimateCost(parseCondition(source).parsed.ast as unknown as CelNode, CONDITION_VARIABLES);
}

const numbers = (n: number) => `[${Array.from({ length: n }, (_, i) => i).join(",")}]`;

describe("estimateCost", () => {
  // One unit a node, plus the size of what it yields: a list's elements, a string's length / 64.
  it.each([
    ["a constant", "true", 1],
    ["a variable", "onCall", 1],
    ["a comparison reading a string of up to 4096 characters", 'reason == "x"', 1 + (1 + 64) + 1],
    ["a field of a record", 'requester.agent == ""', 1 + (1 + 1 + 5) + 1],
    ["membership in 500 groups", '"sre" in petitioner.groups', 1 + 1 + (1 + 1 + 500)],
    ["a label (up to 4096 characters)", 'resource.labels["env"] == "prod"', 1 + (1 + 64 + (1 + 1) + 1) + 1],
    ["every branch counts", 'onCall ? reason == "a" : reason == "b"', 1 + 1 + 67 + 67],
    ["a list literal", "[1, 2, 3].size() == 3", 1 + (1 + 1 + (1 + 3 + 3)) + 1],
    ["a time zone is costly", 'request.time.getHours("Europe/Paris") >= 9', 1 + (1 + 1000 + (1 + 1) + 1) + 1],
    ["a regular expression: text × pattern", 'reason.matches("^a+$")', 1 + Math.ceil(((4096 + 1) * (4 + 1)) / 32) + (1 + 64) + 1],
    ["counting a string's characters", "reason.size() > 0", 1 + (1 + 1024 + (1 + 64)) + 1],
  ])("%s: %s costs %i", (_what, source, expected) => {
    expect(cost(source)).toBe(expected);
  });

  it.each([
    ["exists over groups", 'petitioner.groups.exists(g, g == "sre")', 500],
    ["all over resources", 'resources.all(r, r.labels["env"] == "prod")', 100],
    ["map over labels", "petitioner.labels.map(k, k).size() > 0", 256],
    ["filter over a literal", `${numbers(200)}.filter(x, x > 3).size() > 0`, 200],
  ])("a comprehension (%s) runs its body once per element", (_what, source, elements) => {
    const total = cost(source);
    expect(total).toBeGreaterThanOrEqual(elements * 3);
    expect(total).toBeLessThan(elements * 200);
  });

  it("multiplies when comprehensions nest", () => {
    const list = numbers(200);
    const one = cost(`cel.bind(l, ${list}, l.all(a, a >= 0))`);
    const two = cost(`cel.bind(l, ${list}, l.all(a, l.all(b, b >= 0)))`);
    const three = cost(`cel.bind(l, ${list}, l.all(a, l.all(b, l.all(c, c >= 0))))`);
    expect(two / one).toBeGreaterThan(150);
    expect(three / two).toBeGreaterThan(150);
    expect(three).toBeGreaterThan(200 ** 3);
  });

  it("follows a bound value's size into the body", () => {
    expect(cost(`cel.bind(x, ${numbers(10)}, x.all(a, a >= 0))`)).toBeLessThan(cost(`cel.bind(x, ${numbers(100)}, x.all(a, a >= 0))`) / 5);
  });

  it("grows strings and lists that are added, and what is split from them", () => {
    expect(cost("(reason + reason).size() > 0")).toBeGreaterThan(cost("reason.size() > 0") * 1.9);
    expect(cost('reason.split(",").exists(w, w == "x")')).toBeGreaterThan(4096 * 3);
  });

  it("takes the worst case for what it cannot follow", () => {
    expect(cost("dyn(reason).size() > 0")).toBe(cost("reason.size() > 0") + 1 + 64);
    expect(cost('bytes(reason).json().exists(k, k == "x")')).toBeGreaterThan(4096);
  });
});
