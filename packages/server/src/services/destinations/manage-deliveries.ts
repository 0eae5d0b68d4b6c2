import { audit } from "../audit/audit.js";
import { deliveryResources } from "./deliver-outbox.js";
import { requirePermission } from "../../domain/access.js";
import { DomainError, invalidArgument, notFound } from "../../domain/errors.js";
import type { DeliveryStatus } from "../../domain/delivery.js";
import type { DeliveryAttempt, OutboxEntry, TargetKind } from "../../store/repositories/outbox.js";
import type { Context } from "../runtime/context.js";
import { RECEIVERS } from "./receivers.js";
import type { DeliveriesQuery, DeliveryOut } from "../../contract/deliveries.js";

/**
 * The delivery log of a receiver (a webhook, a subscription or the Slack app): every event it was sent or is
 * to be sent, how each attempt went, and manual redelivery of one that failed.
 */
const STATUSES: readonly DeliveryStatus[] = ["pending", "delivered", "failed", "cancelled"];
const PAGE = { default: 50, max: 100 };

function toWire(e: OutboxEntry, attempts?: DeliveryAttempt[]): DeliveryOut {
  const out: DeliveryOut = {
    id: e.id,
    receiver: { kind: e.targetKind, name: e.targetName },
    event: e.eventType,
    status: e.status,
    attempts: e.attempts,
    createTime: new Date(e.createdAt).toISOString(),
  };
  if (e.petitionName !== null) out.petition = e.petitionName;
  if (e.grantId !== null) out.grant = e.grantId;
  if (e.status === "pending" && e.nextAttemptAt !== null) out.nextAttemptTime = new Date(e.nextAttemptAt).toISOString();
  if (e.status === "pending" && e.nextAttemptAt === null) out.waitingFor = "access/grant";
  if (e.lastAttemptAt !== null) out.lastAttemptTime = new Date(e.lastAttemptAt).toISOString();
  if (e.lastStatus !== null) out.lastStatus = e.lastStatus;
  if (e.lastError !== null) out.lastError = e.lastError;
  if (e.deliveredAt !== null) out.deliveredTime = new Date(e.deliveredAt).toISOString();
  if (attempts) {
    out.body = JSON.parse(e.body) as unknown;
    out.attemptLog = attempts.map((a) => ({
      attempt: a.attempt,
      time: new Date(a.startedAt).toISOString(),
      durationMs: a.durationMs,
      ...(a.status === null ? {} : { status: a.status }),
      ...(a.error === null ? {} : { error: a.error }),
      ...(a.response === null ? {} : { response: a.response }),
    }));
  }
  return out;
}

async function checkReceiver(ctx: Context, kind: TargetKind, name: string): Promise<void> {
  if (!(await RECEIVERS[kind].rows(ctx.store.read).get(ctx.space.id, name)))
    throw notFound(`space "${ctx.space.name}" has no ${RECEIVERS[kind].noun} "${name}"`);
}

export async function listDeliveries({
  ctx,
  kind,
  name,
  query,
}: {
  ctx: Context;
  kind: TargetKind;
  name: string;
  query: DeliveriesQuery;
}): Promise<{ deliveries: DeliveryOut[]; nextPageToken: string }> {
  requirePermission(ctx.access, "space.admin", "reading delivery logs");
  await checkReceiver(ctx, kind, name);
  const { status, limit, before } = pageOf(query);
  const rows = await ctx.store.read.outbox.listForTarget(ctx.space.id, kind, name, { ...status, ...before, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return { deliveries: page.map((e) => toWire(e)), nextPageToken: rows.length > limit ? page.at(-1)!.id : "" };
}

/** Every delivery about one petition, to any receiver (webhooks, subscriptions, Slack), newest first. */
export async function listPetitionDeliveries({
  ctx,
  query,
}: {
  ctx: Context;
  query: { petition?: string; status?: string; pageSize?: number; pageToken?: string };
}): Promise<{ deliveries: DeliveryOut[]; nextPageToken: string }> {
  requirePermission(ctx.access, "space.admin", "reading delivery logs");
  if (!query.petition) throw invalidArgument("petition is required: the name of the petition whose deliveries to list (pet_…)", "petition");
  const { status, limit, before } = pageOf(query);
  const rows = await ctx.store.read.outbox.listForPetition(ctx.space.id, query.petition, { ...status, ...before, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return { deliveries: page.map((e) => toWire(e)), nextPageToken: rows.length > limit ? page.at(-1)!.id : "" };
}

function pageOf(query: { status?: string; pageSize?: number; pageToken?: string }) {
  const status = query.status ? (query.status as DeliveryStatus) : undefined;
  if (status !== undefined && !STATUSES.includes(status)) {
    throw invalidArgument(`status must be one of ${STATUSES.join(", ")}; got ${JSON.stringify(query.status)}`, "status");
  }
  const limit = Math.min(Math.max(query.pageSize || PAGE.default, 1), PAGE.max);
  if (query.pageToken !== undefined && query.pageToken !== "" && !/^msg_[0-9a-z]{26}$/.test(query.pageToken)) {
    throw invalidArgument("pageToken is not one this server gave; start again without it", "pageToken");
  }
  return { status: status ? { status } : {}, limit, before: query.pageToken ? { before: query.pageToken } : {} };
}

/** One delivery of one receiver. */
interface DeliveryOf {
  ctx: Context;
  kind: TargetKind;
  name: string;
  id: string;
}

export async function getDelivery({ ctx, kind, name, id }: DeliveryOf): Promise<DeliveryOut> {
  requirePermission(ctx.access, "space.admin", "reading delivery logs");
  const entry = await load(ctx, kind, name, id);
  return toWire(entry, await ctx.store.read.outbox.attemptsOf(ctx.space.id, id));
}

/** Sends a delivery again now: one that failed, or one still waiting for its next attempt. */
export async function redeliver({ ctx, kind, name, id }: DeliveryOf): Promise<DeliveryOut> {
  requirePermission(ctx.access, "space.admin", "redelivering events");
  return ctx.store.transaction(async (tx) => {
    const entry = await tx.outbox.get(ctx.space.id, id);
    if (!entry || entry.targetKind !== kind || entry.targetName !== name) throw missingDelivery(ctx, name, id);
    if (entry.status === "delivered") throw new DomainError("CONFLICT", `delivery ${id} was delivered already; nothing to send again`);
    const receiver = await RECEIVERS[kind].rows(tx).get(ctx.space.id, name);
    if (!receiver) throw missingDelivery(ctx, name, id);
    if (receiver.disabledAt != null) {
      throw new DomainError(
        "CONFLICT",
        `"${name}" is turned off (${receiver.disabledReason ?? "disabled"}); turn it on with PATCH {"disabled": false} first`,
      );
    }
    if (receiver.dryRun) {
      throw new DomainError("CONFLICT", `webhook "${name}" is a dry run: nothing is sent to it; PATCH {"dryRun": false} to send`);
    }
    if (entry.eventType === "access/grant" && entry.grantId !== null) {
      const grant = await tx.grants.get(ctx.space.id, entry.grantId);
      if (grant && grant.status !== "active") {
        throw new DomainError("CONFLICT", `the grant of delivery ${id} has ended; sending its start now would give the access back`);
      }
    }
    if (entry.eventType === "access/revoke" && entry.grantId !== null && (await tx.outbox.hasPendingStart(entry.grantId, kind, name))) {
      throw new DomainError("CONFLICT", `delivery ${id} waits for its grant's start to be delivered first; redeliver that one`);
    }
    const now = ctx.clock.now();
    await tx.outbox.redeliver(ctx.space.id, id, now);
    await audit(tx, ctx, ctx.space, now, { event: "delivery/redelivered", resources: deliveryResources(entry) });
    // A grant whose end had failed to be acknowledged is waiting for it again.
    if (entry.grantId !== null && entry.status === "failed") {
      const grant = await tx.grants.get(ctx.space.id, entry.grantId);
      if (grant?.provisioning === "revoke_failed") await tx.grants.setProvisioning(ctx.space.id, [grant.id], "revoking");
      if (grant?.provisioning === "apply_failed") await tx.grants.setProvisioning(ctx.space.id, [grant.id], "applying");
    }
    tx.afterCommit(() => ctx.notifier.deliveriesQueued());
    return toWire({ ...entry, status: "pending", nextAttemptAt: now, leaseUntil: null });
  });
}

async function load(ctx: Context, kind: TargetKind, name: string, id: string): Promise<OutboxEntry> {
  const entry = await ctx.store.read.outbox.get(ctx.space.id, id);
  if (!entry || entry.targetKind !== kind || entry.targetName !== name) throw missingDelivery(ctx, name, id);
  return entry;
}

function missingDelivery(ctx: Context, name: string, id: string): DomainError {
  return notFound(`"${name}" in space "${ctx.space.name}" has no delivery ${id}`);
}
