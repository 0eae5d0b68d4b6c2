import { sql, type Kysely, type Migration } from "kysely";

/**
 * Each receiver's queue of pending deliveries, by when they are due: when a delivery to a
 * receiver finishes, the next ones for that receiver are found without passing over the
 * backlog of others (a burst of revokes to one integration must not hold up the rest).
 */
export const receiverQueuesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex("outbox_receiver_due")
      .on("outbox")
      .columns(["space_id", "target_kind", "target_name", "next_attempt_at"])
      .where(sql<boolean>`status = 'pending'`)
      .execute();
  },
};
