/**
 * The wire shapes of a space's Slack app: how Greenlight posts petitions to Slack and takes
 * decisions from its buttons and its `/greenlight` slash command.
 */

/**
 * The Slack app of a space. Its bot token and signing secret are never answered, only
 * hints of them; the two URLs are what to enter in the app's settings on api.slack.com.
 */
export interface SlackApp {
  spaceName: string;
  /** Slack's Web API, `https://slack.com/api/` unless set otherwise (a proxy, or a test double). */
  apiUrl: string;
  /** When set, interactions from any other Slack workspace are refused. */
  teamId?: string;
  /** Channel ids posted to when a policy names no channel. */
  defaultChannels: string[];
  /** How long before a grant expires its petitioner is sent a direct message, as a Go duration (`15m0s`); `0s` is off. */
  expiryReminder: string;
  /** The start and end of the bot token, as `xoxb-…a1b2`. */
  botTokenHint: string;
  /** The end of the signing secret, as `…9f3c`. */
  signingSecretHint: string;
  /** Where Slack sends button presses and dialogs: the app's Interactivity Request URL. */
  interactivityUrl: string;
  /** The `/greenlight` slash command's Request URL. */
  commandsUrl: string;
  createTime: string;
  updateTime: string;
  lastSuccessTime?: string;
  lastError?: string;
  lastErrorTime?: string;
}

/**
 * What `slack.set` sends: the bot token and signing secret are required the first time; after
 * that, what is left out stays as it is.
 */
export interface SlackAppInput {
  /** The app's Bot User OAuth Token, `xoxb-…`. */
  botToken?: string;
  /** The app's Signing Secret, from its Basic Information page. */
  signingSecret?: string;
  apiUrl?: string;
  /** A workspace id (`T…`) to accept interactions from alone; `null` accepts any workspace again. */
  teamId?: string | null;
  /** Replaces the list of channel ids posted to when a policy names no channel. */
  defaultChannels?: string[];
  /** A Go duration such as `15m`; `0s` turns the reminder off. */
  expiryReminder?: string;
}

/** What Slack's `auth.test` said of the bot token: who the bot is, or why it was refused. */
export interface SlackTestResult {
  ok: boolean;
  /** The workspace's name. */
  team?: string;
  teamId?: string;
  botUserId?: string;
  /** Slack's error, such as `invalid_auth`, or why Slack could not be reached. */
  error?: string;
}

/** A Slack app manifest, as pasted into api.slack.com/apps → Create New App → From a manifest. */
export type SlackManifest = Record<string, unknown>;
