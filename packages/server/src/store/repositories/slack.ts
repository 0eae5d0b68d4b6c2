import type { Kysely } from "kysely";
import type { SlackMessageRef } from "../../domain/slack.js";
import type { Database } from "../schema.js";

/** The messages each space's Slack app posted about petitions, and the interactions it took. */
export class SlackRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async messagesOf(spaceId: string, petitionName: string): Promise<SlackMessageRef[]> {
    const rows = await this.db
      .selectFrom("slack_messages")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("petition_name", "=", petitionName)
      .orderBy("created_at")
      .execute();
    return rows.map(toRef);
  }

  async getMessage(spaceId: string, petitionName: string, destination: string): Promise<SlackMessageRef | undefined> {
    const row = await this.db
      .selectFrom("slack_messages")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("petition_name", "=", petitionName)
      .where("destination", "=", destination)
      .executeTakeFirst();
    return row && toRef(row);
  }

  async insertMessage(ref: SlackMessageRef, at: number): Promise<void> {
    await this.db
      .insertInto("slack_messages")
      .values({
        space_id: ref.spaceId,
        petition_name: ref.petitionName,
        destination: ref.destination,
        channel: ref.channel,
        ts: ref.ts,
        rendered_version: ref.renderedVersion,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.columns(["space_id", "petition_name", "destination"]).doNothing())
      .execute();
  }

  /** Records that a message now shows `version` (never going back to an older one). */
  async markRendered(ref: Pick<SlackMessageRef, "spaceId" | "petitionName" | "destination">, version: number, at: number): Promise<void> {
    await this.db
      .updateTable("slack_messages")
      .set({ rendered_version: version, updated_at: at })
      .where("space_id", "=", ref.spaceId)
      .where("petition_name", "=", ref.petitionName)
      .where("destination", "=", ref.destination)
      .where("rendered_version", "<", version)
      .execute();
  }

  /** Records an interaction's digest; false when it was recorded before (a repeat). */
  async takeInteraction(spaceId: string, digest: string, at: number): Promise<boolean> {
    const result = await this.db
      .insertInto("slack_interactions")
      .values({ space_id: spaceId, digest, received_at: at })
      .onConflict((oc) => oc.columns(["space_id", "digest"]).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /** Forgets interactions older than `before`: Slack refuses to send one older than five minutes anyway. */
  async pruneInteractions(before: number): Promise<number> {
    const result = await this.db.deleteFrom("slack_interactions").where("received_at", "<", before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function toRef(row: Database["slack_messages"]): SlackMessageRef {
  return {
    spaceId: row.space_id,
    petitionName: row.petition_name,
    destination: row.destination,
    channel: row.channel,
    ts: row.ts,
    renderedVersion: Number(row.rendered_version),
  };
}
