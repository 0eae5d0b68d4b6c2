import { literalLimit } from "../limit.js";
import type { Kysely } from "kysely";
import type { ServiceAccount } from "../../domain/identity.js";
import type { Resource } from "../../domain/resource.js";
import { fromJson, toJson, toMillis, toMillisOrNull } from "../codec.js";
import type { Database } from "../schema.js";

export class ServiceAccountRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The account, deleted or not; callers decide what a deleted one means to them. */
  async get(spaceId: string, id: string): Promise<ServiceAccount | undefined> {
    const row = await this.db
      .selectFrom("service_accounts")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("id", "=", id)
      .executeTakeFirst();
    return row && toServiceAccount(row);
  }

  async findLiveByName(spaceId: string, name: string): Promise<ServiceAccount | undefined> {
    const row = await this.db
      .selectFrom("service_accounts")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("name", "=", name)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    return row && toServiceAccount(row);
  }

  async list(spaceId: string, query: { after?: string; limit: number; includeDeleted: boolean }): Promise<ServiceAccount[]> {
    let q = this.db.selectFrom("service_accounts").selectAll().where("space_id", "=", spaceId);
    if (!query.includeDeleted) q = q.where("deleted_at", "is", null);
    if (query.after !== undefined) q = q.where("id", ">", query.after);
    const rows = await q.orderBy("id").limit(literalLimit(query.limit)).execute();
    return rows.map(toServiceAccount);
  }

  /** The names of the space's service accounts that are not deleted. */
  async liveNames(spaceId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom("service_accounts")
      .select("name")
      .where("space_id", "=", spaceId)
      .where("deleted_at", "is", null)
      .execute();
    return rows.map((row) => row.name);
  }

  async insert(account: ServiceAccount): Promise<void> {
    await this.db.insertInto("service_accounts").values(toRow(account)).execute();
  }

  async update(account: ServiceAccount): Promise<void> {
    const { id, space_id, created_at, created_by, ...changes } = toRow(account);
    await this.db.updateTable("service_accounts").set(changes).where("space_id", "=", space_id).where("id", "=", id).execute();
  }
}

function toRow(a: ServiceAccount): Database["service_accounts"] {
  return {
    id: a.id,
    space_id: a.spaceId,
    name: a.name,
    display_name: a.displayName,
    email: a.email,
    labels: toJson(a.labels),
    created_by: toJson(a.createdBy),
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    deleted_at: a.deletedAt,
  };
}

function toServiceAccount(row: Database["service_accounts"]): ServiceAccount {
  return {
    id: row.id,
    spaceId: row.space_id,
    name: row.name,
    displayName: row.display_name,
    email: row.email,
    labels: fromJson<Record<string, string>>(row.labels),
    createdBy: fromJson<Resource>(row.created_by),
    createdAt: toMillis(row.created_at),
    updatedAt: toMillis(row.updated_at),
    deletedAt: toMillisOrNull(row.deleted_at),
  };
}
