import { sql, type Kysely } from "kysely";
import type { DeliveryStatus } from "../../domain/delivery.js";
import { toMillis, toMillisOrNull } from "../codec.js";
import { literalLimit } from "../limit.js";
import { prepare } from "../prepared.js";
import type { Database, OutboxTable } from "../schema.js";

export type TargetKind = "webhook" | "subscription" | "slack";

/** Which receiver a delivery goes to. */
export interface ReceiverRef {
  spaceId: string;
  targetKind: TargetKind;
  targetName: string;
}

function notAmong(receivers: ReceiverRef[]) {
  return sql<boolean>`NOT ((space_id, target_kind, target_name) IN (VALUES ${sql.join(
    receivers.map((r) => sql`(${r.spaceId}, ${r.targetKind}, ${r.targetName})`),
  )}))`;
}

/** One event for one receiver, and where its delivery stands. */
export interface OutboxEntry {
  id: string;
  spaceId: string;
  targetKind: TargetKind;
  targetName: string;
  eventType: string;
  petitionName: string | null;
  grantId: string | null;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number | null;
  leaseUntil: number | null;
  lastAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
}

export interface DeliveryAttempt {
  outboxId: string;
  attempt: number;
  spaceId: string;
  startedAt: number;
  durationMs: number;
  status: number | null;
  error: string | null;
  response: string | null;
}

const COLUMNS = [
  "id",
  "space_id",
  "target_kind",
  "target_name",
  "event_type",
  "petition_name",
  "grant_id",
  "body",
  "status",
  "attempts",
  "next_attempt_at",
  "lease_until",
  "last_attempt_at",
  "last_status",
  "last_error",
  "created_at",
  "delivered_at",
] as const satisfies ReadonlyArray<keyof OutboxTable>;

// Every grant and every petition event a receiver wants writes these (see `PreparedQuery`).
const insertRows = prepare<OutboxTable, unknown>(COLUMNS, (db, rows) => db.insertInto("outbox").values(rows));

/**
 * The transactional outbox. Rows are written in the transaction of the change they report
 * and delivered by the delivery job, which leases what it takes so that a delivery is not
 * attempted twice at once; a lease left behind by a stopped server runs out, and the delivery
 * is attempted again (receivers see the same id, so a repeat is harmless to them).
 */
export class OutboxRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insertMany(entries: OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await insertRows.execute(this.db, entries.map(toRow));
  }

  /**
   * Due deliveries (pending, due, not leased), soonest first, of every receiver but those
   * `excluded` (they are sending all they may; see `dueFor`). A revoke waiting for its grant's
   * start (see `releaseRevokes`) has no time yet, so it is not among them.
   */
  async due(now: number, limit: number, excluded: ReceiverRef[] = []): Promise<OutboxEntry[]> {
    let q = this.db
      .selectFrom("outbox")
      .selectAll()
      // Literal, as the partial index's condition: only then can the planner use it.
      .where(sql<boolean>`status = 'pending'`)
      .where("next_attempt_at", "<=", now)
      .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", now)]));
    if (excluded.length > 0) q = q.where(notAmong(excluded));
    const rows = await q.orderBy("next_attempt_at").limit(literalLimit(limit)).execute();
    return rows.map(toEntry);
  }

  /** One receiver's due deliveries, soonest first (its own index: other receivers' backlogs are not passed over). */
  async dueFor(receiver: ReceiverRef, now: number, limit: number): Promise<OutboxEntry[]> {
    const rows = await this.db
      .selectFrom("outbox")
      .selectAll()
      .where("space_id", "=", receiver.spaceId)
      .where("target_kind", "=", receiver.targetKind)
      .where("target_name", "=", receiver.targetName)
      .where(sql<boolean>`status = 'pending'`)
      .where("next_attempt_at", "<=", now)
      .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", now)]))
      .orderBy("next_attempt_at")
      .limit(literalLimit(limit))
      .execute();
    return rows.map(toEntry);
  }

  /**
   * Takes deliveries for a sender until `until`, those still pending and not taken by another
   * sender; returns the ids it took.
   */
  async lease(ids: string[], now: number, until: number): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .updateTable("outbox")
      .set({ lease_until: until })
      .where("id", "in", ids)
      .where("status", "=", "pending")
      .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", now)]))
      .returning("id")
      .execute();
    return rows.map((row) => row.id);
  }

  /** When the next pending delivery of a receiver not `excluded` is due (a leased one once its lease runs out). */
  async nextDue(excluded: ReceiverRef[] = []): Promise<number | undefined> {
    let q = this.db
      .selectFrom("outbox")
      .select(["next_attempt_at", "lease_until"])
      .where(sql<boolean>`status = 'pending'`)
      .where("next_attempt_at", "is not", null);
    if (excluded.length > 0) q = q.where(notAmong(excluded));
    const rows = await q.orderBy("next_attempt_at").limit(literalLimit(64)).execute();
    const times = rows.map((row) => Math.max(toMillis(row.next_attempt_at ?? 0), toMillis(row.lease_until ?? 0)));
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  /** Forgets every lease: what a server that is the only one on its database does when it starts. */
  async releaseLeases(): Promise<void> {
    await this.db
      .updateTable("outbox")
      .set({ lease_until: null })
      .where(sql<boolean>`status = 'pending'`)
      .where("lease_until", "is not", null)
      .execute();
  }

  async get(spaceId: string, id: string): Promise<OutboxEntry | undefined> {
    const row = await this.db.selectFrom("outbox").selectAll().where("space_id", "=", spaceId).where("id", "=", id).executeTakeFirst();
    return row && toEntry(row);
  }

  /** A receiver's deliveries, newest first, before `before` when given. */
  async listForTarget(
    spaceId: string,
    kind: TargetKind,
    name: string,
    query: { status?: DeliveryStatus; before?: string; limit: number },
  ): Promise<OutboxEntry[]> {
    let q = this.db
      .selectFrom("outbox")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("target_kind", "=", kind)
      .where("target_name", "=", name);
    if (query.status) q = q.where("status", "=", query.status);
    if (query.before !== undefined) q = q.where("id", "<", query.before);
    const rows = await q.orderBy("id", "desc").limit(literalLimit(query.limit)).execute();
    return rows.map(toEntry);
  }

  /** Deliveries about one petition, to any receiver, newest first, before `before` when given. */
  async listForPetition(
    spaceId: string,
    petitionName: string,
    query: { status?: DeliveryStatus; before?: string; limit: number },
  ): Promise<OutboxEntry[]> {
    let q = this.db.selectFrom("outbox").selectAll().where("space_id", "=", spaceId).where("petition_name", "=", petitionName);
    if (query.status) q = q.where("status", "=", query.status);
    if (query.before !== undefined) q = q.where("id", "<", query.before);
    const rows = await q.orderBy("id", "desc").limit(literalLimit(query.limit)).execute();
    return rows.map(toEntry);
  }

  /** Sends a delivery again now (an admin asked): pending, due, with the attempts it had. */
  async redeliver(spaceId: string, id: string, now: number): Promise<void> {
    await this.db
      .updateTable("outbox")
      .set({ status: "pending", next_attempt_at: now, lease_until: null })
      .where("space_id", "=", spaceId)
      .where("id", "=", id)
      .execute();
  }

  /** Records the result of an attempt, and releases the lease, if the delivery is still pending; whether it was. */
  async update(entry: OutboxEntry): Promise<boolean> {
    const result = await this.db
      .updateTable("outbox")
      .set({
        status: entry.status,
        attempts: entry.attempts,
        next_attempt_at: entry.nextAttemptAt,
        lease_until: null,
        last_attempt_at: entry.lastAttemptAt,
        last_status: entry.lastStatus,
        last_error: entry.lastError,
        delivered_at: entry.deliveredAt,
      })
      .where("id", "=", entry.id)
      .where("status", "=", "pending")
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Whether a grant's start is still to be delivered to a receiver. Its revoke then waits:
   * sent the other way round, an integration would take access away and then give it.
   */
  async hasPendingStart(grantId: string, kind: TargetKind, name: string): Promise<boolean> {
    const row = await this.db
      .selectFrom("outbox")
      .select("id")
      .where("grant_id", "=", grantId)
      .where("event_type", "=", "access/grant")
      .where("target_kind", "=", kind)
      .where("target_name", "=", name)
      .where("status", "=", "pending")
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The start of a grant settled (delivered, or given up): its revoke, if waiting, is due now. */
  async releaseRevokes(grantId: string, kind: TargetKind, name: string, now: number): Promise<void> {
    await this.db
      .updateTable("outbox")
      .set({ next_attempt_at: now })
      .where("grant_id", "=", grantId)
      .where("event_type", "=", "access/revoke")
      .where("target_kind", "=", kind)
      .where("target_name", "=", name)
      .where("status", "=", "pending")
      .where("next_attempt_at", "is", null)
      .execute();
  }

  /** Whether any revoke is waiting for its grant's start (most of the time, none is). */
  async hasWaitingRevokes(): Promise<boolean> {
    const row = await this.db
      .selectFrom("outbox")
      .select("id")
      .where(sql<boolean>`status = 'pending'`)
      .where("next_attempt_at", "is", null)
      .limit(literalLimit(1))
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Releases waiting revokes whose start is no longer pending, however that came about (a
   * start given up with its receiver, or settled by a server that raced the revoke's writer).
   * Returns how many.
   */
  async releaseStrandedRevokes(now: number): Promise<number> {
    const result = await this.db
      .updateTable("outbox")
      .set({ next_attempt_at: now })
      .where(sql<boolean>`status = 'pending'`)
      .where("next_attempt_at", "is", null)
      .where(
        sql<boolean>`NOT EXISTS (SELECT 1 FROM outbox AS start WHERE start.grant_id = outbox.grant_id
          AND start.event_type = 'access/grant' AND start.target_kind = outbox.target_kind
          AND start.target_name = outbox.target_name AND start.status = 'pending')`,
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Gives up the pending deliveries to a receiver (it was disabled or deleted); returns them as they were. */
  async failPendingFor(spaceId: string, kind: TargetKind, name: string, reason: string): Promise<OutboxEntry[]> {
    const rows = await this.db
      .selectFrom("outbox")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("target_kind", "=", kind)
      .where("target_name", "=", name)
      .where("status", "=", "pending")
      .execute();
    if (rows.length === 0) return [];
    await this.db
      .updateTable("outbox")
      .set({ status: "failed", last_error: reason, next_attempt_at: null, lease_until: null })
      .where("space_id", "=", spaceId)
      .where("target_kind", "=", kind)
      .where("target_name", "=", name)
      .where("status", "=", "pending")
      .execute();
    return rows.map(toEntry);
  }

  async insertAttempt(attempt: DeliveryAttempt): Promise<void> {
    await this.db
      .insertInto("delivery_attempts")
      .values({
        outbox_id: attempt.outboxId,
        attempt: attempt.attempt,
        space_id: attempt.spaceId,
        started_at: attempt.startedAt,
        duration_ms: attempt.durationMs,
        status: attempt.status,
        error: attempt.error,
        response: attempt.response,
      })
      .execute();
  }

  async attemptsOf(spaceId: string, outboxId: string): Promise<DeliveryAttempt[]> {
    const rows = await this.db
      .selectFrom("delivery_attempts")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("outbox_id", "=", outboxId)
      .orderBy("attempt")
      .execute();
    return rows.map((row) => ({
      outboxId: row.outbox_id,
      attempt: row.attempt,
      spaceId: row.space_id,
      startedAt: toMillis(row.started_at),
      durationMs: row.duration_ms,
      status: row.status,
      error: row.error,
      response: row.response,
    }));
  }
}

function toRow(e: OutboxEntry): OutboxTable {
  return {
    id: e.id,
    space_id: e.spaceId,
    target_kind: e.targetKind,
    target_name: e.targetName,
    event_type: e.eventType,
    petition_name: e.petitionName,
    grant_id: e.grantId,
    body: e.body,
    status: e.status,
    attempts: e.attempts,
    next_attempt_at: e.nextAttemptAt,
    lease_until: e.leaseUntil,
    last_attempt_at: e.lastAttemptAt,
    last_status: e.lastStatus,
    last_error: e.lastError,
    created_at: e.createdAt,
    delivered_at: e.deliveredAt,
  };
}

function toEntry(row: OutboxTable): OutboxEntry {
  return {
    id: row.id,
    spaceId: row.space_id,
    targetKind: row.target_kind as TargetKind,
    targetName: row.target_name,
    eventType: row.event_type,
    petitionName: row.petition_name,
    grantId: row.grant_id,
    body: row.body,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    nextAttemptAt: toMillisOrNull(row.next_attempt_at),
    leaseUntil: toMillisOrNull(row.lease_until),
    lastAttemptAt: toMillisOrNull(row.last_attempt_at),
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: toMillis(row.created_at),
    deliveredAt: toMillisOrNull(row.delivered_at),
  };
}
