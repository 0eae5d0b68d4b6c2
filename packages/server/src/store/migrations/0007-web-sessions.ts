import { sql, type Kysely, type Migration } from "kysely";
import type { SqlDialect } from "../dialect.js";

/**
 * Signing in in the browser: sessions (kept by the digest of the secret in the browser's
 * cookie), identity-provider logins under way (state, nonce and PKCE verifier, for ten
 * minutes), and one-time sign-in links (by digest).
 */
export function webSessionsMigration(dialect: SqlDialect): Migration {
  const millis = sql.raw(dialect.millisType);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("web_sessions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("email", "text", (c) => c.notNull())
        .addColumn("via", "text", (c) => c.notNull())
        .addColumn("created_at", millis, (c) => c.notNull())
        .addColumn("expires_at", millis, (c) => c.notNull())
        .addColumn("revoked_at", millis)
        .execute();
      await db.schema.createIndex("web_sessions_expiry").on("web_sessions").columns(["expires_at"]).execute();

      await db.schema
        .createTable("web_logins")
        .addColumn("state", "text", (c) => c.primaryKey())
        .addColumn("nonce", "text", (c) => c.notNull())
        .addColumn("code_verifier", "text", (c) => c.notNull())
        .addColumn("return_to", "text", (c) => c.notNull())
        .addColumn("created_at", millis, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("sign_in_links")
        .addColumn("digest", "text", (c) => c.primaryKey())
        .addColumn("email", "text", (c) => c.notNull())
        .addColumn("created_at", millis, (c) => c.notNull())
        .addColumn("expires_at", millis, (c) => c.notNull())
        .addColumn("used_at", millis)
        .execute();
    },
  };
}
