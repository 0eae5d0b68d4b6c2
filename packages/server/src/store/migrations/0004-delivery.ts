import { sql, type Kysely, type Migration } from "kysely";
import type { SqlDialect } from "../dialect.js";

/**
 * Reliable delivery: the outbox (one row per event and receiver, written in the transaction
 * of the change it reports), the log of delivery attempts, Standard Webhooks subscriptions,
 * pull policies, and the provisioning state of grants (applied, or revoked, only once the
 * integrations said so).
 */
export function deliveryMigration(dialect: SqlDialect): Migration {
  const json = sql.raw(dialect.jsonType);
  const millis = sql.raw(dialect.millisType);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("outbox")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("space_id", "text", (c) => c.notNull())
        .addColumn("target_kind", "text", (c) => c.notNull())
        .addColumn("target_name", "text", (c) => c.notNull())
        .addColumn("event_type", "text", (c) => c.notNull())
        .addColumn("petition_name", "text")
        .addColumn("grant_id", "text")
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull())
        .addColumn("next_attempt_at", millis)
        .addColumn("lease_until", millis)
        .addColumn("last_attempt_at", millis)
        .addColumn("last_status", "integer")
        .addColumn("last_error", "text")
        .addColumn("created_at", millis, (c) => c.notNull())
        .addColumn("delivered_at", millis)
        .addCheckConstraint("outbox_status_check", sql`status in ('pending', 'delivered', 'failed', 'cancelled')`)
        .addCheckConstraint("outbox_target_check", sql`target_kind in ('webhook', 'subscription')`)
        .execute();
      // The delivery job's queue: pending deliveries by when they are due.
      await db.schema
        .createIndex("outbox_due")
        .on("outbox")
        .columns(["next_attempt_at"])
        .where(sql<boolean>`status = 'pending'`)
        .execute();
      // A receiver's delivery log, newest first.
      await db.schema.createIndex("outbox_target").on("outbox").columns(["space_id", "target_kind", "target_name", "id"]).execute();
      // Whether every integration has acknowledged a grant's start or end.
      await db.schema
        .createIndex("outbox_grant")
        .on("outbox")
        .columns(["grant_id", "event_type"])
        .where(sql<boolean>`grant_id IS NOT NULL`)
        .execute();

      await db.schema
        .createTable("delivery_attempts")
        .addColumn("outbox_id", "text", (c) => c.notNull())
        .addColumn("attempt", "integer", (c) => c.notNull())
        .addColumn("space_id", "text", (c) => c.notNull())
        .addColumn("started_at", millis, (c) => c.notNull())
        .addColumn("duration_ms", "integer", (c) => c.notNull())
        .addColumn("status", "integer")
        .addColumn("error", "text")
        .addColumn("response", "text")
        .addPrimaryKeyConstraint("delivery_attempts_pk", ["outbox_id", "attempt"])
        .execute();

      await db.schema
        .createTable("subscriptions")
        .addColumn("space_id", "text", (c) => c.notNull().references("spaces.id"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("url", "text", (c) => c.notNull())
        .addColumn("secret_sealed", "text", (c) => c.notNull())
        .addColumn("event_types", json, (c) => c.notNull())
        .addColumn("disabled_at", millis)
        .addColumn("disabled_reason", "text")
        .addColumn("created_at", millis, (c) => c.notNull())
        .addColumn("updated_at", millis, (c) => c.notNull())
        .addColumn("last_success_at", millis)
        .addColumn("last_error", "text")
        .addColumn("last_error_at", millis)
        .addPrimaryKeyConstraint("subscriptions_pk", ["space_id", "name"])
        .execute();

      await db.schema.alterTable("webhooks").addColumn("disabled_at", millis).execute();
      await db.schema.alterTable("webhooks").addColumn("disabled_reason", "text").execute();

      await db.schema
        .createTable("pull_policies")
        .addColumn("space_id", "text", (c) => c.notNull().references("spaces.id"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("display_name", "text", (c) => c.notNull())
        .addColumn("schedule", "text", (c) => c.notNull())
        .addColumn("kinds", json, (c) => c.notNull())
        .addColumn("flags", json, (c) => c.notNull())
        .addColumn("next_run_at", millis, (c) => c.notNull())
        .addColumn("last_run_at", millis)
        .addColumn("last_result", json)
        .addColumn("created_at", millis, (c) => c.notNull())
        .addColumn("updated_at", millis, (c) => c.notNull())
        .addPrimaryKeyConstraint("pull_policies_pk", ["space_id", "name"])
        .execute();
      await db.schema.createIndex("pull_policies_due").on("pull_policies").columns(["next_run_at"]).execute();

      // What the integrations have done with a grant: `none` (no integration handles it),
      // `applying`, `applied`, `apply_failed`, then once it ended `revoking`, `revoked`,
      // `revoke_failed`. The grant shows as revoked or expired only once `revoked`.
      await db.schema
        .alterTable("grants")
        .addColumn("provisioning", "text", (c) => c.notNull().defaultTo("none"))
        .execute();
    },
  };
}
