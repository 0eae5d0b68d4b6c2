import { sql, type Kysely, type Migration } from "kysely";
import type { SqlDialect } from "../dialect.js";

/**
 * Fresh, strong sign-ins for high-risk approvals: when and how a session's person last
 * authenticated strongly (`auth_time`, `auth_method`), whether a login under way asked the
 * identity provider to sign them in again (`max_age_ms`), people's passkeys (WebAuthn
 * credentials: public keys only), and the one-time challenges of passkey ceremonies under way.
 */
export function stepUpMigration(dialect: SqlDialect): Migration {
  const millis = sql.raw(dialect.millisType);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("web_sessions").addColumn("auth_time", millis).execute();
      await db.schema.alterTable("web_sessions").addColumn("auth_method", "text").execute();
      await db.schema.alterTable("web_logins").addColumn("max_age_ms", millis).execute();

      await db.schema
        .createTable("passkeys")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("email", "text", (c) => c.notNull())
        .addColumn("public_key", "text", (c) => c.notNull())
        .addColumn("counter", millis, (c) => c.notNull())
        .addColumn("transports", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("created_at", millis, (c) => c.notNull())
        .addColumn("last_used_at", millis)
        .execute();
      await db.schema.createIndex("passkeys_email").on("passkeys").columns(["email"]).execute();

      await db.schema
        .createTable("passkey_challenges")
        .addColumn("challenge", "text", (c) => c.primaryKey())
        .addColumn("session_id", "text", (c) => c.notNull())
        .addColumn("purpose", "text", (c) => c.notNull())
        .addColumn("created_at", millis, (c) => c.notNull())
        .execute();
    },
  };
}
