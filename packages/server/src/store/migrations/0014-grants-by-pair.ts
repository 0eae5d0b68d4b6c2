import { sql, type Kysely, type Migration } from "kysely";

/**
 * Active grants by (space, petitioner, resource): when a grant ends, whether another petition's
 * active grant still gives the same petitioner the same resource (then no revoke is sent).
 */
export const grantsByPairMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex("grants_active_pair")
      .on("grants")
      .columns(["space_id", "petitioner_key", "resource_key"])
      .where(sql.ref("status"), "=", "active")
      .execute();
  },
};
