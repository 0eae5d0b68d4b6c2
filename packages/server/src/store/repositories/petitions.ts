import { literalLimit } from "../limit.js";
import { sql, type InsertResult, type Kysely, type UpdateResult } from "kysely";
import type { PetitionOperation } from "../../domain/agents.js";
import { DomainError } from "../../domain/errors.js";
import type { LabelSelector } from "../../domain/label-selector.js";
import type { Outcome, Petition, PetitionEvent, Phase } from "../../domain/petition.js";
import type { ReviewPlan } from "../../domain/policy-evaluation.js";
import type { RecordedApproval } from "../../domain/reviews.js";
import { resourceEmail, type Resource } from "../../domain/resource.js";
import { fromJson, toJson, toMillis, toMillisOrNull } from "../codec.js";
import type { SqlDialect } from "../dialect.js";
import { labelSelectorCondition } from "../label-selector-sql.js";
import { prepare } from "../prepared.js";
import type { Database, PetitionEventsTable, PetitionPetitionersTable, PetitionsTable } from "../schema.js";
import type { SpaceRef } from "./spaces.js";

export interface PetitionListQuery {
  selector: LabelSelector;
  /** Only petitions this actor created, or that name this email as a petitioner. */
  partyTo?: { actorKey: string; email: string | undefined };
  /** Only petitions that name this (lower-cased) email as a petitioner, found through their index. */
  petitioner?: string;
  phases?: Phase[];
  /** Return names after (or, descending, before) this one. */
  after?: string;
  limit: number;
  ascending: boolean;
  includeDeleted: boolean;
}

const PETITION_COLUMNS = [
  "space_id",
  "name",
  "phase",
  "outcome",
  "reason",
  "petitioners",
  "resources",
  "labels",
  "default_duration_ms",
  "dedupe_key",
  "version",
  "last_event_seq",
  "created_at",
  "updated_at",
  "start_at",
  "expire_at",
  "end_at",
  "deleted_at",
  "created_by",
  "review_plan",
  "approvals",
  "timeout_at",
  "next_escalation_at",
  "escalations_done",
  "timer_at",
  "operation",
] as const satisfies ReadonlyArray<keyof PetitionsTable>;

const EVENT_COLUMNS = [
  "space_id",
  "petition_name",
  "seq",
  "id",
  "event",
  "actor",
  "reason",
  "resources",
  "labels",
  "created_at",
] as const satisfies ReadonlyArray<keyof PetitionEventsTable>;

// The statements every petition write runs, compiled once (see `PreparedQuery`).
const selectPetition = prepare<{ spaceId: string; name: string }, PetitionsTable>(["spaceId", "name"], (db, [p]) =>
  db.selectFrom("petitions").selectAll().where("space_id", "=", p!.spaceId).where("name", "=", p!.name),
);
const selectActiveByDedupeKey = prepare<{ spaceId: string; dedupeKey: string }, PetitionsTable>(["spaceId", "dedupeKey"], (db, [p]) =>
  db
    .selectFrom("petitions")
    .selectAll()
    .where("space_id", "=", p!.spaceId)
    .where("dedupe_key", "=", p!.dedupeKey)
    // Literal values, not parameters: only then can the planner use the partial index.
    .where(sql<boolean>`phase in ('open', 'granted')`),
);
const insertPetitions = prepare<PetitionsTable, InsertResult>(PETITION_COLUMNS, (db, rows) => db.insertInto("petitions").values(rows));
const insertPetitioners = prepare<PetitionPetitionersTable, InsertResult>(["space_id", "email", "petition_name"], (db, rows) =>
  db.insertInto("petition_petitioners").values(rows),
);
/** What a petition's changes can touch; the rest is fixed when it is created. */
const MUTABLE_COLUMNS = [
  "phase",
  "outcome",
  "labels",
  "version",
  "last_event_seq",
  "updated_at",
  "start_at",
  "expire_at",
  "end_at",
  "deleted_at",
  "next_escalation_at",
  "escalations_done",
  "approvals",
  "timer_at",
] as const satisfies ReadonlyArray<keyof PetitionsTable>;
type PetitionChange = Pick<PetitionsTable, (typeof MUTABLE_COLUMNS)[number] | "space_id" | "name"> & { previous_version: number };
const updatePetition = prepare<PetitionChange, UpdateResult>([...MUTABLE_COLUMNS, "space_id", "name", "previous_version"], (db, rows) => {
  const { space_id, name, previous_version, ...changes } = rows[0]!;
  return db
    .updateTable("petitions")
    .set(changes)
    .where("space_id", "=", space_id)
    .where("name", "=", name)
    .where("version", "=", previous_version);
});
const insertEventRows = prepare<PetitionEventsTable, InsertResult>(EVENT_COLUMNS, (db, rows) =>
  db.insertInto("petition_events").values(rows),
);
const selectEventsOf = prepare<{ spaceId: string; name: string }, PetitionEventsTable>(["spaceId", "name"], (db, [p]) =>
  db.selectFrom("petition_events").selectAll().where("space_id", "=", p!.spaceId).where("petition_name", "=", p!.name).orderBy("seq"),
);

export class PetitionRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  async get(space: SpaceRef, name: string): Promise<Petition | undefined> {
    const [row] = await selectPetition.rows(this.db, { spaceId: space.id, name });
    return row && toPetition(row, space);
  }

  /** The open or granted petition for the same request, if any. */
  async findActiveByDedupeKey(space: SpaceRef, dedupeKey: string): Promise<Petition | undefined> {
    const [row] = await selectActiveByDedupeKey.rows(this.db, { spaceId: space.id, dedupeKey });
    return row && toPetition(row, space);
  }

  async insert(petition: Petition): Promise<void> {
    await insertPetitions.execute(this.db, [toRow(petition)]);
    const emails = [...new Set(petition.petitioners.flatMap((p) => resourceEmail(p) ?? []))];
    if (emails.length > 0) {
      await insertPetitioners.execute(
        this.db,
        emails.map((email) => ({ space_id: petition.spaceId, email, petition_name: petition.name })),
      );
    }
  }

  /**
   * Saves a changed petition if nobody changed it since it was read (its version is
   * `petition.version - 1`); otherwise CONFLICT, and the caller's transaction rolls back.
   * Only what can change after creation is written (its phase, outcome, labels and times).
   */
  async update(petition: Petition): Promise<void> {
    const change: PetitionChange = {
      space_id: petition.spaceId,
      name: petition.name,
      phase: petition.phase,
      outcome: petition.outcome,
      labels: toJson(petition.labels),
      version: petition.version,
      last_event_seq: petition.lastEventSeq,
      updated_at: petition.updatedAt,
      start_at: petition.startAt,
      expire_at: petition.expireAt,
      end_at: petition.endAt,
      deleted_at: petition.deletedAt,
      next_escalation_at: petition.nextEscalationAt,
      escalations_done: petition.escalationsDone,
      approvals: toJson(petition.approvals ?? []),
      timer_at: timerOf(petition),
      previous_version: petition.version - 1,
    };
    const result = await updatePetition.execute(this.db, [change]);
    if (result.numAffectedRows !== 1n) {
      throw new DomainError("CONFLICT", `petition ${petition.name} was changed by another request; read it again and retry`);
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
    if (query.petitioner !== undefined) {
      const email = query.petitioner;
      q = q.where((eb) =>
        eb(
          "name",
          "in",
          eb.selectFrom("petition_petitioners").select("petition_name").where("space_id", "=", space.id).where("email", "=", email),
        ),
      );
    }
    if (!query.includeDeleted) q = q.where("deleted_at", "is", null);
    if (query.after !== undefined) q = q.where("name", query.ascending ? ">" : "<", query.after);
    const rows = await q
      .orderBy("name", query.ascending ? "asc" : "desc")
      .limit(literalLimit(query.limit))
      .execute();
    return rows.map((row) => toPetition(row, space));
  }

  /** Open petitions that are due to time out or escalate, soonest first, across all spaces. */
  async findTimersDue(now: number, limit: number): Promise<Array<{ spaceId: string; name: string }>> {
    const rows = await this.db
      .selectFrom("petitions")
      .select(["space_id", "name"])
      // Literal, as the partial index's own condition: only then can the planner use it.
      .where(sql<boolean>`phase = 'open' AND timer_at IS NOT NULL`)
      .where("timer_at", "<=", now)
      .orderBy("timer_at")
      .limit(literalLimit(limit))
      .execute();
    return rows.map((row) => ({ spaceId: row.space_id, name: row.name }));
  }

  /** When the next open petition times out or escalates, if any will. */
  async nextTimer(): Promise<number | undefined> {
    const row = await this.db
      .selectFrom("petitions")
      .select("timer_at")
      .where(sql<boolean>`phase = 'open' AND timer_at IS NOT NULL`)
      .orderBy("timer_at")
      .limit(literalLimit(1))
      .executeTakeFirst();
    return row?.timer_at == null ? undefined : toMillis(row.timer_at);
  }

  /** The newest petitions of a space, newest first (for replaying a draft policy). */
  async latest(space: SpaceRef, limit: number): Promise<Petition[]> {
    const rows = await this.db
      .selectFrom("petitions")
      .selectAll()
      .where("space_id", "=", space.id)
      .where("deleted_at", "is", null)
      .orderBy("name", "desc")
      .limit(literalLimit(limit))
      .execute();
    return rows.map((row) => toPetition(row, space));
  }

  async insertEvents(spaceId: string, events: PetitionEvent[]): Promise<void> {
    if (events.length === 0) return;
    await insertEventRows.execute(
      this.db,
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
    );
  }

  /** Every event of the named petitions, in history order, grouped by petition. */
  async eventsOf(spaceId: string, petitionNames: string[]): Promise<Map<string, PetitionEvent[]>> {
    const byPetition = new Map<string, PetitionEvent[]>(petitionNames.map((n) => [n, []]));
    if (petitionNames.length === 0) return byPetition;
    if (petitionNames.length === 1) {
      const name = petitionNames[0]!;
      byPetition.set(name, (await selectEventsOf.rows(this.db, { spaceId, name })).map(toEvent));
      return byPetition;
    }
    const rows = await this.db
      .selectFrom("petition_events")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("petition_name", "in", petitionNames)
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
      .limit(literalLimit(query.limit))
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
    reviewPlan: row.review_plan === null ? null : planFromJson(row.review_plan),
    approvals: fromJson<RecordedApproval[]>(row.approvals),
    timeoutAt: toMillisOrNull(row.timeout_at),
    nextEscalationAt: toMillisOrNull(row.next_escalation_at),
    escalationsDone: row.escalations_done,
    operation: row.operation === null ? null : fromJson<PetitionOperation>(row.operation),
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
    review_plan: p.reviewPlan ? planToJson(p.reviewPlan) : null,
    approvals: toJson(p.approvals ?? []),
    timeout_at: p.timeoutAt ?? null,
    next_escalation_at: p.nextEscalationAt ?? null,
    escalations_done: p.escalationsDone ?? 0,
    timer_at: timerOf(p),
    operation: p.operation ? toJson(p.operation) : null,
  };
}

/** When the timer job must next look at the petition: the sooner of its timeout and its next escalation, while open. */
function timerOf(p: Pick<Petition, "phase" | "timeoutAt" | "nextEscalationAt">): number | null {
  if (p.phase !== "open") return null;
  const times = [p.timeoutAt, p.nextEscalationAt].filter((t): t is number => t !== null && t !== undefined);
  return times.length > 0 ? Math.min(...times) : null;
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

// Petitions made alike share one plan (see `planFor`), so its JSON is written once and read
// back into one object, rather than once per petition. Plans are never changed once made.
const planJson = new WeakMap<ReviewPlan, string>();
const plansByJson = new Map<string, ReviewPlan>();

function planToJson(plan: ReviewPlan): string {
  let json = planJson.get(plan);
  if (json === undefined) {
    json = toJson(plan);
    planJson.set(plan, json);
  }
  return json;
}

function planFromJson(value: unknown): ReviewPlan {
  if (typeof value !== "string") return fromJson<ReviewPlan>(value);
  let plan = plansByJson.get(value);
  if (!plan) {
    plan = fromJson<ReviewPlan>(value);
    if (plansByJson.size >= 1000) plansByJson.delete(plansByJson.keys().next().value!);
    plansByJson.set(value, plan);
  }
  return plan;
}
