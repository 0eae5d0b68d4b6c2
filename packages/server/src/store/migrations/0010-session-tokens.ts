import type { Kysely, Migration } from "kysely";

/**
 * The browser session an access token was minted for (`POST /v1/auth/session:token`), so that
 * signing out ends the tokens the session handed to the page, in every space, at once.
 */
export const sessionTokensMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("tokens").addColumn("session_id", "text").execute();
    await db.schema.createIndex("tokens_session").on("tokens").columns(["session_id"]).execute();
  },
};
