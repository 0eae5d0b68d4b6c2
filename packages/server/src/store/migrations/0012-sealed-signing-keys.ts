import { sql, type Kysely, type Migration } from "kysely";
import type { SqlDialect } from "../dialect.js";

/**
 * The keys that sign access tokens and approval receipts, with their private halves sealed
 * (`SecretBox`, bound to the key's id) and the time each starts signing, so a successor can be
 * published before it signs. Keys in the clear in `signing_keys` are moved here, sealed, when
 * the server starts (`services/signing-keys.ts`); that table stays, empty, so a previous
 * version started on this database makes a key of its own rather than failing.
 */
export function sealedSigningKeysMigration(dialect: SqlDialect): Migration {
  const millis = sql.raw(dialect.millisType);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("token_signing_keys")
        .addColumn("kid", "text", (c) => c.primaryKey())
        .addColumn("alg", "text", (c) => c.notNull())
        .addColumn("public_jwk", "text", (c) => c.notNull())
        .addColumn("private_jwk_sealed", "text", (c) => c.notNull())
        .addColumn("created_at", millis, (c) => c.notNull())
        // When it starts signing; it verifies (is published) from when it is stored.
        .addColumn("activates_at", millis, (c) => c.notNull())
        // When it stops signing; it still verifies until what it signed has expired.
        .addColumn("retired_at", millis)
        .execute();
    },
  };
}
