import { sql, type Kysely, type Migration } from "kysely";
import type { SqlDialect } from "../dialect.js";

/**
 * Policies and the sources of automatic decisions: the versioned access policy of each space,
 * the plan each petition was made under (its steps, limits and timers), on-call providers,
 * and decision webhooks with the webhook policies that select them.
 */
export function policiesMigration(dialect: SqlDialect): Migration {
  const json = sql.raw(dialect.jsonType);
  const millis = sql.raw(dialect.millisType);
  return {
    async up(db: Kysely<unknown>) {
      // Every save is a new version, kept; a null document is a removal (back to the default).
      await db.schema
        .createTable("policies")
        .addColumn("space_id", "text", (c) => c.notNull().references("spaces.id"))
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("document", json)
        .addColumn("created_at", millis, (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("policies_pk", ["space_id", "version"])
        .execute();

      await db.schema.alterTable("petitions").addColumn("review_plan", json).execute();
      await db.schema
        .alterTable("petitions")
        .addColumn("approvals", json, (c) => c.notNull().defaultTo("[]"))
        .execute();
      await db.schema.alterTable("petitions").addColumn("timeout_at", millis).execute();
      await db.schema.alterTable("petitions").addColumn("next_escalation_at", millis).execute();
      await db.schema
        .alterTable("petitions")
        .addColumn("escalations_done", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      // The timer job's queue: open petitions by when they next time out or escalate
      // (`timer_at`, the sooner of the two). One index, not one per timer: each is written by
      // every new petition and every decision.
      await db.schema.alterTable("petitions").addColumn("timer_at", millis).execute();
      await db.schema
        .createIndex("petitions_open_timer")
        .on("petitions")
        .columns(["timer_at"])
        .where(sql<boolean>`phase = 'open' AND timer_at IS NOT NULL`)
        .execute();

      // People are found in the catalog by id (a manager named by id) and by email (a petitioner).
      await db.schema.createIndex("resources_resource_id").on("resources").columns(["space_id", "resource_id"]).execute();
      await db.schema
        .createIndex("resources_person_email")
        .on("resources")
        .expression(sql`space_id, lower(email)`)
        .execute();

      await db.schema
        .createTable("oncall_providers")
        .addColumn("space_id", "text", (c) => c.notNull().references("spaces.id"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("base_url", "text", (c) => c.notNull())
        .addColumn("api_key_sealed", "text", (c) => c.notNull())
        .addColumn("settings", json, (c) => c.notNull())
        .addColumn("created_at", millis, (c) => c.notNull())
        .addColumn("updated_at", millis, (c) => c.notNull())
        .addColumn("last_success_at", millis)
        .addColumn("last_error", "text")
        .addColumn("last_error_at", millis)
        .addPrimaryKeyConstraint("oncall_providers_pk", ["space_id", "name"])
        .addCheckConstraint("oncall_providers_kind_check", sql`kind in ('pagerduty', 'opsgenie', 'incidentio')`)
        .execute();

      await db.schema
        .createTable("webhooks")
        .addColumn("space_id", "text", (c) => c.notNull().references("spaces.id"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("display_name", "text", (c) => c.notNull())
        .addColumn("url", "text", (c) => c.notNull())
        .addColumn("method", "text", (c) => c.notNull())
        .addColumn("headers_sealed", "text", (c) => c.notNull())
        .addColumn("secret_sealed", "text", (c) => c.notNull())
        .addColumn("dry_run", "integer", (c) => c.notNull())
        .addColumn("labels", json, (c) => c.notNull())
        .addColumn("handlers", json, (c) => c.notNull())
        .addColumn("bot", json, (c) => c.notNull())
        .addColumn("created_at", millis, (c) => c.notNull())
        .addColumn("updated_at", millis, (c) => c.notNull())
        .addColumn("last_success_at", millis)
        .addColumn("last_error", "text")
        .addColumn("last_error_at", millis)
        .addPrimaryKeyConstraint("webhooks_pk", ["space_id", "name"])
        .execute();

      await db.schema
        .createTable("webhook_policies")
        .addColumn("space_id", "text", (c) => c.notNull().references("spaces.id"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("display_name", "text", (c) => c.notNull())
        .addColumn("labels", json, (c) => c.notNull())
        .addColumn("selector", json, (c) => c.notNull())
        .addColumn("conditions", json, (c) => c.notNull())
        .addColumn("webhooks", json, (c) => c.notNull())
        .addColumn("created_at", millis, (c) => c.notNull())
        .addColumn("updated_at", millis, (c) => c.notNull())
        .addPrimaryKeyConstraint("webhook_policies_pk", ["space_id", "name"])
        .execute();
    },
  };
}
