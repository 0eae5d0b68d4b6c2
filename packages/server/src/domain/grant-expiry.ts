import { describeMillis, formatGoDuration, millisToNanos, nanosToMillis, parseGoDuration } from "./duration.js";
import { invalidArgument } from "./errors.js";

/** Well-known labels that carry time on approve claims and grant events (Indent's names). */
export const DURATION_LABEL = "indent.com/time/duration";
export const EXPIRES_LABEL = "indent.com/time/expires";
export const INDEFINITE_LABEL = "indent.com/time/indefinite";
/** The duration a petitioner suggested, as a label on the petition. */
export const PETITION_DURATION_LABEL = "indent.com/petition/duration";
/**
 * `"true"` on an approve claim or a petition: a duration beyond the maximum is shortened to the
 * maximum rather than refused (the granted expiry shows what was given).
 */
export const CLAMP_LABEL = "greenlight.dev/time/clamp";

export interface GrantLimits {
  /** Used when neither the approval nor the petition names a duration. */
  defaultMs: number;
  /** The longest grant an approval may give. */
  maxMs: number;
  /** Whether an approval may grant access until revoked. */
  allowIndefinite: boolean;
}

export interface GrantTerm {
  /** Null means until revoked. */
  expireAt: number | null;
  durationMs: number | null;
}

export interface ExpirySources {
  claimLabels: Record<string, string>;
  petitionDefaultMs: number | null;
  petitionLabels: Record<string, string>;
  /** Shorten what is beyond the maximum instead of refusing it. */
  clamp?: boolean;
}

/**
 * How long an approval grants access. In order: `indent.com/time/indefinite: "true"`, then the
 * claim's `indent.com/time/duration` (a Go duration; `-1ns` means until revoked, as Indent's
 * integrations read it), then its `indent.com/time/expires` (RFC 3339), then the petition's
 * suggested duration, then the configured default. Anything beyond the maximum is refused
 * rather than clamped, so nobody believes they granted more than they did, unless the caller
 * asked for clamping (`clamp`, or `greenlight.dev/time/clamp: "true"` on the claim).
 */
export function resolveGrantTerm(sources: ExpirySources, limits: GrantLimits, now: number): GrantTerm {
  const clamp = sources.clamp === true || sources.claimLabels[CLAMP_LABEL] === "true";
  const term = resolveRequestedTerm(sources, clamp ? { ...limits, maxMs: Number.MAX_SAFE_INTEGER, allowIndefinite: true } : limits, now);
  if (!clamp) return term;
  if (term.durationMs === null ? !limits.allowIndefinite : term.durationMs > limits.maxMs) {
    return { expireAt: now + limits.maxMs, durationMs: limits.maxMs };
  }
  return term;
}

function resolveRequestedTerm(sources: ExpirySources, limits: GrantLimits, now: number): GrantTerm {
  const { claimLabels } = sources;
  const indefinite = claimLabels[INDEFINITE_LABEL];
  if (indefinite !== undefined && indefinite !== "true" && indefinite !== "false") {
    throw invalidArgument(
      `${INDEFINITE_LABEL} must be "true" or "false", not ${JSON.stringify(indefinite)}`,
      `claim.meta.labels["${INDEFINITE_LABEL}"]`,
    );
  }
  if (indefinite === "true") return indefiniteTerm(limits, `claim.meta.labels["${INDEFINITE_LABEL}"]`);

  const durationText = claimLabels[DURATION_LABEL];
  if (durationText !== undefined) {
    const field = `claim.meta.labels["${DURATION_LABEL}"]`;
    const nanos = parseGoDuration(durationText, field);
    if (nanos === -1n) return indefiniteTerm(limits, field);
    return termFromDuration(nanos, limits, now, field);
  }

  const expiresText = claimLabels[EXPIRES_LABEL];
  if (expiresText !== undefined) {
    const field = `claim.meta.labels["${EXPIRES_LABEL}"]`;
    const expireAt = parseRfc3339(expiresText, field);
    if (expireAt <= now) throw invalidArgument(`${field} is in the past (${expiresText}); access must end after it starts`, field);
    checkMaximum(expireAt - now, limits, field);
    return { expireAt, durationMs: expireAt - now };
  }

  if (sources.petitionDefaultMs !== null) {
    return termFromDuration(millisToNanos(sources.petitionDefaultMs), limits, now, "petition.defaultDuration");
  }
  const suggested = sources.petitionLabels[PETITION_DURATION_LABEL];
  if (suggested !== undefined) {
    const field = `petition.meta.labels["${PETITION_DURATION_LABEL}"]`;
    return termFromDuration(parseGoDuration(suggested, field), limits, now, field);
  }
  return { expireAt: now + limits.defaultMs, durationMs: limits.defaultMs };
}

/** The shorter of two terms (an until-revoked term is the longest). */
export function shorterTerm(a: GrantTerm, b: GrantTerm): GrantTerm {
  if (a.durationMs === null) return b;
  if (b.durationMs === null) return a;
  return a.durationMs <= b.durationMs ? a : b;
}

/** The labels an approve claim and its grant events carry once the term is known. */
export function termLabels(term: GrantTerm): Record<string, string> {
  if (term.expireAt === null || term.durationMs === null) return { [INDEFINITE_LABEL]: "true" };
  return {
    [DURATION_LABEL]: formatGoDuration(millisToNanos(term.durationMs)),
    [EXPIRES_LABEL]: new Date(term.expireAt).toISOString(),
  };
}

/** Checks a petitioner's suggested duration when the petition is created. */
export function checkSuggestedDuration(nanos: bigint, limits: GrantLimits, field: string): number {
  if (nanos <= 0n) throw invalidArgument(`${field} must be positive, for example "1h"`, field);
  const ms = nanosToMillis(nanos);
  if (ms < 1) throw invalidArgument(`${field} must be at least 1ms`, field);
  checkMaximum(ms, limits, field);
  return ms;
}

/**
 * Checks the duration a petitioner suggested in the petition's labels, if any, so a petition
 * is refused when it is written rather than failing every approval later.
 */
export function checkSuggestedDurationLabel(labels: Record<string, string>, limits: GrantLimits): void {
  const suggested = labels[PETITION_DURATION_LABEL];
  if (suggested === undefined) return;
  const field = `petition.meta.labels["${PETITION_DURATION_LABEL}"]`;
  checkSuggestedDuration(parseGoDuration(suggested, field), limits, field);
}

function termFromDuration(nanos: bigint, limits: GrantLimits, now: number, field: string): GrantTerm {
  const durationMs = checkSuggestedDuration(nanos, limits, field);
  return { expireAt: now + durationMs, durationMs };
}

function indefiniteTerm(limits: GrantLimits, field: string): GrantTerm {
  if (!limits.allowIndefinite) {
    throw invalidArgument(
      `${field}: access until revoked is turned off on this server; give a duration of at most ${describeMillis(limits.maxMs)}`,
      field,
    );
  }
  return { expireAt: null, durationMs: null };
}

function checkMaximum(ms: number, limits: GrantLimits, field: string): void {
  if (ms > limits.maxMs) {
    throw invalidArgument(`${field} asks for ${describeMillis(ms)}, more than the maximum grant of ${describeMillis(limits.maxMs)}`, field);
  }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export function parseRfc3339(text: string, field: string): number {
  const ms = RFC3339.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms))
    throw invalidArgument(`${field} must be an RFC 3339 timestamp such as "2030-01-02T15:04:05Z", not ${JSON.stringify(text)}`, field);
  return ms;
}
