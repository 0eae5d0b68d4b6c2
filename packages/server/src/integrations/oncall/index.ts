import { normalizeEmail } from "./http.js";
import { checkIncidentIo } from "./incidentio.js";
import { checkOpsgenie } from "./opsgenie.js";
import { checkPagerDuty } from "./pagerduty.js";
import type { OnCallAnswer, OnCallProviderConfig, OnCallProviderKind } from "./types.js";

export { OnCallError, isOnCallError, ON_CALL_PROVIDER_NAMES } from "./types.js";
export type { OnCallAnswer, OnCallProviderConfig, OnCallProviderKind } from "./types.js";

/** Each provider's public API. Opsgenie's EU accounts use https://api.eu.opsgenie.com instead. */
export const DEFAULT_BASE_URLS: Readonly<Record<OnCallProviderKind, string>> = {
  pagerduty: "https://api.pagerduty.com",
  opsgenie: "https://api.opsgenie.com",
  incidentio: "https://api.incident.io",
};

/**
 * Asks the configured provider whether `email` is on call at `at` (PagerDuty uses `at` for its
 * window; Opsgenie and incident.io answer for the moment they are asked). Throws `OnCallError` on
 * any failure, which the caller treats as no opinion.
 *
 * @example
 * const answer = await checkOnCall(
 *   { kind: "pagerduty", baseUrl: DEFAULT_BASE_URLS.pagerduty, apiKey, schedules: ["PABC123"], timeoutMs: 5000 },
 *   "ada@example.com",
 *   new Date(clock.now()),
 * );
 * if (answer.onCall) approve(answer.detail);
 */
export async function checkOnCall(config: OnCallProviderConfig, email: string, at: Date): Promise<OnCallAnswer> {
  if (!normalizeEmail(email)) return { onCall: false, detail: "no email to check" };
  switch (config.kind) {
    case "pagerduty":
      return checkPagerDuty(config, email, at);
    case "opsgenie":
      return checkOpsgenie(config, email);
    case "incidentio":
      return checkIncidentIo(config, email);
  }
}
