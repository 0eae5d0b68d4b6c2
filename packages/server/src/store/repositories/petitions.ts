import { sql, type Kysely } from "kysely";
import { DomainError } from "../../domain/errors.js";
import type { LabelSelector } from "../../domain/label-selector.js";
import type { Outcome, Petition, PetitionEvent, Phase } from "../../domain/petition.js";
import { resourceEmail, type Resource } from "../../domain/resource.js";
import { fromJson, toJson, toMillis, toMillisOrNull } from "../codec.js";
import type { SqlDialect } from "../dialect.js";
import { labelSelectorCondition } from "../label-selector-sql.js";
import type { Database } from "../schema.js";
import type { SpaceRef } from "./spaces.js";

export interface PetitionListQuery {
  selector: LabelSelector;
  /** Only petitions this actor created, or that name this email as a petitioner. */
  partyTo?: { actorKey: string; email: string | undefined };
  phases?: Phase[];
  /** Return names after (or, descending, before) this one. */
  after?: string;
  limit: number;
  ascending: boolean;
  includeDeleted: boolean;
}

export class PetitionRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  async get(space: SpaceRef, name: string): Promise<Petition | undefined> {
    const row = await this.db
      .selectFrom("petitions")
      .selectAll()
      .where("space_id", "=", space.id)
      .where("name", "=", name)
      .executeTakeFirst();
    return row && toPetition(row, space);
  }

  /** The open or granted petition for the same request, if any. */
  async findActiveByDedupeKey(space: SpaceRef, dedupeKey: string): Promise<Petition | undefined> {
    const row = await this.db
      .selectFrom("petitions")
      .selectAll()
      .where("space_id", "=", space.id)
      .where("dedupe_key", "=", dedupeKey)
      // Literal values, not parameters: only then can the planner use the partial index.
      .where(sql<boolean>`phase in ('open', 'granted')`)
      .executeTakeFirst();
    return row && toPetition(row, space);
  }

  async insert(petition: Petition): Promise<void> {
    await this.db.insertInto("petitions").values(toRow(petition)).execute();
    const emails = [...new Set(petition.petitioners.flatMap((p) => resourceEmail(p) ?? []))];
    if (emails.length > 0) {
      await this.db
        .insertInto("petition_petitioners")
        .values(emails.map((email) => ({ space_id: petition.spaceId, email, petition_name: petition.name })))
        .execute();
    }
  }

  /**
   * Saves a changed petition if nobody changed it since it was read (its version is
   * `petition.version - 1`); otherwise CONFLICT, and the caller's transaction rolls back.
   */
  async update(petition: Petition): Promise<void> {
    const { space_id, name, ...changes } = toRow(petition);
    const result = await this.db
      .updateTable("petitions")
      .set(changes)
      .where("space_id", "=", space_id)
      .where("name", "=", name)
      .where("version", "=", petition.version - 1)
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n) {
      throw new DomainError("CONFLICT", `petition ${name} was changed by another request; read it again and retry`);
    }
  }

  async list(space: SpaceRef, query: PetitionListQuery): Promise<Petition[]> {
    let q = this.db
      .selectFrom("petitions")
      .selectAll()
      .where("space_id", "=", space.id)
      .where(labelSelectorCondition(this.dialect, "labels", query.selector));
    if (query.phases && query.phases.length > 0) q = q.where("phase", "in", query.phases);
    if (query.partyTo) {
      const { actorKey, email } = query.partyTo;
      q = q.where((eb) =>
        eb.or([
          eb("created_by", "=", actorKey),
          ...(email === undefined
            ? []
            : [
                eb(
                  "name",
                  "in",
                  eb.selectFrom("petition_petitioners").select("petition_name").where("space_id", "=", space.id).where("email", "=", email),
                ),
              ]),
        ]),
      );
    }
    if (!query.includeDeleted) q = q.where("deleted_at", "is", null);
    if (query.after !== undefined) q = q.where("name", query.ascending ? ">" : "<", query.after);
    const rows = await q
      .orderBy("name", query.ascending ? "asc" : "desc")
      .limit(query.limit)
      .execute();
    return rows.map((row) => toPetition(row, space));
  }

  async insertEvents(spaceId: string, events: PetitionEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.db
      .insertInto("petition_events")
      .values(
        events.map((e) => ({
          space_id: spaceId,
          petition_name: e.petitionName,
          seq: e.seq,
          id: e.id,
          event: e.event,
          actor: toJson(e.actor),
          reason: e.reason,
          resources: toJson(e.resources),
          labels: toJson(e.labels),
          created_at: e.timestamp,
        })),
      )
      .execute();
  }

  /** Every event of the named petitions, in history order, grouped by petition. */
  async eventsOf(spaceId: string, petitionNames: string[]): Promise<Map<string, PetitionEvent[]>> {
    const byPetition = new Map<string, PetitionEvent[]>(petitionNames.map((n) => [n, []]));
    if (petitionNames.length === 0) return byPetition;
    const rows = await this.db
      .selectFrom("petition_events")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("petition_name", petitionNames.length === 1 ? "=" : "in", petitionNames.length === 1 ? petitionNames[0]! : petitionNames)
      .orderBy("petition_name")
      .orderBy("seq")
      .execute();
    for (const row of rows) byPetition.get(row.petition_name)?.push(toEvent(row));
    return byPetition;
  }

  /** A page of one petition's events whose labels match, in history order. */
  async listEvents(
    spaceId: string,
    petitionName: string,
    query: { selector: LabelSelector; afterSeq: number; limit: number },
  ): Promise<PetitionEvent[]> {
    const rows = await this.db
      .selectFrom("petition_events")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("petition_name", "=", petitionName)
      .where("seq", ">", query.afterSeq)
      .where(labelSelectorCondition(this.dialect, "labels", query.selector))
      .orderBy("seq")
      .limit(query.limit)
      .execute();
    return rows.map(toEvent);
  }

  async getEvent(spaceId: string, petitionName: string, id: string): Promise<PetitionEvent | undefined> {
    const row = await this.db
      .selectFrom("petition_events")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("petition_name", "=", petitionName)
      .where("id", "=", id)
      .executeTakeFirst();
    return row && toEvent(row);
  }
}

function toPetition(row: Database["petitions"], space: SpaceRef): Petition {
  return {
    spaceId: space.id,
    spaceName: space.name,
    name: row.name,
    petitioners: fromJson<Resource[]>(row.petitioners),
    resources: fromJson<Resource[]>(row.resources),
    reason: row.reason,
    labels: fromJson<Record<string, string>>(row.labels),
    defaultDurationMs: toMillisOrNull(row.default_duration_ms),
    phase: row.phase as Phase,
    outcome: row.outcome as Outcome | null,
    version: row.version,
    lastEventSeq: row.last_event_seq,
    dedupeKey: row.dedupe_key,
    createdAt: toMillis(row.created_at),
    updatedAt: toMillis(row.updated_at),
    startAt: toMillisOrNull(row.start_at),
    expireAt: toMillisOrNull(row.expire_at),
    endAt: toMillisOrNull(row.end_at),
    deletedAt: toMillisOrNull(row.deleted_at),
    createdBy: row.created_by,
  };
}

function toRow(p: Petition): Database["petitions"] {
  return {
    space_id: p.spaceId,
    name: p.name,
    phase: p.phase,
    outcome: p.outcome,
    reason: p.reason,
    petitioners: toJson(p.petitioners),
    resources: toJson(p.resources),
    labels: toJson(p.labels),
    default_duration_ms: p.defaultDurationMs,
    dedupe_key: p.dedupeKey,
    version: p.version,
    last_event_seq: p.lastEventSeq,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    start_at: p.startAt,
    expire_at: p.expireAt,
    end_at: p.endAt,
    deleted_at: p.deletedAt,
    created_by: p.createdBy,
  };
}

function toEvent(row: Database["petition_events"]): PetitionEvent {
  return {
    id: row.id,
    petitionName: row.petition_name,
    seq: row.seq,
    event: row.event as PetitionEvent["event"],
    actor: fromJson<Resource>(row.actor),
    reason: row.reason,
    resources: fromJson<Resource[]>(row.resources),
    labels: fromJson<Record<string, string>>(row.labels),
    timestamp: toMillis(row.created_at),
  };
}
