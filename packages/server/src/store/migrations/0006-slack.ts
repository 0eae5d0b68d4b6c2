import { sql, type Kysely, type Migration } from "kysely";
import type { SqlDialect } from "../dialect.js";

/**
 * Review in Slack: each space's Slack app (its bot token and signing secret sealed at rest),
 * the messages posted about each petition (so they are updated when it is decided), and Slack
 * as a kind of outbox receiver: every Slack API call leaves through the outbox.
 */
export function slackMigration(dialect: SqlDialect): Migration {
  const json = sql.raw(dialect.jsonType);
  const millis = sql.raw(dialect.millisType);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("slack_apps")
        .addColumn("space_id", "text", (c) => c.primaryKey().references("spaces.id"))
        .addColumn("bot_token_sealed", "text", (c) => c.notNull())
        .addColumn("signing_secret_sealed", "text", (c) => c.notNull())
        .addColumn("bot_token_hint", "text", (c) => c.notNull())
        .addColumn("signing_secret_hint", "text", (c) => c.notNull())
        .addColumn("api_url", "text", (c) => c.notNull())
        .addColumn("team_id", "text")
        .addColumn("default_channels", json, (c) => c.notNull())
        .addColumn("expiry_reminder_ms", millis, (c) => c.notNull())
        .addColumn("created_at", millis, (c) => c.notNull())
        .addColumn("updated_at", millis, (c) => c.notNull())
        .addColumn("last_success_at", millis)
        .addColumn("last_error", "text")
        .addColumn("last_error_at", millis)
        .execute();

      await db.schema
        .createTable("slack_messages")
        .addColumn("space_id", "text", (c) => c.notNull())
        .addColumn("petition_name", "text", (c) => c.notNull())
        .addColumn("destination", "text", (c) => c.notNull())
        .addColumn("channel", "text", (c) => c.notNull())
        .addColumn("ts", "text", (c) => c.notNull())
        .addColumn("rendered_version", "integer", (c) => c.notNull())
        .addColumn("created_at", millis, (c) => c.notNull())
        .addColumn("updated_at", millis, (c) => c.notNull())
        .addPrimaryKeyConstraint("slack_messages_pk", ["space_id", "petition_name", "destination"])
        .execute();

      // Interactions already taken, by a digest of their body: Slack may send one again.
      await db.schema
        .createTable("slack_interactions")
        .addColumn("space_id", "text", (c) => c.notNull())
        .addColumn("digest", "text", (c) => c.notNull())
        .addColumn("received_at", millis, (c) => c.notNull())
        .addPrimaryKeyConstraint("slack_interactions_pk", ["space_id", "digest"])
        .execute();
      await db.schema.createIndex("slack_interactions_received").on("slack_interactions").columns(["received_at"]).execute();

      await allowSlackInOutbox(db, dialect);
    },
  };
}

const OLD_CHECK = "target_kind in ('webhook', 'subscription')";
const NEW_CHECK = "target_kind in ('webhook', 'subscription', 'slack')";

/**
 * Widens the outbox's receiver kinds. PostgreSQL swaps the constraint; SQLite cannot alter
 * one, so the table is rebuilt from its own definition with only the constraint changed
 * (SQLite's documented procedure), its rows and indexes carried over.
 */
async function allowSlackInOutbox(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  if (dialect.name === "postgres") {
    await sql`ALTER TABLE outbox DROP CONSTRAINT outbox_target_check`.execute(db);
    await sql.raw(`ALTER TABLE outbox ADD CONSTRAINT outbox_target_check CHECK (${NEW_CHECK})`).execute(db);
    return;
  }
  const { rows } = await sql<{ type: string; name: string; sql: string | null }>`
    SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'outbox'`.execute(db);
  const table = rows.find((row) => row.type === "table")?.sql;
  if (!table || !table.includes(OLD_CHECK)) throw new Error("the outbox table is not as its migrations left it");
  const indexes = rows.filter((row) => row.type === "index" && row.sql !== null).map((row) => row.sql!);
  await sql.raw(table.replace(OLD_CHECK, NEW_CHECK).replace(/^CREATE TABLE "?outbox"?/, 'CREATE TABLE "outbox_rebuilt"')).execute(db);
  await sql`INSERT INTO outbox_rebuilt SELECT * FROM outbox`.execute(db);
  await sql`DROP TABLE outbox`.execute(db);
  await sql`ALTER TABLE outbox_rebuilt RENAME TO outbox`.execute(db);
  for (const index of indexes) await sql.raw(index).execute(db);
}
