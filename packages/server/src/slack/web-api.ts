import {
  WebClient,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  type FetchFunction,
} from "@slack/web-api";
import type { AttemptOutcome } from "../domain/delivery.js";

/**
 * Slack's official Web API client, set up for the outbox: it never retries or waits by itself
 * (a 429 comes back at once with its Retry-After, and the outbox schedules the next attempt),
 * it talks to the space's configured API URL, and its requests go through the server's
 * guarded fetch, so a configured URL cannot reach private addresses the operator did not allow.
 */
export function slackClient(options: { token: string; apiUrl: string; fetch: FetchFunction; timeoutMs: number }): WebClient {
  return new WebClient(options.token, {
    slackApiUrl: options.apiUrl,
    fetch: options.fetch,
    timeout: options.timeoutMs,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    // A method name is never a URL here; the configured API URL is the only destination.
    allowAbsoluteUrls: false,
    logger: SILENT,
  });
}

/**
 * Slack's answers that mean "this call will never work as it is": sending it again later
 * changes nothing, so the delivery fails at once, visibly, instead of retrying for days.
 */
const PERMANENT = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "msg_too_long",
  "no_text",
  "invalid_blocks",
  "invalid_blocks_format",
  "invalid_arguments",
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "missing_scope",
  "user_not_found",
  "users_not_found",
  "user_not_in_channel",
  "cant_update_message",
  "message_not_found",
  "edit_window_closed",
  "expired_trigger_id",
  "exchanged_trigger_id",
  "invalid_trigger_id",
  "view_too_large",
  "restricted_action",
  "ekm_access_denied",
  "team_access_not_granted",
]);

/** What a failed Slack call means for its delivery. */
export function classifySlackError(error: unknown): Exclude<AttemptOutcome, { kind: "delivered" }> & { status?: number } {
  if (error instanceof WebAPIRateLimitedError) {
    return {
      kind: "retry",
      reason: `Slack rate-limited the call (retry after ${error.retryAfter} s)`,
      retryAfterMs: error.retryAfter * 1000,
      status: 429,
    };
  }
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    const reason = `Slack answered ${code}`;
    return PERMANENT.has(code) ? { kind: "rejected", reason, status: 200 } : { kind: "retry", reason, status: 200 };
  }
  if (error instanceof WebAPIHTTPError)
    return { kind: "retry", reason: `Slack answered HTTP ${error.statusCode}`, status: error.statusCode };
  if (error instanceof WebAPIRequestError) return { kind: "retry", reason: `Slack could not be reached: ${describe(error.original)}` };
  return { kind: "retry", reason: `the Slack call failed: ${describe(error)}` };
}

function describe(error: unknown): string {
  let cause: unknown = error;
  while (cause instanceof Error && cause.cause !== undefined) cause = cause.cause;
  if (cause instanceof Error && (cause.name === "TimeoutError" || cause.name === "AbortError")) return "no answer in time";
  return cause instanceof Error ? cause.message : String(cause);
}

const SILENT = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => "error" as never,
  setName: () => undefined,
};
