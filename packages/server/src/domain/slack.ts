import { secretHint, type Destination } from "./destination.js";

/**
 * A space's Slack app: how Greenlight talks to Slack (bot token, API URL) and how it knows a
 * request came from Slack (signing secret), where review requests go when the policy names no
 * channel, and when a petitioner hears that their access is about to end.
 */
export interface SlackApp extends Destination {
  botToken: string;
  signingSecret: string;
  /** Slack's Web API, or a proxy (Enterprise Grid) or a test server; ends with a slash. */
  apiUrl: string;
  /** When set, interactions from other workspaces are refused. */
  teamId: string | null;
  defaultChannels: string[];
  /** How long before a grant's expiry the petitioner is told; 0 for never. */
  expiryReminderMs: number;
}

export const DEFAULT_SLACK_API_URL = "https://slack.com/api/";
export const DEFAULT_EXPIRY_REMINDER_MS = 15 * 60_000;

/** The outbox receiver all of a space's Slack calls go through (one app per space). */
export const SLACK_RECEIVER = "slack";

/** A message about a petition, as posted: where, and what `chat.update` needs to change it. */
export interface SlackMessageRef {
  spaceId: string;
  petitionName: string;
  destination: string;
  channel: string;
  ts: string;
  renderedVersion: number;
}

/**
 * What the Slack deliveries do, one outbox row each. Posts and updates render the petition as
 * it is when they are sent, so a late one never shows an old state.
 */
export type SlackOperation =
  /** Post the review message to a channel or a person (a user id or an email), once. */
  | { op: "post"; petition: string; destination: string }
  /** Bring every posted message of the petition up to date. */
  | { op: "sync"; petition: string }
  /** Tell the petitioners the decision. */
  | { op: "decision"; petition: string }
  /** Tell the petitioners their access ends soon (sent at that time, if it is still so). */
  | { op: "reminder"; petition: string; expireAt: number }
  /** Tell a Slack user something only they see, in a channel. */
  | { op: "ephemeral"; channel: string; user: string; text: string }
  /** A direct message to a Slack user. */
  | { op: "dm"; user: string; text: string; petition?: string }
  /** Open a modal; Slack's trigger lasts 3 seconds, so one not sent by then is dropped. */
  | { op: "view"; triggerId: string; view: unknown; notAfter: number; user: string; channel?: string }
  /** An interaction Slack sent (a button, a modal, a slash command), verified and acknowledged. */
  | { op: "interaction"; kind: "action" | "view" | "command"; payload: unknown; receivedAt: number };

/** What is shown of the app's secrets: the bot token's prefix and end, the signing secret's end. */
export function slackSecretHints(app: Pick<SlackApp, "botToken" | "signingSecret">): { botTokenHint: string; signingSecretHint: string } {
  return { botTokenHint: secretHint(app.botToken, 5), signingSecretHint: secretHint(app.signingSecret, 0) };
}
