import type { Kysely } from "kysely";
import { slackSecretHints, type SlackApp, type SlackMessageRef } from "../../domain/slack.js";
import { fromJson, toJson, toMillis, toMillisOrNull } from "../codec.js";
import type { Database } from "../schema.js";
import type { SealedColumns, SecretBox } from "../secret-box.js";

/** Where a space's Slack app asks for review when a policy names no channel, and when it reminds petitioners. */
export interface SlackSettings {
  defaultChannels: string[];
  expiryReminderMs: number;
}

/** Each space's Slack app (bot token and signing secret sealed at rest) and the messages posted about petitions. */
export class SlackRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
  ) {}

  async getApp(spaceId: string): Promise<SlackApp | undefined> {
    const row = await this.db.selectFrom("slack_apps").selectAll().where("space_id", "=", spaceId).executeTakeFirst();
    return row && this.toApp(row);
  }

  /** How the space's Slack app routes review requests, without opening its secrets; undefined without one. */
  async settingsOf(spaceId: string): Promise<SlackSettings | undefined> {
    const row = await this.db
      .selectFrom("slack_apps")
      .select(["default_channels", "expiry_reminder_ms"])
      .where("space_id", "=", spaceId)
      .executeTakeFirst();
    return row && { defaultChannels: fromJson<string[]>(row.default_channels), expiryReminderMs: toMillis(row.expiry_reminder_ms) };
  }

  /** Whether the space has a Slack app, without opening its secrets. */
  async hasApp(spaceId: string): Promise<boolean> {
    const row = await this.db.selectFrom("slack_apps").select("space_id").where("space_id", "=", spaceId).executeTakeFirst();
    return row !== undefined;
  }

  async putApp(app: SlackApp): Promise<void> {
    const row = this.toRow(app);
    const { space_id, created_at, ...changes } = row;
    await this.db
      .insertInto("slack_apps")
      .values(row)
      .onConflict((oc) => oc.column("space_id").doUpdateSet(changes))
      .execute();
  }

  async deleteApp(spaceId: string): Promise<boolean> {
    const result = await this.db.deleteFrom("slack_apps").where("space_id", "=", spaceId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async recordOutcome(spaceId: string, outcome: { at: number; error: string | null }): Promise<void> {
    await this.db
      .updateTable("slack_apps")
      .set(outcome.error === null ? { last_success_at: outcome.at } : { last_error: outcome.error, last_error_at: outcome.at })
      .where("space_id", "=", spaceId)
      .execute();
  }

  async messagesOf(spaceId: string, petitionName: string): Promise<SlackMessageRef[]> {
    const rows = await this.db
      .selectFrom("slack_messages")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("petition_name", "=", petitionName)
      .orderBy("created_at")
      .execute();
    return rows.map(toRef);
  }

  async getMessage(spaceId: string, petitionName: string, destination: string): Promise<SlackMessageRef | undefined> {
    const row = await this.db
      .selectFrom("slack_messages")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("petition_name", "=", petitionName)
      .where("destination", "=", destination)
      .executeTakeFirst();
    return row && toRef(row);
  }

  async insertMessage(ref: SlackMessageRef, at: number): Promise<void> {
    await this.db
      .insertInto("slack_messages")
      .values({
        space_id: ref.spaceId,
        petition_name: ref.petitionName,
        destination: ref.destination,
        channel: ref.channel,
        ts: ref.ts,
        rendered_version: ref.renderedVersion,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.columns(["space_id", "petition_name", "destination"]).doNothing())
      .execute();
  }

  /** Records that a message now shows `version` (never going back to an older one). */
  async markRendered(ref: Pick<SlackMessageRef, "spaceId" | "petitionName" | "destination">, version: number, at: number): Promise<void> {
    await this.db
      .updateTable("slack_messages")
      .set({ rendered_version: version, updated_at: at })
      .where("space_id", "=", ref.spaceId)
      .where("petition_name", "=", ref.petitionName)
      .where("destination", "=", ref.destination)
      .where("rendered_version", "<", version)
      .execute();
  }

  /** Records an interaction's digest; false when it was recorded before (a repeat). */
  async takeInteraction(spaceId: string, digest: string, at: number): Promise<boolean> {
    const result = await this.db
      .insertInto("slack_interactions")
      .values({ space_id: spaceId, digest, received_at: at })
      .onConflict((oc) => oc.columns(["space_id", "digest"]).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /** Forgets interactions older than `before`: Slack refuses to send one older than five minutes anyway. */
  async pruneInteractions(before: number): Promise<number> {
    const result = await this.db.deleteFrom("slack_interactions").where("received_at", "<", before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  private toRow(app: SlackApp): Database["slack_apps"] {
    const hints = slackSecretHints(app);
    return {
      space_id: app.spaceId,
      bot_token_sealed: this.box.seal(app.botToken, context(app.spaceId, "bot-token")),
      signing_secret_sealed: this.box.seal(app.signingSecret, context(app.spaceId, "signing-secret")),
      bot_token_hint: hints.botTokenHint,
      signing_secret_hint: hints.signingSecretHint,
      api_url: app.apiUrl,
      team_id: app.teamId,
      default_channels: toJson(app.defaultChannels),
      expiry_reminder_ms: app.expiryReminderMs,
      created_at: app.createdAt,
      updated_at: app.updatedAt,
      last_success_at: app.lastSuccessAt,
      last_error: app.lastError,
      last_error_at: app.lastErrorAt,
    };
  }

  private toApp(row: Database["slack_apps"]): SlackApp {
    return {
      spaceId: row.space_id,
      botToken: this.box.open(row.bot_token_sealed, context(row.space_id, "bot-token")),
      signingSecret: this.box.open(row.signing_secret_sealed, context(row.space_id, "signing-secret")),
      apiUrl: row.api_url,
      teamId: row.team_id,
      defaultChannels: fromJson<string[]>(row.default_channels),
      expiryReminderMs: toMillis(row.expiry_reminder_ms),
      createdAt: toMillis(row.created_at),
      updatedAt: toMillis(row.updated_at),
      lastSuccessAt: toMillisOrNull(row.last_success_at),
      lastError: row.last_error,
      lastErrorAt: toMillisOrNull(row.last_error_at),
    };
  }
}

function toRef(row: Database["slack_messages"]): SlackMessageRef {
  return {
    spaceId: row.space_id,
    petitionName: row.petition_name,
    destination: row.destination,
    channel: row.channel,
    ts: row.ts,
    renderedVersion: Number(row.rendered_version),
  };
}

function context(spaceId: string, what: string): string {
  return `slack:${spaceId}/${what}`;
}

/** Where Slack apps keep sealed secrets, for sealing them again under a new secret key. */
export const SLACK_SECRETS: SealedColumns = {
  table: "slack_apps",
  key: ["space_id"],
  columns: {
    bot_token_sealed: (row) => context(String(row["space_id"]), "bot-token"),
    signing_secret_sealed: (row) => context(String(row["space_id"]), "signing-secret"),
  },
};
