import { sql, type Kysely, type Migration } from "kysely";
import type { SqlDialect } from "../dialect.js";

/**
 * The audit log: per space, a hash chain of events (its head and, after retention has pruned
 * the oldest, its base), an index of the resources each event names (for search; not part of
 * the chain), signed checkpoints of the chain's head, the key that signs them, and the inputs
 * applications write their own events through (by the digest of each input's token).
 */
export function auditMigration(dialect: SqlDialect): Migration {
  const millis = sql.raw(dialect.millisType);
  return {
    async up(db: Kysely<unknown>) {
      // Not tied to the spaces table: a space's history outlives the space.
      await db.schema
        .createTable("audit_chains")
        .addColumn("space_id", "text", (c) => c.primaryKey())
        .addColumn("space_name", "text", (c) => c.notNull())
        .addColumn("head_seq", millis, (c) => c.notNull())
        .addColumn("head_hash", "text", (c) => c.notNull())
        .addColumn("base_seq", millis, (c) => c.notNull())
        .addColumn("base_prev_hash", "text", (c) => c.notNull())
        .addColumn("retention_ms", millis)
        .addColumn("checkpoint_seq", millis, (c) => c.notNull())
        .addColumn("checkpoint_at", millis, (c) => c.notNull())
        .addColumn("updated_at", millis, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("audit_events")
        .addColumn("space_id", "text", (c) => c.notNull())
        .addColumn("seq", millis, (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("event", "text", (c) => c.notNull())
        .addColumn("actor_key", "text", (c) => c.notNull())
        .addColumn("request_id", "text", (c) => c.notNull())
        .addColumn("created_at", millis, (c) => c.notNull())
        .addColumn("prev_hash", "text", (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull())
        // The canonical JSON exactly as hashed: text, never a parsed JSON type.
        .addColumn("body", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("audit_events_pk", ["space_id", "seq"])
        .execute();
      await db.schema.createIndex("audit_events_time").on("audit_events").columns(["space_id", "created_at"]).execute();
      await db.schema.createIndex("audit_events_actor").on("audit_events").columns(["space_id", "actor_key", "seq"]).execute();
      await db.schema.createIndex("audit_events_event").on("audit_events").columns(["space_id", "event", "seq"]).execute();
      await db.schema.createIndex("audit_events_request").on("audit_events").columns(["space_id", "request_id"]).execute();

      await db.schema
        .createTable("audit_event_resources")
        .addColumn("space_id", "text", (c) => c.notNull())
        .addColumn("resource_key", "text", (c) => c.notNull())
        .addColumn("seq", millis, (c) => c.notNull())
        .addPrimaryKeyConstraint("audit_event_resources_pk", ["space_id", "resource_key", "seq"])
        .execute();

      await db.schema
        .createTable("audit_checkpoints")
        .addColumn("space_id", "text", (c) => c.notNull())
        .addColumn("seq", millis, (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull())
        .addColumn("signed_at", millis, (c) => c.notNull())
        .addColumn("kid", "text", (c) => c.notNull())
        .addColumn("jws", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("audit_checkpoints_pk", ["space_id", "seq"])
        .execute();

      await db.schema
        .createTable("audit_keys")
        .addColumn("kid", "text", (c) => c.primaryKey())
        .addColumn("public_jwk", "text", (c) => c.notNull())
        .addColumn("private_jwk_sealed", "text", (c) => c.notNull())
        .addColumn("created_at", millis, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("audit_inputs")
        .addColumn("space_id", "text", (c) => c.notNull())
        .addColumn("provider", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("display_name", "text", (c) => c.notNull())
        .addColumn("token_digest", "text", (c) => c.notNull().unique())
        .addColumn("token_hint", "text", (c) => c.notNull())
        .addColumn("created_at", millis, (c) => c.notNull())
        .addColumn("last_write_at", millis)
        .addPrimaryKeyConstraint("audit_inputs_pk", ["space_id", "provider", "name"])
        .execute();
    },
  };
}
