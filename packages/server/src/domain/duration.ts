import { invalidArgument, type DomainError } from "./errors.js";
import type { DurationInput } from "../contract/petitions.js";

/**
 * Durations on the wire and inside the service.
 *
 * Indent v1 writes a duration either as a Go duration string ("3h0m0s", "1.5h", "300ms", "-1ns";
 * protobuf JSON's "3600s" is one too) or as a protobuf object {seconds, nanos}. Parsing follows
 * Go's time.ParseDuration to the nanosecond, including where it rounds, so a label that Go code
 * wrote or will read means the same thing here. Values are bigint nanoseconds because a year in
 * nanoseconds is already past 2^53; the service itself stores whole milliseconds.
 */

const NANOSECOND = 1n;
const MICROSECOND = 1_000n * NANOSECOND;
const MILLISECOND = 1_000n * MICROSECOND;
const SECOND = 1_000n * MILLISECOND;
const MINUTE = 60n * SECOND;
const HOUR = 60n * MINUTE;

/** Go's Duration is an int64 of nanoseconds; these are its bounds. */
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
/** The largest magnitude while parsing, before the sign is applied (|INT64_MIN|). */
const MAX_MAGNITUDE = 1n << 63n;

/** Units as Go spells them; both micro signs are accepted, as Go does. */
const UNITS: ReadonlyMap<string, bigint> = new Map([
  ["ns", NANOSECOND],
  ["us", MICROSECOND],
  ["µs", MICROSECOND], // U+00B5 micro sign
  ["μs", MICROSECOND], // U+03BC Greek small letter mu
  ["ms", MILLISECOND],
  ["s", SECOND],
  ["m", MINUTE],
  ["h", HOUR],
]);

const UNIT_LIST = "h, m, s, ms, us or ns";
const EXAMPLES = `for example "90s" or "1h30m"`;

/** Units people reach for that Go lacks, with what to write instead. */
const MISSING_UNITS: ReadonlyMap<string, string> = new Map([
  ["d", `days are not a unit; use ${UNIT_LIST} (for example "24h")`],
  ["w", `weeks are not a unit; use ${UNIT_LIST} (for example "168h")`],
]);

/** The range a Go duration can hold, for messages about values outside it. */
const RANGE_TEXT = "a duration must be between -2562047h47m16.854775808s and 2562047h47m16.854775807s (about 292 years)";

const NANOS_PER_SECOND_MAX = 999_999_999;

function fail(message: string, field: string | undefined): DomainError {
  return invalidArgument(field ? `${field}: ${message}` : message, field);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

/**
 * Parse a Go duration string exactly as Go's time.ParseDuration does (units ns, us, µs, μs, ms,
 * s, m, h; fractions; sign; "0" alone is zero). Returns nanoseconds as a bigint. Throws
 * invalidArgument(message, field) on bad input.
 */
export function parseGoDuration(text: string, field?: string): bigint {
  // Grammar: [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+ , with "0" alone allowed as a special case.
  const quoted = abbreviate(JSON.stringify(text));
  let pos = 0;
  let negative = false;

  const first = text[0];
  if (first === "-" || first === "+") {
    negative = first === "-";
    pos = 1;
  }
  // Go accepts a bare zero (with or without a sign) without a unit, and nothing else unitless.
  if (text.slice(pos) === "0") return 0n;
  if (pos === text.length) {
    if (text === "") throw fail(`the duration is empty; write a number with a unit, ${EXAMPLES}`, field);
    throw fail(`${quoted} has a sign but no number; write a number with a unit after it, for example "${text}90s"`, field);
  }

  let total = 0n;
  while (pos < text.length) {
    const next = text[pos];
    if (!(next === "." || isDigit(next))) {
      const found = String.fromCodePoint(text.codePointAt(pos) ?? 0);
      throw fail(
        `${quoted} has ${JSON.stringify(found)} where a number should be; write numbers each followed by a unit, ${EXAMPLES}`,
        field,
      );
    }

    // The whole part. Go gives up as soon as it passes 2^63, so a long run of digits cannot
    // turn into a huge number here either.
    const numberStart = pos;
    let whole = 0n;
    while (isDigit(text[pos])) {
      whole = whole * 10n + BigInt(text.charCodeAt(pos) - 48);
      if (whole > MAX_MAGNITUDE) throw fail(`${quoted} is too large; ${RANGE_TEXT}`, field);
      pos++;
    }
    const hasWhole = pos > numberStart;

    // The fraction. Like Go, keep digits only while they fit in 63 bits and ignore the rest:
    // they are far below a nanosecond even for hours.
    let fraction = 0n;
    let scale = 1; // a float64, as in Go: value = whole + fraction / scale
    let hasFraction = false;
    if (text[pos] === ".") {
      pos++;
      let overflowed = false;
      const fractionStart = pos;
      while (isDigit(text[pos])) {
        if (!overflowed) {
          const digit = BigInt(text.charCodeAt(pos) - 48);
          const widened = fraction * 10n + digit;
          if (fraction > (MAX_MAGNITUDE - 1n) / 10n || widened > MAX_MAGNITUDE) {
            overflowed = true;
          } else {
            fraction = widened;
            scale *= 10;
          }
        }
        pos++;
      }
      hasFraction = pos > fractionStart;
    }
    if (!hasWhole && !hasFraction) {
      throw fail(`${quoted} has a decimal point with no digits; write digits before or after it, for example "0.5s" or "1.5h"`, field);
    }
    const numberText = text.slice(numberStart, pos);

    // The unit runs up to the next number, so "1 h" has the unit " h" and is refused, as in Go.
    const unitStart = pos;
    while (pos < text.length && !(text[pos] === "." || isDigit(text[pos]))) pos++;
    const unitText = text.slice(unitStart, pos);
    if (unitText === "") {
      throw fail(`${quoted} needs a unit after ${numberText}; use ${UNIT_LIST} (for example "${numberText}s")`, field);
    }
    const unit = UNITS.get(unitText);
    if (unit === undefined) {
      const advice = MISSING_UNITS.get(unitText) ?? `use ${UNIT_LIST} (${EXAMPLES})`;
      throw fail(`${quoted} has an unknown unit ${abbreviate(JSON.stringify(unitText))}; ${advice}`, field);
    }

    let value = whole * unit;
    if (value > MAX_MAGNITUDE) throw fail(`${quoted} is too large; ${RANGE_TEXT}`, field);
    if (fraction > 0n) {
      // Go computes the fraction in float64 and truncates; doing the same keeps results such as
      // "0.3333333333333333333h" == 20m identical to Go's rather than a nanosecond short.
      value += BigInt(Math.trunc(Number(fraction) * (Number(unit) / scale)));
      if (value > MAX_MAGNITUDE) throw fail(`${quoted} is too large; ${RANGE_TEXT}`, field);
    }
    total += value;
    if (total > MAX_MAGNITUDE) throw fail(`${quoted} is too large; ${RANGE_TEXT}`, field);
  }

  if (negative) return -total;
  // 2^63 is allowed only as a negative value: int64 reaches one further below zero than above.
  if (total > INT64_MAX) throw fail(`${quoted} is too large; ${RANGE_TEXT}`, field);
  return total;
}

/**
 * `value / 10^digits` in decimal, without trailing zeros and without the point when the
 * fraction is zero (Go's fmtFrac). `value` must not be negative.
 */
function decimal(value: bigint, digits: number): string {
  if (digits === 0) return value.toString();
  const scale = 10n ** BigInt(digits);
  const whole = value / scale;
  const fraction = value % scale;
  if (fraction === 0n) return whole.toString();
  return `${whole}.${fraction.toString().padStart(digits, "0").replace(/0+$/, "")}`;
}

/**
 * Format nanoseconds exactly as Go's time.Duration.String() does: "3h0m0s", "1.5s", "300ms",
 * "1µs", "0s", "-1ns".
 */
export function formatGoDuration(nanos: bigint): string {
  const negative = nanos < 0n;
  const magnitude = negative ? -nanos : nanos;
  let text: string;

  if (magnitude === 0n) {
    return "0s";
  } else if (magnitude < SECOND) {
    // Below a second Go switches to the largest unit that keeps a whole part: 1.2ms, 1.1µs, 5ns.
    if (magnitude < MICROSECOND) text = `${magnitude}ns`;
    else if (magnitude < MILLISECOND)
      text = `${decimal(magnitude, 3)}µs`; // U+00B5, as Go writes it
    else text = `${decimal(magnitude, 6)}ms`;
  } else {
    // From a second up: h, m and s, always with the zero minutes and seconds ("3h0m0s"), and
    // no days, because days can be different lengths.
    text = `${decimal(magnitude % MINUTE, 9)}s`;
    const minutes = magnitude / MINUTE;
    if (minutes > 0n) {
      text = `${minutes % 60n}m${text}`;
      const hours = minutes / 60n;
      if (hours > 0n) text = `${hours}h${text}`;
    }
  }
  return negative ? `-${text}` : text;
}

/** Input quoted in a message is cut short, so a huge value cannot make a huge message. */
const MAX_QUOTED = 40;

function abbreviate(text: string): string {
  return text.length <= MAX_QUOTED ? text : `${text.slice(0, MAX_QUOTED - 12)}…(${text.length} characters)`;
}

/** How a value that is not what was asked for reads in a message. */
function describeValue(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  try {
    return abbreviate(JSON.stringify(value) ?? typeof value);
  } catch {
    return typeof value;
  }
}

/** A whole number of seconds as protobuf JSON writes int64: a number, or a string of digits. */
const INT64_STRING = /^-?[0-9]+$/;

function parseSeconds(value: unknown, field: string | undefined): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (typeof value === "string" && INT64_STRING.test(value)) return BigInt(value);
  const fractional =
    (typeof value === "number" && Number.isFinite(value)) || (typeof value === "string" && /^-?[0-9]*\.[0-9]+$/.test(value));
  const hint = fractional ? `; put the fraction of a second in nanos, for example {"seconds": 1, "nanos": 500000000} for 1.5s` : "";
  throw fail(
    `seconds must be a whole number, written as a number or a string of digits such as 3600 or "3600", not ${describeValue(value)}${hint}`,
    field,
  );
}

function parseNanos(value: unknown, field: string | undefined): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) <= NANOS_PER_SECOND_MAX) return value;
  const carry = typeof value === "number" && Number.isInteger(value) ? "; carry whole seconds into seconds" : "";
  throw fail(`nanos must be a whole number from -999999999 to 999999999, not ${describeValue(value)}${carry}`, field);
}

/** Parse either wire form to nanoseconds. */
export function parseDurationInput(input: DurationInput, field?: string): bigint {
  if (typeof input === "string") return parseGoDuration(input, field);
  // The declared type is what well-formed requests hold; JSON can hold anything, so check.
  const raw: unknown = input;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw fail(
      `a duration must be a string such as "90s" or "1h30m", or an object such as {"seconds": 90, "nanos": 0}, not ${describeValue(raw)}`,
      field,
    );
  }

  // A misspelt key ("nano", "second") would otherwise be dropped without a word, and the
  // duration would silently come out shorter than asked for.
  const record = raw as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== "seconds" && key !== "nanos") {
      throw fail(
        `a duration object takes only seconds and nanos, not ${JSON.stringify(key)}; for example {"seconds": 90} or {"seconds": "1", "nanos": 500000000}`,
        field,
      );
    }
  }

  // Protobuf JSON treats null like an absent field: the default, zero.
  const seconds = parseSeconds(record.seconds, field);
  const nanos = parseNanos(record.nanos, field);
  // Protobuf's rule: a negative duration is negative in both parts, so -1.5s is {-1, -500000000}.
  if ((seconds > 0n && nanos < 0) || (seconds < 0n && nanos > 0)) {
    throw fail(
      `seconds (${seconds}) and nanos (${nanos}) must have the same sign; for example -1.5s is {"seconds": -1, "nanos": -500000000}`,
      field,
    );
  }

  const total = seconds * SECOND + BigInt(nanos);
  if (total > INT64_MAX || total < INT64_MIN) {
    throw fail(`${abbreviate(seconds.toString())} seconds is too large; ${RANGE_TEXT}`, field);
  }
  return total;
}

/**
 * Protobuf JSON form: seconds with up to 9 fractional digits and an "s" suffix:
 * 3600000000000n -> "3600s", 1500000000n -> "1.5s".
 */
export function formatProtoDuration(nanos: bigint): string {
  const negative = nanos < 0n;
  const text = `${decimal(negative ? -nanos : nanos, 9)}s`;
  return negative ? `-${text}` : text;
}

/** Whole milliseconds from nanoseconds, rounding toward zero; and the reverse. */
export function nanosToMillis(nanos: bigint): number {
  // Bigint division truncates toward zero, so -1.9ms becomes -1ms, not -2ms.
  return Number(nanos / MILLISECOND);
}

export function millisToNanos(millis: number): bigint {
  // Milliseconds come from the service's own storage and configuration, so a bad value is a bug
  // rather than bad input, and is not reported to the client as their mistake.
  if (!Number.isSafeInteger(millis)) throw new RangeError(`milliseconds must be a whole number, not ${millis}`);
  const nanos = BigInt(millis) * MILLISECOND;
  if (nanos > INT64_MAX || nanos < INT64_MIN) throw new RangeError(`${millis}ms does not fit in a Go duration; ${RANGE_TEXT}`);
  return nanos;
}

/**
 * A duration in whole milliseconds for a human, e.g. 3h, 1h30m, 45s, 250ms ("3h0m0s" style is
 * for the wire). Zero parts are left out, and the largest unit is hours, so the text can be
 * pasted back as a duration. A fraction of a millisecond is dropped, toward zero.
 */
export function describeMillis(millis: number): string {
  if (!Number.isFinite(millis)) throw new RangeError(`cannot describe ${millis} milliseconds as a duration`);
  const whole = BigInt(Math.trunc(millis));
  if (whole === 0n) return "0s";
  let rest = whole < 0n ? -whole : whole;

  const parts: string[] = [];
  for (const [unit, size] of [
    ["h", 3_600_000n],
    ["m", 60_000n],
    ["s", 1_000n],
    ["ms", 1n],
  ] as const) {
    const count = rest / size;
    rest %= size;
    if (count > 0n) parts.push(`${count}${unit}`);
  }
  return `${whole < 0n ? "-" : ""}${parts.join("")}`;
}
