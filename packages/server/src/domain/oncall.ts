import type { Destination } from "./destination.js";

/**
 * An on-call provider configured in a space: PagerDuty, Opsgenie or incident.io, asked whether
 * a petitioner is on call when a policy condition reads `onCall`. Its API key is kept
 * encrypted; its last success and failure are kept so a provider that stopped answering is
 * visible rather than silently never approving.
 */
export type OnCallKind = "pagerduty" | "opsgenie" | "incidentio";
export const ON_CALL_KINDS: readonly OnCallKind[] = ["pagerduty", "opsgenie", "incidentio"];

export interface OnCallSettings {
  schedules?: string[];
  roles?: string[];
  approveParticipants?: boolean;
  windowBeforeMinutes?: number;
  windowAfterMinutes?: number;
}

export interface OnCallProvider extends Destination {
  name: string;
  kind: OnCallKind;
  baseUrl: string;
  apiKey: string;
  settings: OnCallSettings;
}

export const DEFAULT_ON_CALL_URLS: Record<OnCallKind, string> = {
  pagerduty: "https://api.pagerduty.com",
  opsgenie: "https://api.opsgenie.com",
  incidentio: "https://api.incident.io",
};
