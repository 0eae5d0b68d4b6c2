import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Slack's request signing, version 0: Slack sends `X-Slack-Request-Timestamp` (Unix seconds)
 * and `X-Slack-Signature` (`v0=` and the hex HMAC-SHA256, keyed with the app's signing secret,
 * of `v0:{timestamp}:{raw body}`). The body must be the bytes as they came, before any parsing.
 * The timestamp bounds replays: a request signed more than five minutes from now, either way, is
 * refused, so a captured request cannot be sent again later.
 */

export type SlackVerdict = { ok: true } | { ok: false; reason: string };

export interface SlackSignedRequest {
  signingSecret: string;
  /** `X-Slack-Request-Timestamp`, as it came (absent when the header was). */
  timestamp: string | undefined;
  /** `X-Slack-Signature`, as it came. */
  signature: string | undefined;
  /** The raw request body. */
  body: string;
  /** Now, in milliseconds since epoch. */
  now: number;
  /** How far the timestamp may be from now, either way. */
  toleranceMs?: number;
}

const SIGNATURE = /^v0=([0-9a-fA-F]{64})$/;

export function verifySlackRequest({
  signingSecret,
  timestamp,
  signature,
  body,
  now,
  toleranceMs = 300_000,
}: SlackSignedRequest): SlackVerdict {
  if (timestamp === undefined || timestamp === "") return { ok: false, reason: "the X-Slack-Request-Timestamp header is missing" };
  if (!/^\d{1,15}$/.test(timestamp)) return { ok: false, reason: "the X-Slack-Request-Timestamp header is not a number of seconds" };
  const skewMs = Number(timestamp) * 1000 - now;
  if (Math.abs(skewMs) > toleranceMs) {
    const when = skewMs < 0 ? "in the past" : "in the future";
    return { ok: false, reason: `the request timestamp is more than ${span(toleranceMs)} ${when} (a replay, or a clock that is off)` };
  }
  if (signature === undefined || signature === "") return { ok: false, reason: "the X-Slack-Signature header is missing" };
  const match = SIGNATURE.exec(signature);
  if (!match) return { ok: false, reason: "the X-Slack-Signature header is not of the form v0=<64 hex digits>" };
  // Both sides are 32 bytes here, so timingSafeEqual never throws and leaks nothing by length.
  const given = Buffer.from(match[1]!, "hex");
  const expected = hmac(signingSecret, timestamp, body);
  if (!timingSafeEqual(given, expected)) return { ok: false, reason: "it is not signed with the app's signing secret" };
  return { ok: true };
}

/** The `X-Slack-Signature` Slack would send for `body` at `timestamp` (Unix seconds): for tests. */
export function signSlackRequest(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${hmac(signingSecret, String(timestamp), body).toString("hex")}`;
}

function span(ms: number): string {
  const [count, unit] = ms % 60_000 === 0 ? [ms / 60_000, "minute"] : [Math.round(ms / 1000), "second"];
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

function hmac(signingSecret: string, timestamp: string, body: string): Buffer {
  return createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`, "utf8").digest();
}
