/** The on-call services an auto-approval policy can ask. */
export type OnCallProviderKind = "pagerduty" | "opsgenie" | "incidentio";

/** How each provider is named in answers and error messages. */
export const ON_CALL_PROVIDER_NAMES: Readonly<Record<OnCallProviderKind, string>> = {
  pagerduty: "PagerDuty",
  opsgenie: "Opsgenie",
  incidentio: "incident.io",
};

export interface OnCallProviderConfig {
  kind: OnCallProviderKind;
  /** API base URL, e.g. https://api.pagerduty.com; configurable so tests and proxies work. */
  baseUrl: string;
  /** Sent only in the provider's authorization header; never written into an error message. */
  apiKey: string;
  /**
   * PagerDuty: schedule ids; Opsgenie: schedule names or ids. Empty or absent: every schedule.
   * Ids are compared exactly, names without regard to case.
   */
  schedules?: string[];
  /**
   * incident.io: role names ("Incident Lead") or shortforms ("lead"), compared without regard to
   * case. Empty or absent: any role.
   */
  roles?: string[];
  /** incident.io: also count people who posted an update on a live incident. */
  approveParticipants?: boolean;
  /** PagerDuty window around the request time, in minutes (defaults 1 and 5). */
  windowBeforeMinutes?: number;
  /** See `windowBeforeMinutes`. */
  windowAfterMinutes?: number;
  /** Per HTTP request, covering the wait for headers and the reading of the body. */
  timeoutMs: number;
  /** The fetch to call with; the global one unless the server passes its guarded one (see `outbound/`). */
  fetch?: (input: string | URL, init?: RequestInit) => Promise<Response>;
}

export interface OnCallAnswer {
  onCall: boolean;
  /** Human-readable: which schedule / incident role matched, or what was checked. */
  detail: string;
}

/**
 * Any failure to get an answer from a provider: unreachable, slow, refused, rate-limited, or an
 * answer that is not what its API documents. The caller treats it as "no opinion", so a
 * provider outage never approves anything. The message says what failed and never holds the
 * API key.
 */
export class OnCallError extends Error {
  override readonly name = "OnCallError";
  readonly provider: OnCallProviderKind;
  /** The HTTP status the provider answered with, when it answered at all. */
  readonly status: number | undefined;
  /** From the provider's Retry-After header on a 429, when it sent a usable one. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    provider: OnCallProviderKind,
    message: string,
    options: { status?: number; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(`${ON_CALL_PROVIDER_NAMES[provider]}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.provider = provider;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isOnCallError(error: unknown): error is OnCallError {
  return error instanceof OnCallError;
}
