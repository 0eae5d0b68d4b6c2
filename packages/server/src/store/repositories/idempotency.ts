import type { Kysely } from "kysely";
import type { Database } from "../schema.js";

export interface StoredResponse {
  fingerprint: string;
  statusCode: number;
  response: string;
}

/** Responses remembered under an Idempotency-Key, scoped to (space, principal). */
export class IdempotencyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async find(spaceId: string, principal: string, key: string): Promise<StoredResponse | undefined> {
    const row = await this.db
      .selectFrom("idempotency_keys")
      .select(["fingerprint", "status_code", "response"])
      .where("space_id", "=", spaceId)
      .where("principal", "=", principal)
      .where("key", "=", key)
      .executeTakeFirst();
    return row && { fingerprint: row.fingerprint, statusCode: row.status_code, response: row.response };
  }

  async insert(spaceId: string, principal: string, key: string, stored: StoredResponse, now: number): Promise<void> {
    await this.db
      .insertInto("idempotency_keys")
      .values({
        space_id: spaceId,
        principal,
        key,
        fingerprint: stored.fingerprint,
        status_code: stored.statusCode,
        response: stored.response,
        created_at: now,
      })
      .execute();
  }

  /** Forgets keys recorded before `cutoff`; returns how many. */
  async deleteOlderThan(cutoff: number): Promise<number> {
    const result = await this.db.deleteFrom("idempotency_keys").where("created_at", "<", cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
