import type { Review } from "@greenlight/sdk";

/**
 * The durations a request may ask for under its plan (`state.review`, or a preview's): the
 * usual ones up to the plan's maximum, with the default and the maximum themselves, and
 * "until revoked" where the plan allows it.
 */

/** The value that asks for access until it is revoked, rather than for a duration. */
export const UNTIL_REVOKED = "until-revoked";
/** The petition label that asks for it (as a request made in Slack does). */
export const INDEFINITE_LABEL = "indent.com/time/indefinite";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const OFFERED = [15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR, 12 * HOUR, 24 * HOUR, 72 * HOUR, 168 * HOUR];

export interface DurationChoice {
  /** A Go duration the server reads ("2h", "90m"), or `UNTIL_REVOKED`. */
  value: string;
  label: string;
}

export function durationChoices(review: Pick<Review, "maxDuration" | "defaultDuration" | "allowIndefinite">): {
  choices: DurationChoice[];
  preselected: string;
} {
  const max = goDurationMs(review.maxDuration);
  const wanted = Math.min(goDurationMs(review.defaultDuration), max);
  const values = new Set(OFFERED.filter((ms) => ms <= max));
  if (wanted > 0) values.add(wanted);
  if (max > 0) values.add(max);
  const choices = [...values].sort((a, b) => a - b).map((ms) => ({ value: goDuration(ms), label: describe(ms) }));
  if (review.allowIndefinite) choices.push({ value: UNTIL_REVOKED, label: "until revoked" });
  return { choices, preselected: wanted > 0 ? goDuration(wanted) : (choices[0]?.value ?? "") };
}

const UNIT_MS: Record<string, number> = { h: HOUR, m: MINUTE, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };

/** A Go duration ("4h0m0s", "1h30m0s", "90s") in milliseconds; 0 when it is not one. */
export function goDurationMs(text: string): number {
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g)) total += Number(n) * UNIT_MS[unit!]!;
  return Math.round(total);
}

/** Milliseconds as the server reads them: "2h", "90m", "45s". */
function goDuration(ms: number): string {
  if (ms % HOUR === 0) return `${ms / HOUR}h`;
  if (ms % MINUTE === 0) return `${ms / MINUTE}m`;
  return `${Math.round(ms / 1000)}s`;
}

/** Milliseconds as people say them: "30 minutes", "2 hours", "3 days". */
export function describe(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (ms >= 24 * HOUR && ms % (24 * HOUR) === 0) return plural(ms / (24 * HOUR), "day");
  if (ms >= HOUR && ms % HOUR === 0) return plural(ms / HOUR, "hour");
  if (ms >= MINUTE && ms % MINUTE === 0) return plural(ms / MINUTE, "minute");
  return plural(Math.round(ms / 1000), "second");
}
