/**
 * When and how outbound deliveries are retried. A delivery is an event for one receiver; it
 * is attempted until the receiver acknowledges it, on a schedule of growing waits with jitter
 * (Standard Webhooks' table by default: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, …, about three days
 * in all), and given up only after the last one. A receiver's `Retry-After` is honoured when
 * it asks for longer.
 */
export type DeliveryStatus = "pending" | "delivered" | "failed" | "cancelled";

/** What a grant's integrations have done with it. `revoked` means every one acknowledged the end. */
export type GrantProvisioning = "none" | "applying" | "applied" | "apply_failed" | "revoking" | "revoked" | "revoke_failed";

export type AttemptOutcome =
  /** The receiver acknowledged it. */
  | { kind: "delivered" }
  /** Try again later (no earlier than `retryAfterMs` when the receiver said so). */
  | { kind: "retry"; reason: string; retryAfterMs?: number }
  /** The receiver is gone for good (410): stop sending to it. */
  | { kind: "gone"; reason: string }
  /** The receiver refused this one for good (it would refuse it again): it fails, the receiver stays on. */
  | { kind: "rejected"; reason: string };

export const DEFAULT_RETRY_SCHEDULE_MS = [5, 300, 1800, 7200, 18_000, 36_000, 36_000, 57_600, 57_600, 57_600].map((s) => s * 1000);
/** The longest a receiver's Retry-After is obeyed for. */
const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/**
 * The wait before the next attempt after `attempts` failed ones, or null when the schedule is
 * used up. Jitter of ±20% spreads a burst of failures so they do not come back together.
 */
export function nextAttemptDelay(
  attempts: number,
  schedule: readonly number[],
  retryAfterMs: number | undefined,
  random: () => number,
): number | null {
  const base = schedule[attempts - 1];
  if (base === undefined) return null;
  const jittered = Math.round(base * (0.8 + 0.4 * random()));
  return retryAfterMs === undefined ? jittered : Math.max(jittered, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}

/**
 * What an answer means. A 2xx acknowledges, except that an Indent integration's body may say
 * it failed (`{"status": {"code": N}}` with N ≠ 0); a 410 means the receiver is gone; a redirect
 * is not followed and counts as a failure, like every other answer.
 */
export function classifyAnswer(
  status: number,
  body: string,
  protocol: "indent" | "standard",
  retryAfterHeader: string | null,
  now: number,
): AttemptOutcome {
  if (status === 410) return { kind: "gone", reason: "the receiver answered 410 Gone" };
  if (status >= 200 && status < 300) {
    if (protocol === "indent") {
      const code = statusCodeOf(body);
      if (code !== 0) return { kind: "retry", reason: `the integration answered status code ${code}${messageOf(body)}` };
    }
    return { kind: "delivered" };
  }
  const retryAfterMs = parseRetryAfter(retryAfterHeader, now);
  const what = status >= 300 && status < 400 ? `a redirect (${status}), which is not followed` : `HTTP ${status}`;
  return {
    kind: "retry",
    reason: `the receiver answered ${what}${messageOf(body)}`,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

function statusCodeOf(body: string): number {
  if (body.trim() === "") return 0;
  try {
    const parsed = JSON.parse(body) as { status?: { code?: unknown } } | null;
    const code = parsed?.status?.code;
    return typeof code === "number" ? code : 0;
  } catch {
    // A 2xx whose body is not JSON is still an acknowledgement (Indent's example integrations answer `{}` or nothing).
    return 0;
  }
}

function messageOf(body: string): string {
  try {
    const message = (JSON.parse(body) as { status?: { message?: unknown } } | null)?.status?.message;
    if (typeof message === "string" && message) return `: ${message.slice(0, 200)}`;
  } catch {
    // Not JSON: quoted below.
  }
  const text = body.trim();
  return text ? `: ${text.slice(0, 200)}` : "";
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
