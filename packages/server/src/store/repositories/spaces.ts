import { literalLimit } from "../limit.js";
import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import { toMillis } from "../codec.js";

/** What other repositories need to know of a space: its key and the name the wire shows. */
export interface SpaceRef {
  id: string;
  name: string;
}

export interface SpaceRow {
  id: string;
  name: string;
  displayName: string;
  createdAt: number;
  updatedAt: number;
}

export class SpaceRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async findByName(name: string): Promise<SpaceRow | undefined> {
    const row = await this.db.selectFrom("spaces").selectAll().where("name", "=", name).executeTakeFirst();
    return row && toSpace(row);
  }

  async findById(id: string): Promise<SpaceRow | undefined> {
    const row = await this.db.selectFrom("spaces").selectAll().where("id", "=", id).executeTakeFirst();
    return row && toSpace(row);
  }

  async list(query: { ids?: string[]; after?: string; limit: number }): Promise<SpaceRow[]> {
    let q = this.db.selectFrom("spaces").selectAll();
    if (query.ids !== undefined) {
      if (query.ids.length === 0) return [];
      q = q.where("id", "in", query.ids);
    }
    if (query.after !== undefined) q = q.where("name", ">", query.after);
    const rows = await q.orderBy("name").limit(literalLimit(query.limit)).execute();
    return rows.map(toSpace);
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom("spaces")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async updateDisplayName(id: string, displayName: string, now: number): Promise<void> {
    await this.db.updateTable("spaces").set({ display_name: displayName, updated_at: now }).where("id", "=", id).execute();
  }

  /** Whether anything lives in the space besides its own settings. */
  async hasContents(id: string): Promise<boolean> {
    for (const table of SPACE_CONTENTS) {
      const row = await this.db.selectFrom(table).select("space_id").where("space_id", "=", id).limit(literalLimit(1)).executeTakeFirst();
      if (row) return true;
    }
    return false;
  }

  /** Deletes the space and everything in it. */
  async deleteWithContents(id: string): Promise<void> {
    for (const table of DELETION_ORDER) await this.db.deleteFrom(table).where("space_id", "=", id).execute();
    await this.db.deleteFrom("spaces").where("id", "=", id).execute();
  }

  async insert(space: SpaceRow): Promise<void> {
    await this.db
      .insertInto("spaces")
      .values({
        id: space.id,
        name: space.name,
        display_name: space.displayName,
        created_at: space.createdAt,
        updated_at: space.updatedAt,
      })
      .execute();
  }
}

/** Tables whose rows make a space "not empty". */
const SPACE_CONTENTS = [
  "petitions",
  "resources",
  "service_accounts",
  "space_groups",
  "role_bindings",
  "policies",
  "oncall_providers",
  "webhooks",
  "webhook_policies",
  "subscriptions",
  "pull_policies",
  "slack_apps",
] as const;

/** Every table with a space_id but the audit log's, children before the parents their foreign keys point at. */
const DELETION_ORDER = [
  "petition_events",
  "petition_petitioners",
  "grants",
  "petitions",
  "resources",
  "idempotency_keys",
  "role_bindings",
  "group_members",
  "space_groups",
  "tokens",
  "service_accounts",
  "policies",
  "oncall_providers",
  "webhook_policies",
  "webhooks",
  "delivery_attempts",
  "outbox",
  "subscriptions",
  "pull_policies",
  "slack_messages",
  "slack_interactions",
  "slack_apps",
  // Inputs hold write tokens; the events already written stay (the audit log outlives the space).
  "audit_inputs",
] as const;

function toSpace(row: Database["spaces"]): SpaceRow {
  return {
    id: row.id,
    name: row.name,
    displayName: row.display_name,
    createdAt: toMillis(row.created_at),
    updatedAt: toMillis(row.updated_at),
  };
}
