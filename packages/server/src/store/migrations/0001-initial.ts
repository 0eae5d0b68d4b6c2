import { sql, type Kysely, type Migration } from "kysely";
import type { SqlDialect } from "../dialect.js";

/**
 * The first schema. Every table that holds tenant data leads with `space_id`, and every index
 * does too, so each query is scoped to its space and served by an index.
 */
export function initialMigration(dialect: SqlDialect): Migration {
  const json = sql.raw(dialect.jsonType);
  const millis = sql.raw(dialect.millisType);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("settings")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("value", "text", (c) => c.notNull())
        .addColumn("updated_at", millis, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("spaces")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull().unique())
        .addColumn("display_name", "text", (c) => c.notNull())
        .addColumn("created_at", millis, (c) => c.notNull())
        .addColumn("updated_at", millis, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("petitions")
        .addColumn("space_id", "text", (c) => c.notNull().references("spaces.id"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("phase", "text", (c) => c.notNull())
        .addColumn("outcome", "text")
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("petitioners", json, (c) => c.notNull())
        .addColumn("resources", json, (c) => c.notNull())
        .addColumn("labels", json, (c) => c.notNull())
        .addColumn("default_duration_ms", millis)
        .addColumn("dedupe_key", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("last_event_seq", "integer", (c) => c.notNull())
        .addColumn("created_at", millis, (c) => c.notNull())
        .addColumn("updated_at", millis, (c) => c.notNull())
        .addColumn("start_at", millis)
        .addColumn("expire_at", millis)
        .addColumn("end_at", millis)
        .addColumn("deleted_at", millis)
        .addPrimaryKeyConstraint("petitions_pk", ["space_id", "name"])
        .addCheckConstraint("petitions_phase_check", sql`phase in ('open', 'granted', 'revoked', 'closed')`)
        .execute();
      // At most one open or granted petition per identical request: the store refuses a
      // duplicate even if a code path forgets to look first.
      await db.schema
        .createIndex("petitions_active_dedupe")
        .on("petitions")
        .columns(["space_id", "dedupe_key"])
        .unique()
        .where(sql.ref("phase"), "in", ["open", "granted"])
        .execute();

      await db.schema
        .createTable("petition_events")
        .addColumn("space_id", "text", (c) => c.notNull())
        .addColumn("petition_name", "text", (c) => c.notNull())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull().unique())
        .addColumn("event", "text", (c) => c.notNull())
        .addColumn("actor", json, (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("resources", json, (c) => c.notNull())
        .addColumn("labels", json, (c) => c.notNull())
        .addColumn("created_at", millis, (c) => c.notNull())
        .addPrimaryKeyConstraint("petition_events_pk", ["space_id", "petition_name", "seq"])
        .addForeignKeyConstraint("petition_events_petition_fk", ["space_id", "petition_name"], "petitions", ["space_id", "name"])
        .execute();

      await db.schema
        .createTable("grants")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("space_id", "text", (c) => c.notNull())
        .addColumn("petition_name", "text", (c) => c.notNull())
        .addColumn("petitioner", json, (c) => c.notNull())
        .addColumn("petitioner_key", "text", (c) => c.notNull())
        .addColumn("resource", json, (c) => c.notNull())
        .addColumn("resource_key", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("start_at", millis, (c) => c.notNull())
        .addColumn("expire_at", millis)
        .addColumn("end_at", millis)
        .addForeignKeyConstraint("grants_petition_fk", ["space_id", "petition_name"], "petitions", ["space_id", "name"])
        .addCheckConstraint("grants_status_check", sql`status in ('active', 'expired', 'revoked')`)
        .execute();
      // One grant per (petitioner, resource) of a petition.
      await db.schema
        .createIndex("grants_petition_pair")
        .on("grants")
        .columns(["space_id", "petition_name", "petitioner_key", "resource_key"])
        .unique()
        .execute();
      // The expiry job's queue: active grants by when they end.
      await db.schema
        .createIndex("grants_active_expiry")
        .on("grants")
        .columns(["expire_at"])
        .where(sql.ref("status"), "=", "active")
        .execute();
      await db.schema.createIndex("grants_space_id").on("grants").columns(["space_id", "id"]).execute();

      await db.schema
        .createTable("resources")
        .addColumn("space_id", "text", (c) => c.notNull().references("spaces.id"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("identity_key", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("resource_id", "text", (c) => c.notNull())
        .addColumn("display_name", "text")
        .addColumn("email", "text")
        .addColumn("alt_ids", json, (c) => c.notNull())
        .addColumn("labels", json, (c) => c.notNull())
        .addColumn("created_at", millis, (c) => c.notNull())
        .addColumn("updated_at", millis, (c) => c.notNull())
        .addPrimaryKeyConstraint("resources_pk", ["space_id", "name"])
        .execute();
      await db.schema.createIndex("resources_identity").on("resources").columns(["space_id", "identity_key"]).unique().execute();

      await db.schema
        .createTable("idempotency_keys")
        .addColumn("space_id", "text", (c) => c.notNull())
        .addColumn("principal", "text", (c) => c.notNull())
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("fingerprint", "text", (c) => c.notNull())
        .addColumn("status_code", "integer", (c) => c.notNull())
        .addColumn("response", "text", (c) => c.notNull())
        .addColumn("created_at", millis, (c) => c.notNull())
        .addPrimaryKeyConstraint("idempotency_keys_pk", ["space_id", "principal", "key"])
        .execute();
      await db.schema.createIndex("idempotency_keys_created").on("idempotency_keys").columns(["created_at"]).execute();
    },
  };
}
