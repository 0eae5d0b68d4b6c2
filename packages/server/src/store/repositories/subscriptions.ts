import type { Kysely } from "kysely";
import type { Subscription } from "../../domain/subscription.js";
import { fromJson, toJson, toMillis, toMillisOrNull } from "../codec.js";
import { literalLimit } from "../limit.js";
import type { Database } from "../schema.js";
import type { SealedColumns, SecretBox } from "../secret-box.js";

/** Event subscriptions of each space; signing secrets are sealed at rest. */
export class SubscriptionRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
  ) {}

  async get(spaceId: string, name: string): Promise<Subscription | undefined> {
    const row = await this.db
      .selectFrom("subscriptions")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("name", "=", name)
      .executeTakeFirst();
    return row && this.toSubscription(row);
  }

  async list(spaceId: string, query: { after?: string; limit: number }): Promise<Subscription[]> {
    let q = this.db.selectFrom("subscriptions").selectAll().where("space_id", "=", spaceId);
    if (query.after !== undefined) q = q.where("name", ">", query.after);
    const rows = await q.orderBy("name").limit(literalLimit(query.limit)).execute();
    return rows.map((row) => this.toSubscription(row));
  }

  /** What events are routed by: names, event types and state, without opening secrets. */
  async listTargets(spaceId: string): Promise<Array<Pick<Subscription, "name" | "eventTypes" | "disabledAt">>> {
    const rows = await this.db
      .selectFrom("subscriptions")
      .select(["name", "event_types", "disabled_at"])
      .where("space_id", "=", spaceId)
      .execute();
    return rows.map((row) => ({
      name: row.name,
      eventTypes: fromJson<string[]>(row.event_types),
      disabledAt: toMillisOrNull(row.disabled_at),
    }));
  }

  async insert(subscription: Subscription): Promise<void> {
    await this.db.insertInto("subscriptions").values(this.toRow(subscription)).execute();
  }

  async update(subscription: Subscription): Promise<void> {
    const { space_id, name, created_at, ...changes } = this.toRow(subscription);
    await this.db.updateTable("subscriptions").set(changes).where("space_id", "=", space_id).where("name", "=", name).execute();
  }

  async delete(spaceId: string, name: string): Promise<boolean> {
    const result = await this.db.deleteFrom("subscriptions").where("space_id", "=", spaceId).where("name", "=", name).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async disable(spaceId: string, name: string, reason: string, at: number): Promise<void> {
    await this.db
      .updateTable("subscriptions")
      .set({ disabled_at: at, disabled_reason: reason })
      .where("space_id", "=", spaceId)
      .where("name", "=", name)
      .execute();
  }

  async recordOutcome(spaceId: string, name: string, outcome: { at: number; error: string | null }): Promise<void> {
    await this.db
      .updateTable("subscriptions")
      .set(outcome.error === null ? { last_success_at: outcome.at } : { last_error: outcome.error, last_error_at: outcome.at })
      .where("space_id", "=", spaceId)
      .where("name", "=", name)
      .execute();
  }

  private toRow(s: Subscription): Database["subscriptions"] {
    return {
      space_id: s.spaceId,
      name: s.name,
      description: s.description,
      url: s.url,
      secret_sealed: this.box.seal(s.secret, context(s.spaceId, s.name)),
      event_types: toJson(s.eventTypes),
      disabled_at: s.disabledAt,
      disabled_reason: s.disabledReason,
      created_at: s.createdAt,
      updated_at: s.updatedAt,
      last_success_at: s.lastSuccessAt,
      last_error: s.lastError,
      last_error_at: s.lastErrorAt,
    };
  }

  private toSubscription(row: Database["subscriptions"]): Subscription {
    return {
      spaceId: row.space_id,
      name: row.name,
      description: row.description,
      url: row.url,
      secret: this.box.open(row.secret_sealed, context(row.space_id, row.name)),
      eventTypes: fromJson<string[]>(row.event_types),
      disabledAt: toMillisOrNull(row.disabled_at),
      disabledReason: row.disabled_reason,
      createdAt: toMillis(row.created_at),
      updatedAt: toMillis(row.updated_at),
      lastSuccessAt: toMillisOrNull(row.last_success_at),
      lastError: row.last_error,
      lastErrorAt: toMillisOrNull(row.last_error_at),
    };
  }
}

function context(spaceId: string, name: string): string {
  return `subscription:${spaceId}/${name}`;
}

/** Where subscriptions keep sealed secrets, for sealing them again under a new secret key. */
export const SUBSCRIPTION_SECRETS: SealedColumns = {
  table: "subscriptions",
  key: ["space_id", "name"],
  columns: { secret_sealed: (row) => context(String(row["space_id"]), String(row["name"])) },
};
