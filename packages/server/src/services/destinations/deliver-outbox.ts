import { newId } from "../../domain/ids.js";
import type { Resource } from "../../domain/resource.js";
import { audit, auditTarget, type AuditOrigin } from "../audit/audit.js";
import { classifyAnswer, nextAttemptDelay, type AttemptOutcome } from "../../domain/delivery.js";
import { headerValues } from "../../domain/webhook.js";
import { indentSigningHeaders } from "../../integrations/indent/signature.js";
import { standardWebhookHeaders } from "../../integrations/standard-webhooks/signature.js";
import type { OutboxEntry, ReceiverRef, TargetKind } from "../../store/repositories/outbox.js";
import type { Tx } from "../../store/store.js";
import type { Services } from "../runtime/context.js";
import { loadReceiver, type Receiver } from "./delivery-receivers.js";
import { RECEIVERS } from "./receivers.js";
import { forgetDeliveryTargets } from "./enqueue-deliveries.js";
import { performSlackOperation } from "../slack/slack-operations.js";

/**
 * Sends what the outbox holds. Deliveries run concurrently, a few at a time per receiver and
 * more in all, so one slow or failing receiver holds up only its own deliveries. Each is
 * leased while it is sent; its result is recorded in one transaction with the attempt's log
 * line, the receiver's health, and what it means for the grant it reports (applied, revoked,
 * or failed). A receiver acknowledges with a 2xx (and, for an Indent integration, no non-zero
 * `status.code`); anything else is tried again on the retry schedule, redirects are never
 * followed, and a 410 turns the receiver off.
 */
export interface DeliverySettings {
  /** Waits between attempts; once used up, a delivery has failed. */
  schedule: readonly number[];
  /** One attempt, the receiver's answer included. */
  timeoutMs: number;
  /** Deliveries in flight at once, in all and per receiver. */
  concurrency: number;
  perReceiver: number;
  /** How often the queue is looked at when nothing is due sooner. */
  pollMs: number;
  random?: () => number;
}

const MAX_ANSWER_BYTES = 64 * 1024;
const LOGGED_ANSWER_CHARS = 1000;

export class DeliveryWorker {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly perReceiver = new Map<string, number>();
  private readonly stopping = new AbortController();
  private sweptAt = 0;
  private picking: Promise<unknown> = Promise.resolve();
  /** Picks queued or under way (see `isIdle`). */
  private picks = 0;
  /** The receivers the last general look left out, being busy. */
  private passedOver = new Set<string>();
  private readonly lastSuccessWritten = new Map<string, number>();

  constructor(
    private readonly services: Services,
    private readonly settings: DeliverySettings,
    /**
     * Asks the job to look at the whole queue by `at`: a slot freed that others may be waiting
     * for, or a delivery will be due for another attempt then.
     */
    private readonly wake: (at: number) => void,
  ) {}

  /**
   * Called once before the first run. On SQLite this server is the only one on its database:
   * deliveries it was sending when it stopped are free again. Replicas on PostgreSQL share the
   * outbox, so there a lease left by a stopped server is taken over only once it has run out.
   */
  async releaseLeftLeases(): Promise<void> {
    const { store } = this.services;
    if (store.dialect.name === "sqlite") await store.transaction((tx) => tx.outbox.releaseLeases());
  }

  /**
   * Starts what is due and has room, for every receiver that is not already sending all it
   * may; returns how long until it should look again. A receiver at its limit is refilled as
   * each of its deliveries finishes (`refill`), from its own queue.
   */
  async run(): Promise<number> {
    const { services, settings } = this;
    return this.pick(async () => {
      const free = settings.concurrency - this.inFlight.size;
      if (free <= 0) return settings.pollMs; // each finished delivery wakes it
      const now = services.clock.now();
      if (now - this.sweptAt >= settings.pollMs) {
        this.sweptAt = now;
        if (await services.store.read.outbox.hasWaitingRevokes()) {
          await services.store.transaction((tx) => tx.outbox.releaseStrandedRevokes(now));
        }
      }
      const busy = this.busyReceivers();
      this.passedOver = new Set(busy.map(receiverKey));
      const due = await services.store.read.outbox.due(now, free * 2, busy);
      const picked: OutboxEntry[] = [];
      const counts = new Map(this.perReceiver);
      for (const entry of due) {
        if (picked.length >= free || this.inFlight.has(entry.id)) continue;
        const key = receiverKey(entry);
        if ((counts.get(key) ?? 0) >= settings.perReceiver) continue;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        picked.push(entry);
      }
      await this.leaseAndStart(picked, now);
      if (picked.length === free) return 0;
      const next = await services.store.read.outbox.nextDue(this.busyReceivers());
      return next === undefined ? settings.pollMs : Math.max(0, Math.min(settings.pollMs, next - services.clock.now()));
    });
  }

  /** After a delivery to a receiver finished: its next due ones, as many as it may send. */
  private refill(receiver: ReceiverRef): void {
    const { services, settings } = this;
    this.pick(async () => {
      if (this.stopping.signal.aborted) return;
      const room = Math.min(
        settings.perReceiver - (this.perReceiver.get(receiverKey(receiver)) ?? 0),
        settings.concurrency - this.inFlight.size,
      );
      if (room <= 0) return;
      const now = services.clock.now();
      const due = await services.store.read.outbox.dueFor(receiver, now, room);
      await this.leaseAndStart(
        due.filter((entry) => !this.inFlight.has(entry.id)),
        now,
      );
      // The general look passed over this receiver while it was busy, so its later deliveries
      // are not in the job's reckoning of when to look next: now that it has room, look again.
      const key = receiverKey(receiver);
      if (this.passedOver.has(key) && (this.perReceiver.get(key) ?? 0) < settings.perReceiver) {
        this.passedOver.delete(key);
        this.wake(now);
      }
    }).catch((error: unknown) => console.error("refilling deliveries failed", error));
  }

  private async leaseAndStart(entries: OutboxEntry[], now: number): Promise<void> {
    if (entries.length === 0) return;
    const until = now + this.settings.timeoutMs + 30_000;
    const leased = new Set(
      await this.services.store.transaction((tx) =>
        tx.outbox.lease(
          entries.map((e) => e.id),
          now,
          until,
        ),
      ),
    );
    for (const entry of entries) if (leased.has(entry.id)) this.start(entry);
  }

  /** Picking runs one at a time, so two never count the same free room. */
  private pick<T>(fn: () => Promise<T>): Promise<T> {
    this.picks += 1;
    const next = this.picking.then(fn, fn).finally(() => (this.picks -= 1));
    this.picking = next.catch(() => undefined);
    return next;
  }

  /** Whether nothing is being sent or picked. */
  isIdle(): boolean {
    return this.inFlight.size === 0 && this.picks === 0;
  }

  /** Resolves once nothing is being sent or picked (each delivery that ends may start more). */
  async whenIdle(): Promise<void> {
    while (!this.isIdle()) {
      await this.picking;
      await Promise.allSettled([...this.inFlight.values()]);
    }
  }

  /** Receivers sending all they may: the general look leaves them to `refill`. */
  private busyReceivers(): ReceiverRef[] {
    return [...this.perReceiver].flatMap(([key, count]) => {
      if (count < this.settings.perReceiver) return [];
      const [spaceId, targetKind, targetName] = key.split("\u0000") as [string, TargetKind, string];
      return [{ spaceId, targetKind, targetName }];
    });
  }

  /** Stops sending: attempts in flight are cut off and tried again after the next start. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  get busy(): number {
    return this.inFlight.size;
  }

  /**
   * Whether a receiver's health is worth writing: always after a failure, and after a success
   * unless one was written in the last second with no failure since (a burst of deliveries
   * to a healthy receiver would otherwise rewrite its row for each). The write is remembered
   * once its transaction commits: a transaction run again after a conflict writes it again.
   */
  private healthChanged(tx: Tx, receiver: Receiver, ok: boolean, now: number): boolean {
    const key = `${receiver.target.spaceId}\u0000${receiver.kind}\u0000${receiver.target.name}`;
    if (!ok) {
      this.lastSuccessWritten.delete(key);
      return true;
    }
    const last = this.lastSuccessWritten.get(key);
    if (last !== undefined && now - last < 1000 && now >= last) return false;
    tx.afterCommit(() => this.lastSuccessWritten.set(key, now));
    return true;
  }

  private start(entry: OutboxEntry): void {
    const key = receiverKey(entry);
    this.perReceiver.set(key, (this.perReceiver.get(key) ?? 0) + 1);
    const running = this.deliver(entry)
      .catch((error: unknown) => {
        // Recording the result failed (the database is unavailable): the lease runs out and it is tried again.
        console.error(`delivering ${entry.id} failed to record`, error);
      })
      .finally(() => {
        // With every slot taken, others may be waiting for this one: look at the whole queue.
        const wasFull = this.inFlight.size >= this.settings.concurrency;
        this.inFlight.delete(entry.id);
        const count = (this.perReceiver.get(key) ?? 1) - 1;
        if (count <= 0) this.perReceiver.delete(key);
        else this.perReceiver.set(key, count);
        this.refill(entry);
        if (wasFull) this.wake(this.services.clock.now());
      });
    this.inFlight.set(entry.id, running);
  }

  private async deliver(entry: OutboxEntry): Promise<void> {
    const { services } = this;
    const receiver = await loadReceiver(services.store, entry.spaceId, entry.targetKind, entry.targetName);
    const startedAt = services.clock.now();
    if (!receiver || receiver.target.disabledAt !== null) {
      await this.record(
        entry,
        receiver,
        startedAt,
        0,
        { kind: "gone", reason: receiver ? "the receiver is turned off" : "the receiver no longer exists" },
        null,
        "",
      );
      return;
    }
    const attempt = entry.attempts + 1;
    const signal = AbortSignal.any([AbortSignal.timeout(this.settings.timeoutMs), this.stopping.signal]);
    let outcome: AttemptOutcome;
    let status: number | null = null;
    let answer = "";
    const clock = performance.now();
    if (receiver.kind === "slack") {
      // Slack calls go through Slack's own client; what they do is `slack-operations.ts`'s.
      ({ outcome, status, answer } = await performSlackOperation(services, receiver.target.app, entry, {
        timeoutMs: this.settings.timeoutMs,
        signal: this.stopping.signal,
      }));
      if (this.stopping.signal.aborted) return;
      const retryAt = await this.record(entry, receiver, startedAt, Math.round(performance.now() - clock), outcome, status, answer);
      if (retryAt !== null) this.wake(retryAt);
      return;
    }
    const request = requestFor(receiver, entry, attempt, new Date(startedAt));
    try {
      const response = await services.outbound.fetch.send(receiver.target.url, {
        method: request.method,
        headers: request.headers,
        body: entry.body,
        signal,
      });
      status = response.status;
      answer = await response.read(MAX_ANSWER_BYTES);
      outcome = classifyAnswer(
        response.status,
        answer,
        receiver.kind === "webhook" ? "indent" : "standard",
        response.header("retry-after") ?? null,
        services.clock.now(),
      );
    } catch (error) {
      if (this.stopping.signal.aborted) return; // the lease runs out; the next start sends it again
      outcome = { kind: "retry", reason: describeFailure(error, this.settings.timeoutMs) };
    }
    const retryAt = await this.record(entry, receiver, startedAt, Math.round(performance.now() - clock), outcome, status, answer);
    if (retryAt !== null) this.wake(retryAt);
  }

  /** The attempt's result, in one transaction with what follows from it. */
  private async record(
    entry: OutboxEntry,
    receiver: Receiver | undefined,
    startedAt: number,
    durationMs: number,
    outcome: AttemptOutcome,
    status: number | null,
    answer: string,
  ): Promise<number | null> {
    const { services, settings } = this;
    const now = services.clock.now();
    const attempt = entry.attempts + 1;
    const next: OutboxEntry = { ...entry, attempts: attempt, lastAttemptAt: startedAt, lastStatus: status, leaseUntil: null };
    if (outcome.kind === "delivered") {
      Object.assign(next, { status: "delivered", deliveredAt: now, nextAttemptAt: null, lastError: null });
    } else {
      const delay =
        outcome.kind === "retry"
          ? nextAttemptDelay(attempt, settings.schedule, outcome.retryAfterMs, settings.random ?? Math.random)
          : null;
      Object.assign(next, delay === null ? { status: "failed", nextAttemptAt: null } : { status: "pending", nextAttemptAt: now + delay });
      next.lastError = outcome.reason;
    }
    return services.store.transaction(async (tx) => {
      // Given up meanwhile (a receiver turned off or deleted): that stands, and this attempt is not logged.
      if (!(await tx.outbox.update(next))) return null;
      await tx.outbox.insertAttempt({
        outboxId: entry.id,
        attempt,
        spaceId: entry.spaceId,
        startedAt,
        durationMs,
        status,
        error: outcome.kind === "delivered" ? null : outcome.reason,
        response: answer ? answer.slice(0, LOGGED_ANSWER_CHARS) : null,
      });
      if (next.eventType === "access/grant" && next.status !== "pending" && next.grantId !== null) {
        await tx.outbox.releaseRevokes(next.grantId, next.targetKind, next.targetName, now);
      }
      if (receiver && this.healthChanged(tx, receiver, outcome.kind === "delivered", now)) {
        await recordHealth(tx, receiver, now, outcome.kind === "delivered" ? null : outcome.reason);
      }
      if (outcome.kind === "gone" && receiver && receiver.target.disabledAt === null) {
        await disableReceiver(tx, services, receiver, outcome.reason, now);
      }
      if (next.status === "failed") {
        await audit(tx, deliveryOrigin(now), { id: entry.spaceId }, now, {
          event: "delivery/failed",
          resources: deliveryResources(next),
          reason: `${next.targetKind} "${next.targetName}" did not take it after ${attempt} attempts: ${outcome.kind === "delivered" ? "" : outcome.reason}`,
          labels: { "greenlight.dev/delivery/event": next.eventType },
        });
      }
      if (next.grantId !== null) await settleGrant(tx, entry.spaceId, next.grantId, next.eventType);
      return next.status === "pending" ? next.nextAttemptAt : null;
    });
  }
}

const DELIVERY_ACTOR = { type: "system", job: "delivery" } as const;

function deliveryOrigin(now: number): AuditOrigin {
  return { actor: DELIVERY_ACTOR, requestId: newId("req", now) };
}

/** What a delivery's events name: the delivery, its receiver, and the petition and grant it was about. */
export function deliveryResources(entry: OutboxEntry): Resource[] {
  const resources: Resource[] = [
    { ...auditTarget("delivery", entry.id), labels: { "greenlight.dev/receiver": `${entry.targetKind}/${entry.targetName}` } },
  ];
  if (entry.petitionName !== null) resources.push(auditTarget("petition", entry.petitionName));
  if (entry.grantId !== null) resources.push({ kind: "greenlight.v1.Grant", id: entry.grantId, labels: {} });
  return resources;
}

function receiverKey(entry: Pick<OutboxEntry, "spaceId" | "targetKind" | "targetName">): string {
  return `${entry.spaceId}\u0000${entry.targetKind}\u0000${entry.targetName}`;
}

function requestFor(
  receiver: Exclude<Receiver, { kind: "slack" }>,
  entry: OutboxEntry,
  attempt: number,
  now: Date,
): { method: string; headers: Record<string, string> } {
  const common = { "content-type": "application/json", "user-agent": "greenlight", "x-greenlight-attempt": String(attempt) };
  if (receiver.kind === "subscription") {
    return { method: "POST", headers: { ...common, ...standardWebhookHeaders(receiver.target.secret, entry.id, entry.body, now) } };
  }
  return {
    method: receiver.target.method,
    // The same id on every attempt, so an integration can drop a repeat.
    headers: {
      ...headerValues(receiver.target),
      ...common,
      "x-greenlight-delivery": entry.id,
      ...indentSigningHeaders(receiver.target.secret, entry.body, now),
    },
  };
}

function describeFailure(error: unknown, timeoutMs: number): string {
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError") return `no answer within ${timeoutMs} ms`;
  let cause: unknown = error;
  while (cause instanceof Error && cause.cause !== undefined) cause = cause.cause;
  return `could not be reached: ${cause instanceof Error ? cause.message : String(cause)}`;
}

async function recordHealth(tx: Tx, receiver: Receiver, at: number, error: string | null): Promise<void> {
  await RECEIVERS[receiver.kind].rows(tx).recordOutcome(receiver.target.spaceId, receiver.target.name, { at, error });
}

async function disableReceiver(tx: Tx, services: Services, receiver: Receiver, reason: string, at: number): Promise<void> {
  const { spaceId, name } = receiver.target;
  const kind = RECEIVERS[receiver.kind];
  if (!kind.switchable) return; // the Slack app is never "gone": an admin removes it.
  await kind.rows(tx).disable(spaceId, name, reason, at);
  await audit(tx, deliveryOrigin(at), { id: spaceId }, at, {
    event: `${kind.audit}/disabled`,
    resources: [auditTarget(kind.audit, name)],
    reason,
  });
  await giveUpDeliveries(
    tx,
    { store: services.store, space: { id: spaceId } },
    receiver.kind,
    name,
    `the receiver was turned off: ${reason}`,
  );
  tx.afterCommit(() => forgetDeliveryTargets(services.store, spaceId));
}

/**
 * Gives up what is pending for a receiver that was turned off or deleted, and settles the
 * grants those deliveries were for: an integration that will never acknowledge leaves the
 * grant failed, visibly, rather than pending for ever.
 */
export async function giveUpDeliveries(
  tx: Tx,
  ctx: { store: Services["store"]; space: { id: string } },
  kind: TargetKind,
  name: string,
  reason: string,
): Promise<void> {
  const given = await tx.outbox.failPendingFor(ctx.space.id, kind, name, reason);
  const grants = new Set(given.flatMap((e) => (e.grantId === null ? [] : [`${e.grantId}\u0000${e.eventType}`])));
  for (const key of grants) {
    const [grantId, eventType] = key.split("\u0000") as [string, string];
    await settleGrant(tx, ctx.space.id, grantId, eventType);
  }
}

/**
 * What a grant's provisioning is once a delivery of its start or end settled: applied (or
 * revoked) when every integration acknowledged, failed when one gave up, still waiting while
 * any is pending. A grant that ended meanwhile keeps its later state.
 */
export async function settleGrant(tx: Tx, spaceId: string, grantId: string, eventType: string): Promise<void> {
  if (eventType === "access/grant")
    await tx.grants.settleProvisioning(spaceId, grantId, eventType, ["applying", "apply_failed"], "applied", "apply_failed");
  if (eventType === "access/revoke")
    await tx.grants.settleProvisioning(spaceId, grantId, eventType, ["revoking", "revoke_failed"], "revoked", "revoke_failed");
}
