import type { Kysely } from "kysely";
import { slackSecretHints, type SlackApp } from "../../domain/slack.js";
import { fromJson, toJson, toMillis } from "../codec.js";
import type { Database } from "../schema.js";
import type { SecretBox } from "../secret-box.js";
import { DestinationRepository, sealedColumnsOf, type DestinationTable } from "./destinations.js";

/** Where a space's Slack app asks for review when a policy names no channel, and when it reminds petitioners. */
export interface SlackSettings {
  defaultChannels: string[];
  expiryReminderMs: number;
}

/** A Slack app's own columns: one a space; its bot token and signing secret are sealed, their hints kept beside them. */
const SLACK_APPS: DestinationTable<"slack_apps", SlackApp> = {
  table: "slack_apps",
  sealing: "slack",
  named: false,
  switchable: false,
  sealed: { bot_token_sealed: "bot-token", signing_secret_sealed: "signing-secret" },
  toRow: (app, seal) => {
    const hints = slackSecretHints(app);
    return {
      bot_token_sealed: seal("bot_token_sealed", app.botToken),
      signing_secret_sealed: seal("signing_secret_sealed", app.signingSecret),
      bot_token_hint: hints.botTokenHint,
      signing_secret_hint: hints.signingSecretHint,
      api_url: app.apiUrl,
      team_id: app.teamId,
      default_channels: toJson(app.defaultChannels),
      expiry_reminder_ms: app.expiryReminderMs,
    };
  },
  fromRow: (row, open) => ({
    botToken: open("bot_token_sealed"),
    signingSecret: open("signing_secret_sealed"),
    apiUrl: row.api_url,
    teamId: row.team_id,
    defaultChannels: fromJson<string[]>(row.default_channels),
    expiryReminderMs: toMillis(row.expiry_reminder_ms),
  }),
};

/** Each space's Slack app, found by the space alone. */
export class SlackAppRepository extends DestinationRepository<"slack_apps", SlackApp> {
  constructor(db: Kysely<Database>, box: SecretBox) {
    super(db, box, SLACK_APPS);
  }

  /** How the space's Slack app routes review requests, without opening its secrets; undefined without one. */
  async settingsOf(spaceId: string): Promise<SlackSettings | undefined> {
    const [row] = await this.columnsOf(spaceId, ["default_channels", "expiry_reminder_ms"]);
    return row && { defaultChannels: fromJson<string[]>(row.default_channels), expiryReminderMs: toMillis(row.expiry_reminder_ms) };
  }
}

/** Where Slack apps keep sealed secrets, for sealing them again under a new secret key. */
export const SLACK_SECRETS = sealedColumnsOf(SLACK_APPS);
