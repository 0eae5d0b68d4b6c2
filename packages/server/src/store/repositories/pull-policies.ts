import type { Kysely } from "kysely";
import type { PullPolicy, PullRunResult } from "../../domain/pull-policy.js";
import { fromJson, toJson, toMillis, toMillisOrNull } from "../codec.js";
import { literalLimit } from "../limit.js";
import type { Database } from "../schema.js";

/** Pull policies of each space, and the queue of their next runs. */
export class PullPolicyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(spaceId: string, name: string): Promise<PullPolicy | undefined> {
    const row = await this.db
      .selectFrom("pull_policies")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("name", "=", name)
      .executeTakeFirst();
    return row && toPolicy(row);
  }

  async list(spaceId: string): Promise<PullPolicy[]> {
    const rows = await this.db.selectFrom("pull_policies").selectAll().where("space_id", "=", spaceId).orderBy("name").execute();
    return rows.map(toPolicy);
  }

  /** Policies of every space whose run is due. */
  async due(now: number, limit: number): Promise<PullPolicy[]> {
    const rows = await this.db
      .selectFrom("pull_policies")
      .selectAll()
      .where("next_run_at", "<=", now)
      .orderBy("next_run_at")
      .limit(literalLimit(limit))
      .execute();
    return rows.map(toPolicy);
  }

  async nextDue(): Promise<number | undefined> {
    const row = await this.db
      .selectFrom("pull_policies")
      .select((eb) => eb.fn.min("next_run_at").as("at"))
      .executeTakeFirst();
    return row?.at === null || row?.at === undefined ? undefined : toMillis(row.at);
  }

  async insert(policy: PullPolicy): Promise<void> {
    await this.db.insertInto("pull_policies").values(toRow(policy)).execute();
  }

  async update(policy: PullPolicy): Promise<void> {
    const { space_id, name, created_at, ...changes } = toRow(policy);
    await this.db.updateTable("pull_policies").set(changes).where("space_id", "=", space_id).where("name", "=", name).execute();
  }

  /** Moves a policy's next run on, if it still has the run that was claimed: a claim. */
  async claimRun(spaceId: string, name: string, dueAt: number, nextRunAt: number): Promise<boolean> {
    const result = await this.db
      .updateTable("pull_policies")
      .set({ next_run_at: nextRunAt })
      .where("space_id", "=", spaceId)
      .where("name", "=", name)
      .where("next_run_at", "=", dueAt)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async recordRun(spaceId: string, name: string, at: number, result: PullRunResult): Promise<void> {
    await this.db
      .updateTable("pull_policies")
      .set({ last_run_at: at, last_result: toJson(result) })
      .where("space_id", "=", spaceId)
      .where("name", "=", name)
      .execute();
  }

  async delete(spaceId: string, name: string): Promise<boolean> {
    const result = await this.db.deleteFrom("pull_policies").where("space_id", "=", spaceId).where("name", "=", name).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

function toRow(p: PullPolicy): Database["pull_policies"] {
  return {
    space_id: p.spaceId,
    name: p.name,
    display_name: p.displayName,
    schedule: p.schedule,
    kinds: toJson(p.kinds),
    flags: toJson(p.flags),
    next_run_at: p.nextRunAt,
    last_run_at: p.lastRunAt,
    last_result: p.lastResult === null ? null : toJson(p.lastResult),
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

function toPolicy(row: Database["pull_policies"]): PullPolicy {
  return {
    spaceId: row.space_id,
    name: row.name,
    displayName: row.display_name,
    schedule: row.schedule,
    kinds: fromJson<string[]>(row.kinds),
    flags: fromJson<Record<string, string>>(row.flags),
    nextRunAt: toMillis(row.next_run_at),
    lastRunAt: toMillisOrNull(row.last_run_at),
    lastResult: row.last_result === null ? null : fromJson<PullRunResult>(row.last_result),
    createdAt: toMillis(row.created_at),
    updatedAt: toMillis(row.updated_at),
  };
}
