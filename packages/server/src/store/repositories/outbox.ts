import { sql, type Kysely } from "kysely";
import type { DeliveryStatus } from "../../domain/delivery.js";
import { toMillis, toMillisOrNull } from "../codec.js";
import { literalLimit } from "../limit.js";
import { prepare } from "../prepared.js";
import type { Database, OutboxTable } from "../schema.js";

export type TargetKind = "webhook" | "subscription";

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

  /** Due deliveries (pending, due, not leased), soonest first. */
  async due(now: number, limit: number): Promise<OutboxEntry[]> {
    const rows = await this.db
      .selectFrom("outbox")
      .selectAll()
      // Literal, as the partial index's condition: only then can the planner use it.
      .where(sql<boolean>`status = 'pending'`)
      .where("next_attempt_at", "<=", now)
      .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", now)]))
      .orderBy("next_attempt_at")
      .limit(literalLimit(limit))
      .execute();
    return rows.map(toEntry);
  }

  /** Takes deliveries for a sender until `until`; another sender leaves them alone meanwhile. */
  async lease(ids: string[], until: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable("outbox").set({ lease_until: until }).where("id", "in", ids).execute();
  }

  /** When the next pending delivery is due (a leased one once its lease runs out), from the soonest few. */
  async nextDue(): Promise<number | undefined> {
    const rows = await this.db
      .selectFrom("outbox")
      .select(["next_attempt_at", "lease_until"])
      .where(sql<boolean>`status = 'pending'`)
      .orderBy("next_attempt_at")
      .limit(literalLimit(64))
      .execute();
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

  /** Sends a delivery again now (an admin asked): pending, due, with the attempts it had. */
  async redeliver(spaceId: string, id: string, now: number): Promise<void> {
    await this.db
      .updateTable("outbox")
      .set({ status: "pending", next_attempt_at: now, lease_until: null })
      .where("space_id", "=", spaceId)
      .where("id", "=", id)
      .execute();
  }

  /** Records the result of an attempt, and releases the lease. */
  async update(entry: OutboxEntry): Promise<void> {
    await this.db
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
      .execute();
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

  /** How many deliveries of a grant's event are not delivered yet (pending, failed or cancelled). */
  async undeliveredFor(grantId: string, eventType: string): Promise<{ pending: number; failed: number }> {
    const rows = await this.db
      .selectFrom("outbox")
      .select(["status", sql<number>`count(*)`.as("n")])
      .where("grant_id", "=", grantId)
      .where("event_type", "=", eventType)
      .where("status", "!=", "delivered")
      .groupBy("status")
      .execute();
    let pending = 0;
    let failed = 0;
    for (const row of rows) {
      if (row.status === "pending") pending += Number(row.n);
      // A cancelled dry run never counts against a grant; one cancelled by a 410 does.
      else if (row.status === "failed") failed += Number(row.n);
    }
    return { pending, failed };
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
