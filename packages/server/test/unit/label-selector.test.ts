import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { DomainError } from "../../src/domain/errors.js";
import {
  formatLabelSelector,
  matchesLabelSelector,
  parseLabelSelector,
  type LabelSelector,
  type Requirement,
} from "../../src/domain/label-selector.js";

function rejection(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a DomainError, but nothing was thrown");
}

describe("parseLabelSelector", () => {
  const cases: Array<[input: string, expected: LabelSelector]> = [
    ["", []],
    ["   \t\n ", []],
    ["env=prod", [{ key: "env", op: "eq", value: "prod" }]],
    ["env==prod", [{ key: "env", op: "eq", value: "prod" }]],
    ["env!=prod", [{ key: "env", op: "neq", value: "prod" }]],
    ["env in (prod,staging)", [{ key: "env", op: "in", values: ["prod", "staging"] }]],
    ["env notin (prod)", [{ key: "env", op: "notin", values: ["prod"] }]],
    ["env in(prod)", [{ key: "env", op: "in", values: ["prod"] }]],
    ["env", [{ key: "env", op: "exists" }]],
    ["!env", [{ key: "env", op: "notexists" }]],
    ["replicas>3", [{ key: "replicas", op: "gt", value: 3 }]],
    ["replicas<-2", [{ key: "replicas", op: "lt", value: -2 }]],
    ["replicas>+007", [{ key: "replicas", op: "gt", value: 7 }]],
    // Set values are de-duplicated and sorted; an empty entry is the empty value.
    ["tier in (web, api ,web)", [{ key: "tier", op: "in", values: ["api", "web"] }]],
    ["tier in (web,)", [{ key: "tier", op: "in", values: ["", "web"] }]],
    ["tier notin (,)", [{ key: "tier", op: "notin", values: [""] }]],
    [
      "  env = prod ,tier  in  ( web ,api ) ,  ! legacy,owner , n > 1 ",
      [
        { key: "env", op: "eq", value: "prod" },
        { key: "tier", op: "in", values: ["api", "web"] },
        { key: "legacy", op: "notexists" },
        { key: "owner", op: "exists" },
        { key: "n", op: "gt", value: 1 },
      ],
    ],
    [
      "indent.com/time/duration=1h,owner=alice@example.com,ticket!=approval+123",
      [
        { key: "indent.com/time/duration", op: "eq", value: "1h" },
        { key: "owner", op: "eq", value: "alice@example.com" },
        { key: "ticket", op: "neq", value: "approval+123" },
      ],
    ],
    ["a:b/c/d_e-f.g=h:i", [{ key: "a:b/c/d_e-f.g", op: "eq", value: "h:i" }]],
    // `in` and `notin` are operators only where an operator is expected.
    ["in=notin", [{ key: "in", op: "eq", value: "notin" }]],
    ["in in (in)", [{ key: "in", op: "in", values: ["in"] }]],
    ["notin", [{ key: "notin", op: "exists" }]],
    ["inx=1", [{ key: "inx", op: "eq", value: "1" }]],
    // Kubernetes ANDs repeated keys rather than rejecting them.
    [
      "a=1,a=2",
      [
        { key: "a", op: "eq", value: "1" },
        { key: "a", op: "eq", value: "2" },
      ],
    ],
    ["k".repeat(317) + "=" + "v".repeat(1024), [{ key: "k".repeat(317), op: "eq", value: "v".repeat(1024) }]],
  ];

  it.each(cases)("parses %j", (input, expected) => {
    expect(parseLabelSelector(input)).toEqual(expected);
  });

  it("accepts 50 requirements", () => {
    expect(parseLabelSelector(Array.from({ length: 50 }, (_, i) => `k${i}`).join(","))).toHaveLength(50);
  });
});

describe("parseLabelSelector errors", () => {
  const cases: Array<[input: string, message: RegExp]> = [
    ["env=", /expected a value after "env=" at position 4$/],
    ["env!= ", /expected a value after "env!=" at position 6$/],
    ["env==,a", /expected a value after "env==" at position 5, found ","/],
    ["env=(prod)", /expected a value after "env=" at position 4, found "\("/],
    ["env===prod", /expected a value after "env==" at position 5, found "="/],
    ["n>", /expected an integer after "n>" at position 2$/],
    ["n<abc", /expected an integer after "n<" at position 2, found "abc"/],
    ["n>1.5", /expected an integer after "n>" at position 2, found "1.5"/],
    ["n>99999999999999999999", /integer at position 2 is outside/],
    ["env in", /"in" at position 4 needs a parenthesised list such as "env in \(prod,staging\)"/],
    ["env notin prod", /"notin" at position 4 needs a parenthesised list/],
    ["env in ()", /list of "in" at position 7 is empty/],
    ["env in ( )", /list of "in" at position 7 is empty/],
    ["env in (a,b", /missing "\)" to close the list opened at position 7/],
    ["env in (", /missing "\)" to close the list opened at position 7/],
    ["env in (a))", /expected "," or the end of the selector after "env in \(a\)" at position 10, found "\)"/],
    ["env in (a) b", /after "env in \(a\)" at position 11, found "b"/],
    ["env in (a b)", /expected "," or "\)" at position 10 in the list opened at position 7, found "b"/],
    ["env in ((a))", /at position 8 in the list opened at position 7, found "\("/],
    ["env=a b", /after "env=a" at position 6, found "b"/],
    ["a,", /expected a label key after "," at position 2$/],
    [",a", /expected a label key at position 0, found ","/],
    ["a,,b", /expected a label key after "," at position 2, found ","/],
    ["=prod", /expected a label key at position 0, found "="/],
    ["!", /expected a label key after "!" at position 1$/],
    ["!!a", /expected a label key after "!" at position 1, found "!"/],
    ["!env=prod", /after "!env" at position 4, found "="/],
    ["env!", /expected an operator .* after "env" at position 3, found "!"/],
    ["env prod", /expected an operator .* after "env" at position 4, found "prod"/],
    [")", /expected a label key at position 0, found "\)"/],
    ["env=pr*d", /unexpected character "\*" at position 6/],
    ['env="prod"', /unexpected character "\\"" at position 4/],
    ["k".repeat(318), /label key at position 0 is 318 characters long; the limit is 317/],
    ["k=" + "v".repeat(1025), /value at position 2 is 1025 characters long; the limit is 1024/],
    ["k in (a," + "v".repeat(1025) + ")", /value at position 8 is 1025 characters long/],
    [Array.from({ length: 51 }, (_, i) => `k${i}`).join(","), /more than 50 requirements/],
    ["k=" + "v".repeat(4095), /4097 characters long; the limit is 4096/],
  ];

  it.each(cases)("rejects %j", (input, message) => {
    const error = rejection(() => parseLabelSelector(input));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.field).toBe("labelSelector");
    expect(error.message).toMatch(/^labelSelector: /);
    expect(error.message).toMatch(message);
  });
});

describe("matchesLabelSelector", () => {
  const labels = {
    env: "prod",
    tier: "web",
    replicas: "3",
    big: "123456789012345678901234567890",
    name: "api",
    empty: "",
    "indent.com/time/duration": "1h",
    owner: "alice@example.com",
  };
  const cases: Array<[selector: string, expected: boolean]> = [
    ["", true],
    ["env=prod", true],
    ["env==staging", false],
    ["missing=prod", false],
    ["env!=staging", true],
    ["env!=prod", false],
    ["missing!=prod", true], // `!=` matches an absent key, as in Kubernetes
    ["env in (prod,staging)", true],
    ["env in (dev)", false],
    ["missing in (prod)", false],
    ["empty in (,)", true],
    ["missing in (,)", false],
    ["env notin (dev)", true],
    ["env notin (prod)", false],
    ["missing notin (prod)", true], // `notin` matches an absent key, as in Kubernetes
    ["env", true],
    ["empty", true],
    ["missing", false],
    ["!missing", true],
    ["!env", false],
    ["replicas>2", true],
    ["replicas>3", false],
    ["replicas<4", true],
    ["replicas<-1", false],
    ["big>9007199254740991", true],
    ["big<0", false],
    ["name>0", false], // not an integer: neither greater nor less
    ["name<0", false],
    ["missing>0", false],
    ["missing<0", false],
    ["empty<1", false],
    ["indent.com/time/duration=1h,owner=alice@example.com", true],
    ["env=prod,tier=web,!missing", true],
    ["env=prod,tier=api", false],
    ["constructor", false], // not found on Object.prototype
    ["toString!=x", true],
  ];

  it.each(cases)("%j against the fixture labels is %s", (selector, expected) => {
    expect(matchesLabelSelector(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it("reads labels with a null prototype", () => {
    const bare: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, { a: "1" });
    expect(matchesLabelSelector(parseLabelSelector("a=1,!b"), bare)).toBe(true);
  });
});

describe("formatLabelSelector", () => {
  const cases: Array<[input: string, canonical: string]> = [
    ["", ""],
    ["env==prod", "env=prod"],
    [" env != prod ", "env!=prod"],
    ["tier in ( web,api,web )", "tier in (api,web)"],
    ["tier notin(b,,a)", "tier notin (,a,b)"],
    ["tier in (,)", "tier in (,)"],
    ["a , ! b , c>+5, d<-0", "a,!b,c>5,d<0"],
    ["indent.com/time/duration=1h, owner=alice@example.com", "indent.com/time/duration=1h,owner=alice@example.com"],
    ["in in (notin)", "in in (notin)"],
  ];

  it.each(cases)("formats %j as %j, which parses back to the same selector", (input, canonical) => {
    const selector = parseLabelSelector(input);
    expect(formatLabelSelector(selector)).toBe(canonical);
    expect(parseLabelSelector(canonical)).toEqual(selector);
  });

  const unformattable: Array<[selector: LabelSelector, message: RegExp]> = [
    [[{ key: "a b", op: "exists" }], /label key "a b"/],
    [[{ key: "", op: "exists" }], /label key ""/],
    [[{ key: "k", op: "eq", value: "" }], /value ""/],
    [[{ key: "k", op: "neq", value: "x,y=z" }], /value "x,y=z"/],
    [[{ key: "k", op: "in", values: [] }], /empty list/],
    [[{ key: "k", op: "gt", value: 1.5 }], /not a safe integer/],
    [Array.from({ length: 51 }, (): Requirement => ({ key: "k", op: "exists" })), /51 requirements/],
  ];

  it.each(unformattable)("refuses %j, which no text expresses", (selector, message) => {
    const error = rejection(() => formatLabelSelector(selector));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.field).toBe("labelSelector");
    expect(error.message).toMatch(message);
  });
});

describe("label selectors, by property", () => {
  const word = fc.string({ unit: fc.constantFrom(..."abzAZ09._-/@+:é"), minLength: 1, maxLength: 8 });
  // Small pools of keys and values, so that selectors and label maps often meet.
  const key = fc.oneof(fc.constantFrom("env", "n", "in", "notin", "constructor", "indent.com/time/duration"), word);
  const value = fc.oneof(
    fc.constantFrom("prod", "alice@example.com", "approval+123", "in", "+4", "-0"),
    fc.integer({ min: -5, max: 5 }).map(String),
    word,
  );
  const requirement: fc.Arbitrary<Requirement> = fc.oneof(
    fc.record({ key, op: fc.constantFrom("eq" as const, "neq" as const), value }),
    fc.record({
      key,
      op: fc.constantFrom("in" as const, "notin" as const),
      // Canonical (sorted, unique), as a parsed selector always is.
      values: fc.array(fc.oneof(value, fc.constant("")), { minLength: 1, maxLength: 4 }).map((values) => [...new Set(values)].sort()),
    }),
    fc.record({ key, op: fc.constantFrom("exists" as const, "notexists" as const) }),
    fc.record({ key, op: fc.constantFrom("gt" as const, "lt" as const), value: fc.integer({ min: -5, max: 5 }) }),
  );
  const selector = fc.array(requirement, { maxLength: 8 });
  const labels = fc.dictionary(key, value, { maxKeys: 6 });

  /** The semantics spelt out plainly, one requirement at a time. */
  function referenceMatch(selector: LabelSelector, labels: Record<string, string>): boolean {
    return selector.every((r) => {
      const present = Object.keys(labels).includes(r.key);
      const actual = present ? labels[r.key] : undefined;
      const isInteger = actual !== undefined && /^[+-]?\d+$/.test(actual);
      switch (r.op) {
        case "eq":
          return present && actual === r.value;
        case "neq":
          return !present || actual !== r.value;
        case "in":
          return present && r.values.some((v) => v === actual);
        case "notin":
          return !present || r.values.every((v) => v !== actual);
        case "exists":
          return present;
        case "notexists":
          return !present;
        case "gt":
          return isInteger && Number(actual) > r.value;
        case "lt":
          return isInteger && Number(actual) < r.value;
      }
    });
  }

  it("formats to text that parses back to the same selector, with any spacing", () => {
    fc.assert(
      fc.property(selector, (selector) => {
        const text = formatLabelSelector(selector);
        expect(parseLabelSelector(text)).toEqual(selector);
        expect(parseLabelSelector(` ${text.replaceAll(",", " ,\t").replaceAll("(", "( ")} `)).toEqual(selector);
      }),
    );
  });

  it("matches as the reference model does", () => {
    fc.assert(
      fc.property(fc.array(requirement, { maxLength: 3 }), labels, (selector, labels) => {
        expect(matchesLabelSelector(selector, labels)).toBe(referenceMatch(selector, labels));
      }),
      { numRuns: 500 },
    );
  });
});
