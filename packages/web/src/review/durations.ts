import type { Petition } from "@greenlight/sdk";

/**
 * The durations a reviewer may grant a petition for, within what its plan allows
 * (`state.review`: the longest grant, the default, whether until-revoked is allowed), so the
 * form never offers what the server would refuse.
 */

/** What an approval sends: a Go duration ("2h", "1h30m"), or `indefinite` for until revoked. */
export interface DurationChoice {
  value: string;
  label: string;
}

export const INDEFINITE = "indefinite";

/** Lengths people usually grant; the plan's own default, maximum and the request's are added. */
const LADDER_MS = [15, 30, 60, 120, 240, 480, 720, 1440, 4320, 10080, 43200].map((minutes) => minutes * 60_000);

/** Without a plan (a petition from before plans were kept), the durations offered before. */
const NO_PLAN_MAX_MS = 24 * 3_600_000;

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration ("4h0m0s", "90m") or protobuf JSON ("7200s") in milliseconds; undefined if neither. */
export function durationMs(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) return undefined;
  return Math.round(parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_MS[unit!]!, 0));
}

/** Milliseconds as a Go duration people read: 5_400_000 → "1h30m". */
export function goDuration(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  const text = `${hours ? `${hours}h` : ""}${minutes ? `${minutes}m` : ""}${seconds ? `${seconds}s` : ""}`;
  return text || "0s";
}

/** Milliseconds in words: "2 hours", "3 days", "1h30m". */
export function spokenDuration(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (ms % 86_400_000 === 0 && ms >= 2 * 86_400_000) return plural(ms / 86_400_000, "day");
  if (ms % 3_600_000 === 0) return plural(ms / 3_600_000, "hour");
  if (ms < 3_600_000 && ms % 60_000 === 0) return plural(ms / 60_000, "minute");
  return goDuration(ms);
}

/** How long the requester asked for: the petition's duration, else its `indent.com/petition/duration` label. */
export function requestedMs(petition: Petition): number | undefined {
  return durationMs(petition.defaultDuration) ?? durationMs(petition.meta.labels?.["indent.com/petition/duration"]);
}

/** The choices for this petition, shortest first, and the one to start with. */
export function durationChoices(petition: Petition): { choices: DurationChoice[]; initial: string } {
  const review = petition.state.review;
  const maxMs = durationMs(review?.maxDuration) ?? NO_PLAN_MAX_MS;
  const planDefaultMs = durationMs(review?.defaultDuration);
  const asked = requestedMs(petition);
  const within = (ms: number | undefined): ms is number => ms !== undefined && ms > 0 && ms <= maxMs;
  const lengths = [...new Set([...LADDER_MS, planDefaultMs, asked, maxMs].filter(within))].sort((a, b) => a - b);
  const choices = lengths.map((ms) => {
    const notes = [ms === asked ? "asked for" : "", ms === maxMs && review ? "the longest allowed" : ""].filter(Boolean);
    return { value: goDuration(ms), label: `${spokenDuration(ms)}${notes.length ? ` (${notes.join(", ")})` : ""}` };
  });
  if (review?.allowIndefinite) choices.push({ value: INDEFINITE, label: "until revoked" });
  const start = [asked, planDefaultMs, Math.min(3_600_000, maxMs)].find(within) ?? maxMs;
  return { choices, initial: goDuration(start) };
}
