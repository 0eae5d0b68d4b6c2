/**
 * What a Slack message about a petition shows, worked out by the services from the petition,
 * its plan and its history: the renderers in `blocks.ts` turn it into Block Kit and know
 * nothing else of the service.
 */
export interface PetitionCard {
  spaceName: string;
  /** The petition's name: the value of every button, so an interaction names what it is about. */
  name: string;
  /** The petition's page in the web UI. */
  webUrl: string;
  /** Who asks: a display name or email each; the Slack user id when known (shown as a mention). */
  petitioners: Array<{ label: string; slackUserId?: string }>;
  /** What for: `label` is the resource's display name, or its id. */
  resources: Array<{ kind: string; label: string }>;
  reason: string;
  /** How long was asked for, in words ("4 hours", "until revoked"); null when the petition named none. */
  requestedDuration: string | null;
  /** Resource labels worth a reviewer's eye (`env=prod`, `risk=high`). */
  riskLabels: string[];
  /** The policy marks it high-risk: it is decided in the web UI after a fresh sign-in, not in Slack. */
  highRisk: boolean;
  createdAt: number;
  status: CardStatus;
  /** The durations a reviewer may approve for (within the policy's limits), shortest first. */
  durationChoices: DurationChoice[];
  /** The `value` of the choice to preselect; null for the first. */
  defaultDuration: string | null;
}

export interface DurationChoice {
  /** "1 hour", "until revoked". */
  label: string;
  /** A Go duration ("1h0m0s") or "indefinite". */
  value: string;
}

export type CardStatus =
  /** Waiting for reviewers: `approvers` have approved so far, `needed` approvals in all. */
  | { state: "pending"; approvers: string[]; needed: number }
  /** Approved: access granted until `expireAt` (null: until revoked). */
  | { state: "granted"; by: string; duration: string; expireAt: number | null }
  | { state: "denied"; by: string; reason: string }
  | { state: "timed_out"; reason: string }
  | { state: "cancelled"; by: string }
  | { state: "revoked"; by: string; reason: string; at: number }
  | { state: "expired"; at: number };

/** `action_id`s of the interactive elements, and `callback_id`s of the modals. */
export const ACTION = {
  approve: "greenlight.approve",
  deny: "greenlight.deny",
  duration: "greenlight.duration",
  /** A link button (high-risk petitions, and "open in Greenlight"): Slack still reports its click. */
  open: "greenlight.open",
} as const;

export const VIEW = {
  /** The modal asking a reviewer why they deny. */
  deny: "greenlight.deny",
  /** The modal of `/greenlight request`. */
  request: "greenlight.request",
} as const;

/** What the deny modal carries through Slack (its `private_metadata`, JSON). */
export interface DenyModalMetadata {
  petition: string;
  channel?: string;
  messageTs?: string;
}

/** What the request modal offers. */
export interface RequestModalInput {
  /** Requestable resources, at most 100 (Slack's limit for a static select). */
  resources: Array<{ value: string; label: string }>;
  durations: DurationChoice[];
  defaultDuration: string | null;
  /** The text typed after `/greenlight request`, when it narrowed the list. */
  search?: string;
}
