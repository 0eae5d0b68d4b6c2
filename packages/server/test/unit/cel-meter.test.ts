import { describe, expect, it } from "vitest";
import type { CelNode } from "../../src/domain/cel-ast.js";
import { meterExpression, OutOfBudget, runMetered } from "../../src/domain/cel-meter.js";
import { compileCondition, ConditionError, parseCondition, type ConditionInput } from "../../src/domain/policy-conditions.js";

function metered(source: string) {
  const { parsed } = parseCondition(source);
  meterExpression(parsed.ast as unknown as CelNode);
  return (input: object, limit = 1e9, timeLimitMs = 1e9, latest = Infinity) =>
    runMetered(limit, timeLimitMs, latest, () => parsed(input as Record<string, unknown>));
}

function plain(source: string) {
  const { parsed } = parseCondition(source);
  return (input: object) => parsed(input as Record<string, unknown>);
}

const numbers = (n: number) => `[${Array.from({ length: n }, (_, i) => i).join(",")}]`;
const NESTED = `cel.bind(l, ${numbers(200)}, l.exists(a, l.exists(b, l.exists(c, a + b + c < 0))))`;

/** An input at the size limits the estimate assumes. */
function largest(): ConditionInput {
  const labels = Object.fromEntries(Array.from({ length: 256 }, (_, i) => [`key-${i}`, "v".repeat(4096)]));
  const subject = { kind: "k".repeat(256), id: "i".repeat(1024), email: "e".repeat(320), displayName: "d".repeat(1024), labels };
  return {
    petitioner: { ...subject, groups: Array.from({ length: 500 }, (_, i) => `group-${i}`.padEnd(63, "g")) },
    resource: subject,
    resources: Array.from({ length: 100 }, () => subject),
    reason: "a".repeat(4095) + "b",
    request: { time: new Date(Date.UTC(2024, 0, 15, 9)) },
    requester: { isAgent: true, agent: "a".repeat(320), onBehalfOf: Array.from({ length: 100 }, () => "p".repeat(320)) },
    extends: "x".repeat(256),
    onCall: true,
    onCallProviders: Array.from({ length: 100 }, (_, i) => `provider-${i}`),
  };
}

const small = {
  petitioner: { kind: "user", email: "a@example.com", labels: { team: "sre" }, groups: ["sre", "db"] },
  resource: { kind: "aws.v1.Role", labels: { env: "prod" } },
  resources: [
    { kind: "aws.v1.Role", labels: { env: "prod" } },
    { kind: "db", labels: {} },
  ],
  reason: "INC-42: restore the orders table",
  onCallProviders: ["pd"],
};

describe("metered evaluation", () => {
  it.each([
    'resource.labels["env"] == "prod" && "sre" in petitioner.groups',
    "resources.all(r, has(r.labels.env))",
    "resources.map(r, r.kind)",
    'resources.filter(r, r.kind == "db").size()',
    'petitioner.groups.exists_one(g, g == "sre")',
    'reason.matches("^INC-[0-9]+:")',
    'reason.split(" ").size() > 3 ? "long" : "short"',
    "cel.bind(n, petitioner.groups.size(), n * 2)",
    '[1, 2, 3].map(x, x > 1, x * 2) == [4, 6] && {"a": 1}.exists(k, k == "a")',
    'petitioner.labels.missing == "x" || true',
    "1 / 0 == 1",
  ])("gives what the library gives: %s", (source) => {
    const outcome = (run: () => unknown) => {
      try {
        return { value: run() };
      } catch (error) {
        return { error: (error as Error).message.split("\n")[0] };
      }
    };
    expect(outcome(() => metered(source)(small).value)).toEqual(outcome(() => plain(source)(small)));
  });

  it.each([
    'resource.labels["key-1"] == "prod" && "group-3" in petitioner.groups',
    'petitioner.groups.exists(g, g.startsWith("none"))',
    'resources.all(r, r.labels["key-7"].startsWith("v"))',
    'petitioner.labels.exists(k, k == "none")',
    'reason.matches("^(a+)+$") || reason.size() == 0',
    'resources.map(r, r.displayName + "!").filter(n, n.size() < 10).size() == 0',
    'request.time.getHours("Europe/Paris") == 99 || requester.onBehalfOf.exists(p, p == reason)',
    `cel.bind(l, ${numbers(200)}, [0, 1, 2].exists(b, l.exists(a, reason.contains("zzz") && a < 0)))`,
  ])("spends no more than estimated, at the largest inputs: %s", (source) => {
    const condition = compileCondition(source, "condition", { owner: "rule" });
    const { spent } = metered(source)(largest());
    expect(spent).toBeLessThanOrEqual(condition.cost);
    expect(spent).toBeGreaterThan(condition.cost / 20);
  });

  it("stops at its limit, and nothing comes out of an evaluation that ran out", () => {
    expect(() => metered(NESTED)(small, 10_000)).toThrow(OutOfBudget);
    expect(() => metered(`${NESTED} || true`)(small, 10_000)).toThrow(/ran out of its evaluation budget of 10,000 units/);
    expect(() => metered(`true || ${NESTED}`)(small, 10_000)).not.toThrow();
  });

  it("reads the clock only after real work, so small evaluations never depend on it", () => {
    const past = performance.now() - 1;
    expect(metered('"sre" in petitioner.groups')(small, 1e9, 0, past).value).toBe(true);
    expect(() => metered(NESTED)(small, 1e9, 0, past)).toThrow(/ran out of its evaluation time of 0 ms/);
    expect(() => metered(NESTED)(small, 1e9, 5)).toThrow(/ran out of its evaluation time of 5 ms/);
  });

  it("matches with RE2: linear in the text, however the pattern nests", () => {
    const started = performance.now();
    const { value } = metered('reason.matches("^(a+)+$")')({ ...small, reason: "a".repeat(4095) + "b" });
    expect(value).toBe(false);
    // A backtracking engine takes longer than the universe has left; RE2, milliseconds.
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe("compileCondition", () => {
  it("refuses a pattern RE2 cannot read, and a costly condition, naming the rule", () => {
    expect(() => compileCondition('reason.matches("(?=x)")', "rules[0].match.condition", { owner: 'rule "r"' })).toThrow(
      /rules\[0\]\.match\.condition \(rule "r"\) has a pattern that matches\(\) cannot use/,
    );
    expect(() => compileCondition(NESTED, "rules[1].match.condition", { owner: 'rule "loops"' })).toThrow(
      /\(rule "loops"\) is estimated to cost up to [\d,]+ units per evaluation, over the limit of 100,000 units/,
    );
  });

  it("compiles a stored one that is too costly into one that always fails", () => {
    const condition = compileCondition(NESTED, "rules[1].match.condition", { owner: 'rule "loops"', stored: true });
    expect(() => condition.evaluate(small as unknown as ConditionInput)).toThrow(ConditionError);
    expect(() => condition.evaluate(small as unknown as ConditionInput)).toThrow(/saved before this was checked/);
  });

  it("fails a dynamic pattern RE2 cannot read when it runs", () => {
    const condition = compileCondition("reason.matches(petitioner.email)", "c", { owner: "rule" });
    expect(() =>
      condition.evaluate({ ...small, petitioner: { ...small.petitioner, email: "(?=x)" } } as unknown as ConditionInput),
    ).toThrow(/not an RE2 regular expression/);
  });
});
