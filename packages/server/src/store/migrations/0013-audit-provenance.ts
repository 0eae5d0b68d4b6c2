import { sql, type Kysely, type Migration } from "kysely";
import type { SqlDialect } from "../dialect.js";

/**
 * The audit log records who appended each event (the server, or an application through an
 * input) and when the server received it, in columns beside the body for search and
 * retention. Events already written get them from their bodies: the input's label, which only
 * the server could set, and their own time. Checkpoints are now chained to one another; the
 * unchained ones signed before are removed, and the chain's first chained checkpoint is signed
 * when the server starts.
 */
export function auditProvenanceMigration(dialect: SqlDialect): Migration {
  const millis = sql.raw(dialect.millisType);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable("audit_events")
        .addColumn("writer", "text", (c) => c.notNull().defaultTo("server"))
        .execute();
      await db.schema
        .alterTable("audit_events")
        .addColumn("received_at", millis, (c) => c.notNull().defaultTo(0))
        .execute();
      const hasInputLabel =
        dialect.name === "postgres"
          ? sql`(body::jsonb -> 'meta' -> 'labels') ? 'greenlight.dev/input'`
          : sql`json_type(body, '$.meta.labels."greenlight.dev/input"') IS NOT NULL`;
      await sql`UPDATE audit_events SET received_at = created_at, writer = CASE WHEN ${hasInputLabel} THEN 'input' ELSE 'server' END`.execute(
        db,
      );
      await db.schema.createIndex("audit_events_received").on("audit_events").columns(["space_id", "received_at"]).execute();
      await sql`DELETE FROM audit_checkpoints`.execute(db);
      await sql`UPDATE audit_chains SET checkpoint_seq = 0`.execute(db);
    },
  };
}
