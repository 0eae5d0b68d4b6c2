import { literalLimit } from "../limit.js";
import { sql, type InsertResult, type Kysely } from "kysely";
import type { GrantProvisioning } from "../../domain/delivery.js";
import { grantPairKey, pairKey } from "../../domain/extension.js";
import type { Grant, GrantStatus } from "../../domain/petition.js";
import { resourceKey, type Resource } from "../../domain/resource.js";
import { fromJson, toJson, toMillis, toMillisOrNull } from "../codec.js";
import type { SqlDialect } from "../dialect.js";
import { prepare } from "../prepared.js";
import type { Database, GrantsTable } from "../schema.js";

export interface GrantListQuery {
  /** As shown: a grant that ended is `revoke_pending` or `revoke_failed` until its integrations acknowledged. */
  status?: GrantStatus | "revoke_pending" | "revoke_failed";
  /** Only grants whose provisioning is one of these. */
  provisioning?: GrantProvisioning[];
  /** Only grants held by the petitioner with this (lower-case) email. */
  petitionerEmail?: string;
  petitionName?: string;
  after?: string;
  limit: number;
}

/** A petition with a grant whose time is up. */
export interface DueExpiry {
  spaceId: string;
  petitionName: string;
}

const ACTIVE = sql<boolean>`status = 'active'`;

const GRANT_COLUMNS = [
  "id",
  "space_id",
  "petition_name",
  "petitioner",
  "petitioner_key",
  "resource",
  "resource_key",
  "status",
  "start_at",
  "expire_at",
  "end_at",
  "provisioning",
] as const satisfies ReadonlyArray<keyof GrantsTable>;

// Compiled once: every approval runs it (see `PreparedQuery`).
const insertGrantRows = prepare<GrantsTable, InsertResult>(GRANT_COLUMNS, (db, rows) => db.insertInto("grants").values(rows));

export class GrantRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  async insertMany(grants: Grant[]): Promise<void> {
    if (grants.length === 0) return;
    await insertGrantRows.execute(
      this.db,
      grants.map((g) => ({
        id: g.id,
        space_id: g.spaceId,
        petition_name: g.petitionName,
        petitioner: toJson(g.petitioner),
        petitioner_key: resourceKey(g.petitioner),
        resource: toJson(g.resource),
        resource_key: resourceKey(g.resource),
        status: g.status,
        start_at: g.startAt,
        expire_at: g.expireAt,
        end_at: g.endAt,
        provisioning: g.provisioning,
      })),
    );
  }

  async get(spaceId: string, id: string): Promise<Grant | undefined> {
    const row = await this.db.selectFrom("grants").selectAll().where("space_id", "=", spaceId).where("id", "=", id).executeTakeFirst();
    return row && toGrant(row);
  }

  async list(spaceId: string, query: GrantListQuery): Promise<Grant[]> {
    let q = this.db.selectFrom("grants").selectAll().where("space_id", "=", spaceId);
    if (query.status === "revoke_pending") q = q.where("provisioning", "=", "revoking");
    else if (query.status === "revoke_failed") q = q.where("provisioning", "=", "revoke_failed");
    else if (query.status) {
      q = q.where("status", "=", query.status);
      if (query.status !== "active") q = q.where("provisioning", "not in", ["revoking", "revoke_failed"]);
    }
    if (query.petitionName) q = q.where("petition_name", "=", query.petitionName);
    if (query.provisioning) q = q.where("provisioning", "in", query.provisioning);
    if (query.petitionerEmail !== undefined) {
      const email = query.petitionerEmail;
      // The index of petitioners narrows it to the holder's petitions; the grant's own
      // petitioner then picks the holder's grants out of petitions with several petitioners.
      q = q
        .where("petition_name", "in", (eb) =>
          eb.selectFrom("petition_petitioners").select("petition_name").where("space_id", "=", spaceId).where("email", "=", email),
        )
        .where(
          sql<boolean>`lower(coalesce(${this.dialect.jsonText("petitioner", "email")}, ${this.dialect.jsonText("petitioner", "id")})) = ${email}`,
        );
    }
    if (query.after) q = q.where("id", ">", query.after);
    const rows = await q.orderBy("id").limit(literalLimit(query.limit)).execute();
    return rows.map(toGrant);
  }

  /**
   * Ends every active grant of a petition and returns them as they were. The `status =
   * 'active'` guard makes ending a grant happen once, however many jobs or requests race.
   */
  async endActive(spaceId: string, petitionName: string, status: Exclude<GrantStatus, "active">, endAt: number): Promise<Grant[]> {
    const active = await this.db
      .selectFrom("grants")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("petition_name", "=", petitionName)
      .where("status", "=", "active")
      .orderBy("id")
      .execute();
    if (active.length === 0) return [];
    await this.db
      .updateTable("grants")
      .set({ status, end_at: endAt })
      .where("space_id", "=", spaceId)
      .where("petition_name", "=", petitionName)
      .where("status", "=", "active")
      .execute();
    return active.map(toGrant);
  }

  /**
   * Of these (petitioner, resource) pairs, the ones another active grant in the space still
   * covers, each with the petition of the covering grant that lasts longest (until revoked
   * first). One query for every pair, through the index of active grants by pair: petitioners
   * and resources are matched as two lists, and the pairs not asked about dropped here.
   * Under SERIALIZABLE isolation the rows read here are what a concurrent end of the covering
   * grant conflicts with, so two petitions ending together never both leave a pair granted.
   */
  async coveringPetitions(spaceId: string, pairs: Array<{ petitioner: Resource; resource: Resource }>): Promise<Map<string, string>> {
    const covered = new Map<string, { petitionName: string; expireAt: number }>();
    if (pairs.length === 0) return new Map();
    const wanted = new Set(pairs.map(grantPairKey));
    const rows = await this.db
      .selectFrom("grants")
      .select(["petition_name", "petitioner_key", "resource_key", "expire_at"])
      .where("space_id", "=", spaceId)
      .where(ACTIVE)
      .where("petitioner_key", "in", [...new Set(pairs.map((p) => resourceKey(p.petitioner)))])
      .where("resource_key", "in", [...new Set(pairs.map((p) => resourceKey(p.resource)))])
      .execute();
    for (const row of rows) {
      const key = pairKey(row.petitioner_key, row.resource_key);
      if (!wanted.has(key)) continue;
      const expireAt = row.expire_at === null ? Number.POSITIVE_INFINITY : toMillis(row.expire_at);
      const best = covered.get(key);
      if (!best || expireAt > best.expireAt) covered.set(key, { petitionName: row.petition_name, expireAt });
    }
    return new Map([...covered].map(([key, { petitionName }]) => [key, petitionName]));
  }

  /** Records what the integrations have done with these grants. */
  /**
   * Settles a grant's provisioning once its deliveries of `eventType` are all done: `ok` when
   * every one was delivered, `failed` when any was given up; nothing while any is pending, or
   * when the grant is no longer in one of the `from` states (it moved on meanwhile). One
   * statement: it runs after every delivery.
   */
  async settleProvisioning(
    spaceId: string,
    grantId: string,
    eventType: string,
    from: GrantProvisioning[],
    ok: GrantProvisioning,
    failed: GrantProvisioning,
  ): Promise<void> {
    await this.db
      .updateTable("grants")
      .set({
        provisioning: sql<string>`CASE WHEN EXISTS (SELECT 1 FROM outbox WHERE outbox.grant_id = grants.id
          AND outbox.event_type = ${eventType} AND outbox.status = 'failed') THEN ${failed} ELSE ${ok} END`,
      })
      .where("space_id", "=", spaceId)
      .where("id", "=", grantId)
      .where("provisioning", "in", from)
      .where(
        sql<boolean>`NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.grant_id = grants.id
          AND outbox.event_type = ${eventType} AND outbox.status = 'pending')`,
      )
      .execute();
  }

  async setProvisioning(spaceId: string, ids: string[], provisioning: GrantProvisioning): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable("grants").set({ provisioning }).where("space_id", "=", spaceId).where("id", "in", ids).execute();
  }

  /** Petitions holding active grants that ended by `now`, soonest first, across all spaces. */
  async findDue(now: number, limit: number): Promise<DueExpiry[]> {
    const rows = await this.db
      .selectFrom("grants")
      .select(["space_id", "petition_name"])
      // Literal, not a parameter: only then can the planner use the partial expiry index.
      .where(ACTIVE)
      .where("expire_at", "<=", now)
      .orderBy("expire_at")
      .limit(literalLimit(limit))
      .execute();
    const seen = new Set<string>();
    const due: DueExpiry[] = [];
    for (const row of rows) {
      const key = `${row.space_id}\u0000${row.petition_name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      due.push({ spaceId: row.space_id, petitionName: row.petition_name });
    }
    return due;
  }

  /** When the next active grant ends, if any does. */
  async nextExpiry(): Promise<number | undefined> {
    const row = await this.db
      .selectFrom("grants")
      .select("expire_at")
      .where(ACTIVE)
      .where("expire_at", "is not", null)
      .orderBy("expire_at")
      .limit(literalLimit(1))
      .executeTakeFirst();
    return row?.expire_at == null ? undefined : toMillis(row.expire_at);
  }
}

function toGrant(row: Database["grants"]): Grant {
  return {
    id: row.id,
    spaceId: row.space_id,
    petitionName: row.petition_name,
    petitioner: fromJson<Resource>(row.petitioner),
    resource: fromJson<Resource>(row.resource),
    status: row.status as GrantStatus,
    startAt: toMillis(row.start_at),
    expireAt: toMillisOrNull(row.expire_at),
    endAt: toMillisOrNull(row.end_at),
    provisioning: row.provisioning as GrantProvisioning,
  };
}
