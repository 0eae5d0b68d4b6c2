import { classifyAnswer, nextAttemptDelay, type AttemptOutcome, type GrantProvisioning } from "../domain/delivery.js";
import type { Subscription } from "../domain/subscription.js";
import { headerValues, type Webhook } from "../domain/webhook.js";
import { indentSigningHeaders } from "../integrations/indent/signature.js";
import { readBody } from "../integrations/outbound/read-body.js";
import { standardWebhookHeaders } from "../integrations/standard-webhooks/signature.js";
import type { OutboxEntry, TargetKind } from "../store/repositories/outbox.js";
import type { Tx } from "../store/store.js";
import type { Services } from "./context.js";
import { forgetDeliveryTargets } from "./enqueue-deliveries.js";

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

type Receiver = { kind: "webhook"; target: Webhook } | { kind: "subscription"; target: Subscription };

export class DeliveryWorker {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly perReceiver = new Map<string, number>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly services: Services,
    private readonly settings: DeliverySettings,
    /** Called when a delivery finishes, so the job looks at the queue again. */
    private readonly onSettled: () => void,
  ) {}

  /** Starts what is due and has room; returns how long until it should look again. */
  async run(): Promise<number> {
    const { services, settings } = this;
    const free = settings.concurrency - this.inFlight.size;
    if (free <= 0) return settings.pollMs;
    const now = services.clock.now();
    const started = await services.store.transaction(async (tx) => {
      const picked: OutboxEntry[] = [];
      const counts = new Map(this.perReceiver);
      for (const entry of await tx.outbox.due(now, free * 4)) {
        if (picked.length >= free || this.inFlight.has(entry.id)) continue;
        const key = receiverKey(entry);
        if ((counts.get(key) ?? 0) >= settings.perReceiver) continue;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        picked.push(entry);
      }
      await tx.outbox.lease(
        picked.map((e) => e.id),
        now + settings.timeoutMs + 30_000,
      );
      return picked;
    });
    for (const entry of started) this.start(entry);
    if (started.length === free) return 0;
    const next = await services.store.read.outbox.nextDue();
    return next === undefined ? settings.pollMs : Math.max(0, Math.min(settings.pollMs, next - services.clock.now()));
  }

  /** Stops sending: attempts in flight are cut off and tried again after the next start. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  get busy(): number {
    return this.inFlight.size;
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
        this.inFlight.delete(entry.id);
        const count = (this.perReceiver.get(key) ?? 1) - 1;
        if (count <= 0) this.perReceiver.delete(key);
        else this.perReceiver.set(key, count);
        this.onSettled();
      });
    this.inFlight.set(entry.id, running);
  }

  private async deliver(entry: OutboxEntry): Promise<void> {
    const { services } = this;
    const receiver = await loadReceiver(services, entry);
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
    const request = requestFor(receiver, entry, attempt, new Date(startedAt));
    let outcome: AttemptOutcome;
    let status: number | null = null;
    let answer = "";
    const clock = performance.now();
    try {
      const response = await services.outbound.fetch(receiver.target.url, {
        method: request.method,
        headers: request.headers,
        body: entry.body,
        redirect: "manual",
        signal: AbortSignal.any([AbortSignal.timeout(this.settings.timeoutMs), this.stopping.signal]),
      });
      status = response.status;
      answer = (await readBody(response, MAX_ANSWER_BYTES)).text;
      outcome = classifyAnswer(
        status,
        answer,
        receiver.kind === "webhook" ? "indent" : "standard",
        response.headers.get("retry-after"),
        services.clock.now(),
      );
    } catch (error) {
      if (this.stopping.signal.aborted) return; // the lease runs out; the next start sends it again
      outcome = { kind: "retry", reason: describeFailure(error, this.settings.timeoutMs) };
    }
    await this.record(entry, receiver, startedAt, Math.round(performance.now() - clock), outcome, status, answer);
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
  ): Promise<void> {
    const { services, settings } = this;
    const now = services.clock.now();
    const attempt = entry.attempts + 1;
    const next: OutboxEntry = { ...entry, attempts: attempt, lastAttemptAt: startedAt, lastStatus: status, leaseUntil: null };
    if (outcome.kind === "delivered") {
      Object.assign(next, { status: "delivered", deliveredAt: now, nextAttemptAt: null, lastError: null });
    } else {
      const delay =
        outcome.kind === "gone" ? null : nextAttemptDelay(attempt, settings.schedule, outcome.retryAfterMs, settings.random ?? Math.random);
      Object.assign(next, delay === null ? { status: "failed", nextAttemptAt: null } : { status: "pending", nextAttemptAt: now + delay });
      next.lastError = outcome.reason;
    }
    await services.store.transaction(async (tx) => {
      const current = await tx.outbox.get(entry.spaceId, entry.id);
      // Redelivered or given up meanwhile (an admin, a deleted receiver): what they did stands.
      if (!current || current.status !== "pending") return;
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
      await tx.outbox.update(next);
      if (receiver) await recordHealth(tx, receiver, now, outcome.kind === "delivered" ? null : outcome.reason);
      if (outcome.kind === "gone" && receiver && receiver.target.disabledAt === null) {
        await disableReceiver(tx, services, receiver, outcome.reason, now);
      }
      if (next.grantId !== null) await settleGrant(tx, entry.spaceId, next.grantId, next.eventType);
    });
  }
}

function receiverKey(entry: Pick<OutboxEntry, "spaceId" | "targetKind" | "targetName">): string {
  return `${entry.spaceId}\u0000${entry.targetKind}\u0000${entry.targetName}`;
}

async function loadReceiver(services: Services, entry: OutboxEntry): Promise<Receiver | undefined> {
  if (entry.targetKind === "webhook") {
    const target = await services.store.read.webhooks.get(entry.spaceId, entry.targetName);
    return target && { kind: "webhook", target };
  }
  const target = await services.store.read.subscriptions.get(entry.spaceId, entry.targetName);
  return target && { kind: "subscription", target };
}

function requestFor(
  receiver: Receiver,
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
  const { spaceId, name } = receiver.target;
  if (receiver.kind === "webhook") await tx.webhooks.recordOutcome(spaceId, name, { at, error });
  else await tx.subscriptions.recordOutcome(spaceId, name, { at, error });
}

async function disableReceiver(tx: Tx, services: Services, receiver: Receiver, reason: string, at: number): Promise<void> {
  const { spaceId, name } = receiver.target;
  if (receiver.kind === "webhook") await tx.webhooks.disable(spaceId, name, reason, at);
  else await tx.subscriptions.disable(spaceId, name, reason, at);
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
  const grant = await tx.grants.get(spaceId, grantId);
  if (!grant) return;
  const { pending, failed } = await tx.outbox.undeliveredFor(grantId, eventType);
  if (pending > 0) return;
  let next: GrantProvisioning | undefined;
  if (eventType === "access/grant" && (grant.provisioning === "applying" || grant.provisioning === "apply_failed")) {
    next = failed > 0 ? "apply_failed" : "applied";
  }
  if (eventType === "access/revoke" && (grant.provisioning === "revoking" || grant.provisioning === "revoke_failed")) {
    next = failed > 0 ? "revoke_failed" : "revoked";
  }
  if (next !== undefined && next !== grant.provisioning) await tx.grants.setProvisioning(spaceId, [grantId], next);
}
