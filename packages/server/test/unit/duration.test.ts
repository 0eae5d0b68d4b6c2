import { describe, it, expect } from "vitest";
import {
  describeMillis,
  formatGoDuration,
  formatProtoDuration,
  millisToNanos,
  nanosToMillis,
  parseDurationInput,
  parseGoDuration,
} from "../../src/domain/duration.js";
import type { DurationInput } from "../../src/contract/petitions.js";
import { DomainError } from "../../src/domain/errors.js";

const Nanosecond = 1n;
const Microsecond = 1_000n * Nanosecond;
const Millisecond = 1_000n * Microsecond;
const Second = 1_000n * Millisecond;
const Minute = 60n * Second;
const Hour = 60n * Minute;
const MaxInt64 = (1n << 63n) - 1n;
const MinInt64 = -(1n << 63n);

/** Runs `fn` and returns the DomainError it throws, failing the test if it throws anything else. */
function domainErrorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error("expected a DomainError, but nothing was thrown");
}

// Go's parseDurationTests (src/time/time_test.go).
const parseCases: { text: string; want: bigint }[] = [
  // simple
  { text: "0", want: 0n },
  { text: "5s", want: 5n * Second },
  { text: "30s", want: 30n * Second },
  { text: "1478s", want: 1478n * Second },
  // sign
  { text: "-5s", want: -5n * Second },
  { text: "+5s", want: 5n * Second },
  { text: "-0", want: 0n },
  { text: "+0", want: 0n },
  // decimal
  { text: "5.0s", want: 5n * Second },
  { text: "5.6s", want: 5n * Second + 600n * Millisecond },
  { text: "5.s", want: 5n * Second },
  { text: ".5s", want: 500n * Millisecond },
  { text: "1.0s", want: 1n * Second },
  { text: "1.00s", want: 1n * Second },
  { text: "1.004s", want: 1n * Second + 4n * Millisecond },
  { text: "1.0040s", want: 1n * Second + 4n * Millisecond },
  { text: "100.00100s", want: 100n * Second + 1n * Millisecond },
  // different units
  { text: "10ns", want: 10n * Nanosecond },
  { text: "11us", want: 11n * Microsecond },
  { text: "12µs", want: 12n * Microsecond }, // U+00B5
  { text: "12μs", want: 12n * Microsecond }, // U+03BC
  { text: "13ms", want: 13n * Millisecond },
  { text: "14s", want: 14n * Second },
  { text: "15m", want: 15n * Minute },
  { text: "16h", want: 16n * Hour },
  // composite durations
  { text: "3h30m", want: 3n * Hour + 30n * Minute },
  { text: "10.5s4m", want: 4n * Minute + 10n * Second + 500n * Millisecond },
  { text: "-2m3.4s", want: -(2n * Minute + 3n * Second + 400n * Millisecond) },
  { text: "1h2m3s4ms5us6ns", want: 1n * Hour + 2n * Minute + 3n * Second + 4n * Millisecond + 5n * Microsecond + 6n * Nanosecond },
  { text: "39h9m14.425s", want: 39n * Hour + 9n * Minute + 14n * Second + 425n * Millisecond },
  // large value
  { text: "52763797000ns", want: 52763797000n * Nanosecond },
  // more than 9 digits after the decimal point (golang.org/issue/6617)
  { text: "0.3333333333333333333h", want: 20n * Minute },
  // 1<<53 + 1 cannot be stored exactly in a float64
  { text: "9007199254740993ns", want: ((1n << 53n) + 1n) * Nanosecond },
  // the largest duration an int64 of nanoseconds holds
  { text: "9223372036854775807ns", want: MaxInt64 },
  { text: "9223372036854775.807us", want: MaxInt64 },
  { text: "9223372036s854ms775us807ns", want: MaxInt64 },
  { text: "-9223372036854775808ns", want: MinInt64 },
  { text: "-9223372036854775.808us", want: MinInt64 },
  { text: "-9223372036s854ms775us808ns", want: MinInt64 },
  // the largest negative round-trip value (golang.org/issue/48629)
  { text: "-2562047h47m16.854775808s", want: MinInt64 },
  // huge string (golang.org/issue/15011)
  { text: "0.100000000000000000000h", want: 6n * Minute },
  // the first overflow check in leadingFraction
  { text: "0.830103483285477580700h", want: 49n * Minute + 48n * Second + 372539827n * Nanosecond },
  // the forms this service meets on the wire
  { text: "3h0m0s", want: 3n * Hour },
  { text: "1h30m", want: 90n * Minute },
  { text: "1.5h", want: 90n * Minute },
  { text: "300ms", want: 300n * Millisecond },
  { text: "-1ns", want: -1n },
  { text: "3600s", want: Hour },
  { text: "1.5s", want: 1500n * Millisecond },
];

// Go's parseDurationErrorTests, plus a few this service cares about.
const parseErrorCases: string[] = [
  "",
  "3",
  "-",
  "s",
  ".",
  "-.",
  ".s",
  "+.s",
  "1d",
  "\x85\x85",
  "\xffff",
  "hello \xffff world",
  "\uFFFD",
  "\uFFFD hello \uFFFD world",
  // overflow
  "9223372036854775810ns",
  "9223372036854775808ns",
  "-9223372036854775809ns",
  "9223372036854775.808us",
  "9223372036854ms775us808ns",
  // not Go either
  "1h30",
  "1 h",
  "1H",
  "1.5.5s",
  " 1s",
  "1s ",
  "--1s",
  "1w",
];

describe("parseGoDuration", () => {
  it.each(parseCases)("parses $text", ({ text, want }) => {
    expect(parseGoDuration(text)).toBe(want);
  });

  it.each(parseErrorCases)("refuses %j", (text) => {
    const error = domainErrorOf(() => parseGoDuration(text));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.field).toBeUndefined();
  });

  const messageCases: { text: string; message: string }[] = [
    { text: "1d", message: `"1d" has an unknown unit "d"; days are not a unit; use h, m, s, ms, us or ns (for example "24h")` },
    { text: "2w", message: `"2w" has an unknown unit "w"; weeks are not a unit; use h, m, s, ms, us or ns (for example "168h")` },
    { text: "5x", message: `"5x" has an unknown unit "x"; use h, m, s, ms, us or ns (for example "90s" or "1h30m")` },
    { text: "", message: `the duration is empty; write a number with a unit, for example "90s" or "1h30m"` },
    { text: "-", message: `"-" has a sign but no number; write a number with a unit after it, for example "-90s"` },
    { text: "3", message: `"3" needs a unit after 3; use h, m, s, ms, us or ns (for example "3s")` },
    { text: "1h30", message: `"1h30" needs a unit after 30; use h, m, s, ms, us or ns (for example "30s")` },
    { text: "s", message: `"s" has "s" where a number should be; write numbers each followed by a unit, for example "90s" or "1h30m"` },
    { text: ".s", message: `".s" has a decimal point with no digits; write digits before or after it, for example "0.5s" or "1.5h"` },
  ];
  it.each(messageCases)("explains what is wrong with $text", ({ text, message }) => {
    expect(domainErrorOf(() => parseGoDuration(text)).message).toBe(message);
  });

  it.each(["9223372036854775808ns", "-9223372036854775809ns", "9223372036854775.808us", "2562048h", "99999999999999999999s"])(
    "says %s is too large",
    (text) => {
      expect(domainErrorOf(() => parseGoDuration(text)).message).toMatch(
        /is too large; a duration must be between -2562047h47m16\.854775808s and 2562047h47m16\.854775807s/,
      );
    },
  );

  it("prefixes the message with the field and reports the field", () => {
    const field = "indent.com/time/duration";
    const error = domainErrorOf(() => parseGoDuration("1d", field));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.field).toBe(field);
    expect(error.message).toBe(
      `indent.com/time/duration: "1d" has an unknown unit "d"; days are not a unit; use h, m, s, ms, us or ns (for example "24h")`,
    );
  });
});

// Go's durationTests for Duration.String.
const formatCases: { nanos: bigint; text: string }[] = [
  { nanos: 0n, text: "0s" },
  { nanos: 1n * Nanosecond, text: "1ns" },
  { nanos: 1100n * Nanosecond, text: "1.1µs" },
  { nanos: 2200n * Microsecond, text: "2.2ms" },
  { nanos: 3300n * Millisecond, text: "3.3s" },
  { nanos: 4n * Minute + 5n * Second, text: "4m5s" },
  { nanos: 4n * Minute + 5001n * Millisecond, text: "4m5.001s" },
  { nanos: 5n * Hour + 6n * Minute + 7001n * Millisecond, text: "5h6m7.001s" },
  { nanos: 8n * Minute + 1n * Nanosecond, text: "8m0.000000001s" },
  { nanos: MaxInt64, text: "2562047h47m16.854775807s" },
  { nanos: MinInt64, text: "-2562047h47m16.854775808s" },
  // the forms the brief and Indent's labels use
  { nanos: 3n * Hour, text: "3h0m0s" },
  { nanos: 90n * Minute, text: "1h30m0s" },
  { nanos: 1500n * Millisecond, text: "1.5s" },
  { nanos: 300n * Millisecond, text: "300ms" },
  { nanos: 1n * Microsecond, text: "1µs" },
  { nanos: -1n, text: "-1ns" },
  { nanos: -(1500n * Millisecond), text: "-1.5s" },
  { nanos: 999n, text: "999ns" },
  { nanos: 999_999n, text: "999.999µs" },
  { nanos: 999_999_999n, text: "999.999999ms" },
  { nanos: Second, text: "1s" },
  { nanos: Minute, text: "1m0s" },
  { nanos: 61n * Minute + 1n, text: "1h1m0.000000001s" },
];

describe("formatGoDuration", () => {
  it.each(formatCases)("formats $nanos as $text", ({ nanos, text }) => {
    expect(formatGoDuration(nanos)).toBe(text);
  });
});

/** A small deterministic generator (xorshift64), so a failing value can be reproduced. */
function* randomInt64s(count: number): Generator<bigint> {
  let state = 0x9e3779b97f4a7c15n;
  const mask = (1n << 64n) - 1n;
  for (let i = 0; i < count; i++) {
    state ^= (state << 13n) & mask;
    state ^= state >> 7n;
    state ^= (state << 17n) & mask;
    // Shift by a varying amount so every magnitude, from nanoseconds to centuries, is covered.
    const shifted = state >> BigInt(i % 64);
    yield BigInt.asIntN(64, shifted | ((state & 1n) << 63n));
  }
}

describe("round trips", () => {
  const values = [0n, 1n, -1n, MaxInt64, MinInt64, MaxInt64 - 1n, MinInt64 + 1n, ...formatCases.map((c) => c.nanos), ...randomInt64s(2000)];

  it("parseGoDuration(formatGoDuration(d)) === d for every int64", () => {
    for (const nanos of values) expect(parseGoDuration(formatGoDuration(nanos)), formatGoDuration(nanos)).toBe(nanos);
  });

  it("parseGoDuration(formatProtoDuration(d)) === d, since the protobuf form is a Go duration too", () => {
    for (const nanos of values) expect(parseGoDuration(formatProtoDuration(nanos)), formatProtoDuration(nanos)).toBe(nanos);
  });

  it("parseDurationInput accepts both forms of the same value", () => {
    for (const nanos of values) {
      const seconds = nanos / Second; // truncates toward zero, so both parts share the sign
      const object = { seconds: seconds.toString(), nanos: Number(nanos % Second) };
      expect(parseDurationInput(object)).toBe(nanos);
      expect(parseDurationInput(formatGoDuration(nanos))).toBe(nanos);
    }
  });
});

describe("parseDurationInput", () => {
  const validCases: { name: string; input: DurationInput; want: bigint }[] = [
    { name: "a Go duration string", input: "1h30m", want: 90n * Minute },
    { name: "a protobuf JSON string", input: "3600s", want: Hour },
    { name: "a fractional protobuf JSON string", input: "1.5s", want: 1500n * Millisecond },
    { name: "seconds as a number", input: { seconds: 3600 }, want: Hour },
    { name: "seconds as a string", input: { seconds: "3600" }, want: Hour },
    { name: "seconds and nanos", input: { seconds: 1, nanos: 500_000_000 }, want: 1500n * Millisecond },
    { name: "string seconds and nanos", input: { seconds: "1", nanos: 500_000_000 }, want: 1500n * Millisecond },
    { name: "nanos alone", input: { nanos: 250 }, want: 250n },
    { name: "negative nanos alone", input: { nanos: -250 }, want: -250n },
    { name: "both negative", input: { seconds: -1, nanos: -500_000_000 }, want: -1500n * Millisecond },
    { name: "negative string seconds", input: { seconds: "-1", nanos: -500_000_000 }, want: -1500n * Millisecond },
    { name: "zero seconds with negative nanos", input: { seconds: 0, nanos: -1 }, want: -1n },
    { name: "negative seconds with zero nanos", input: { seconds: -5, nanos: 0 }, want: -5n * Second },
    { name: "an empty object", input: {}, want: 0n },
    { name: "the largest nanos", input: { seconds: 0, nanos: 999_999_999 }, want: 999_999_999n },
    { name: "the largest seconds", input: { seconds: "9223372036", nanos: 854_775_807 }, want: MaxInt64 },
    { name: "the most negative seconds", input: { seconds: "-9223372036", nanos: -854_775_808 }, want: MinInt64 },
    { name: "a year, past 2^53 nanoseconds", input: { seconds: 31_536_000 }, want: 31_536_000n * Second },
  ];
  it.each(validCases)("accepts $name", ({ input, want }) => {
    expect(parseDurationInput(input)).toBe(want);
  });

  it("treats null fields as absent, as protobuf JSON does", () => {
    expect(parseDurationInput({ seconds: null, nanos: null } as unknown as DurationInput)).toBe(0n);
  });

  const invalidCases: { name: string; input: unknown; message: RegExp }[] = [
    {
      name: "fractional seconds",
      input: { seconds: 1.5 },
      message: /seconds must be a whole number.*not 1\.5; put the fraction of a second in nanos/,
    },
    {
      name: "fractional string seconds",
      input: { seconds: "1.5" },
      message: /seconds must be a whole number.*not "1\.5"; put the fraction/,
    },
    { name: "seconds with a unit", input: { seconds: "3600s" }, message: /seconds must be a whole number.*not "3600s"/ },
    { name: "empty string seconds", input: { seconds: "" }, message: /seconds must be a whole number/ },
    { name: "padded string seconds", input: { seconds: " 1" }, message: /seconds must be a whole number/ },
    { name: "NaN seconds", input: { seconds: Number.NaN }, message: /seconds must be a whole number.*not NaN/ },
    { name: "infinite seconds", input: { seconds: Number.POSITIVE_INFINITY }, message: /seconds must be a whole number.*not Infinity/ },
    { name: "boolean seconds", input: { seconds: true }, message: /seconds must be a whole number.*not true/ },
    {
      name: "nanos of a whole second",
      input: { seconds: 0, nanos: 1_000_000_000 },
      message: /nanos must be a whole number from -999999999 to 999999999, not 1000000000; carry whole seconds/,
    },
    {
      name: "nanos below the range",
      input: { nanos: -1_000_000_000 },
      message: /nanos must be a whole number from -999999999 to 999999999/,
    },
    { name: "fractional nanos", input: { nanos: 1.5 }, message: /nanos must be a whole number.*not 1\.5$/ },
    { name: "string nanos", input: { nanos: "5" }, message: /nanos must be a whole number.*not "5"/ },
    {
      name: "positive seconds, negative nanos",
      input: { seconds: 1, nanos: -1 },
      message: /seconds \(1\) and nanos \(-1\) must have the same sign/,
    },
    {
      name: "negative seconds, positive nanos",
      input: { seconds: "-1", nanos: 1 },
      message: /seconds \(-1\) and nanos \(1\) must have the same sign/,
    },
    { name: "seconds past int64", input: { seconds: "9223372037" }, message: /too large/ },
    { name: "seconds and nanos past int64", input: { seconds: "9223372036", nanos: 854_775_808 }, message: /too large/ },
    { name: "seconds below int64", input: { seconds: "-9223372036", nanos: -854_775_809 }, message: /too large/ },
    { name: "huge seconds", input: { seconds: 1e300 }, message: /too large/ },
    { name: "a misspelt key", input: { seconds: 1, nano: 5 }, message: /takes only seconds and nanos, not "nano"/ },
    { name: "a bare number", input: 3600, message: /a duration must be a string such as "90s".*not 3600/ },
    { name: "null", input: null, message: /not null/ },
    { name: "an array", input: [1, 2], message: /not \[1,2\]/ },
    { name: "a bad string", input: "1d", message: /unknown unit "d"/ },
  ];
  it.each(invalidCases)("refuses $name", ({ input, message }) => {
    const error = domainErrorOf(() => parseDurationInput(input as DurationInput, "petition.defaultDuration"));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.field).toBe("petition.defaultDuration");
    expect(error.message.startsWith("petition.defaultDuration: ")).toBe(true);
    expect(error.message).toMatch(message);
  });
});

describe("formatProtoDuration", () => {
  const cases: { nanos: bigint; text: string }[] = [
    { nanos: 0n, text: "0s" },
    { nanos: 3_600_000_000_000n, text: "3600s" },
    { nanos: 1_500_000_000n, text: "1.5s" },
    { nanos: 1n, text: "0.000000001s" },
    { nanos: -1n, text: "-0.000000001s" },
    { nanos: 250n * Millisecond, text: "0.25s" },
    { nanos: -(1500n * Millisecond), text: "-1.5s" },
    { nanos: 90n * Minute, text: "5400s" },
    { nanos: Second + 10n, text: "1.00000001s" },
    { nanos: MaxInt64, text: "9223372036.854775807s" },
    { nanos: MinInt64, text: "-9223372036.854775808s" },
  ];
  it.each(cases)("formats $nanos as $text", ({ nanos, text }) => {
    expect(formatProtoDuration(nanos)).toBe(text);
  });
});

describe("nanosToMillis and millisToNanos", () => {
  const toMillisCases: { nanos: bigint; millis: number }[] = [
    { nanos: 0n, millis: 0 },
    { nanos: 999_999n, millis: 0 },
    { nanos: 1_000_000n, millis: 1 },
    { nanos: 1_999_999n, millis: 1 },
    { nanos: -1_999_999n, millis: -1 }, // toward zero, not down
    { nanos: -999_999n, millis: 0 },
    { nanos: 3n * Hour, millis: 10_800_000 },
    { nanos: MaxInt64, millis: 9_223_372_036_854 },
    { nanos: MinInt64, millis: -9_223_372_036_854 },
  ];
  it.each(toMillisCases)("nanosToMillis($nanos) is $millis", ({ nanos, millis }) => {
    expect(nanosToMillis(nanos)).toBe(millis);
  });

  const toNanosCases: { millis: number; nanos: bigint }[] = [
    { millis: 0, nanos: 0n },
    { millis: 1, nanos: 1_000_000n },
    { millis: -1, nanos: -1_000_000n },
    { millis: 10_800_000, nanos: 3n * Hour },
    { millis: 31_536_000_000, nanos: 31_536_000n * Second }, // a year: exact, though past 2^53 ns
    { millis: 9_223_372_036_854, nanos: 9_223_372_036_854_000_000n },
  ];
  it.each(toNanosCases)("millisToNanos($millis) is $nanos", ({ millis, nanos }) => {
    expect(millisToNanos(millis)).toBe(nanos);
    expect(nanosToMillis(millisToNanos(millis))).toBe(millis);
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, 9_223_372_036_855, -9_223_372_036_855])(
    "millisToNanos refuses %s",
    (millis) => {
      expect(() => millisToNanos(millis)).toThrow(RangeError);
    },
  );
});

describe("describeMillis", () => {
  const cases: { millis: number; text: string }[] = [
    { millis: 0, text: "0s" },
    { millis: 250, text: "250ms" },
    { millis: 1_000, text: "1s" },
    { millis: 1_500, text: "1s500ms" },
    { millis: 45_000, text: "45s" },
    { millis: 60_000, text: "1m" },
    { millis: 90_000, text: "1m30s" },
    { millis: 3_600_000, text: "1h" },
    { millis: 5_400_000, text: "1h30m" },
    { millis: 10_800_000, text: "3h" },
    { millis: 3_600_001, text: "1h1ms" },
    { millis: 86_400_000, text: "24h" }, // hours, not days: the text can be written back as a duration
    { millis: 30 * 86_400_000, text: "720h" },
    { millis: 93_784_005, text: "26h3m4s5ms" },
    { millis: -5_400_000, text: "-1h30m" },
    { millis: 1.9, text: "1ms" },
    { millis: -0.5, text: "0s" },
  ];
  it.each(cases)("describes $millis as $text", ({ millis, text }) => {
    expect(describeMillis(millis)).toBe(text);
  });

  it("writes text that parses back to the same duration", () => {
    for (const { millis } of cases.filter((c) => Number.isInteger(c.millis))) {
      expect(nanosToMillis(parseGoDuration(describeMillis(millis)))).toBe(millis);
    }
  });

  it("refuses what is not a number of milliseconds", () => {
    expect(() => describeMillis(Number.NaN)).toThrow(RangeError);
    expect(() => describeMillis(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe("messages about huge input", () => {
  it("quote the input cut short, so a huge value cannot make a huge message", () => {
    const cases: Array<() => unknown> = [
      () => parseDurationInput({ seconds: 1e300 }, "d"),
      () => parseDurationInput({ seconds: "9".repeat(500) }, "d"),
      () => parseGoDuration(`${"9".repeat(500)}h`, "d"),
      () => parseGoDuration(`1h${"x".repeat(500)}`, "d"),
    ];
    for (const run of cases) {
      let message = "";
      try {
        run();
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/characters\)/);
      expect(message.length).toBeLessThan(300);
    }
  });
});
