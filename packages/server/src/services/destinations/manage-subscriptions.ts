import type { Resource } from "../../domain/resource.js";
import { audit, auditTarget } from "../audit/audit.js";
import { requirePermission } from "../../domain/access.js";
import { DomainError, invalidArgument, notFound } from "../../domain/errors.js";
import { GROUP_NAME } from "../../domain/roles.js";
import { checkEventTypes, checkSubscriptionSecret, newSubscriptionSecret, type Subscription } from "../../domain/subscription.js";
import { checkDestination, checkDestinationSecrets } from "./check-destination.js";
import type { Context } from "../runtime/context.js";
import { wireDisabled, wireHealth } from "./receiver-health.js";
import { giveUpDeliveries } from "./deliver-outbox.js";
import { forgetDeliveryTargets } from "./enqueue-deliveries.js";
import { paginate, type PageRequest } from "../runtime/paginate.js";

/** An event subscription as the API shows it: its secret only in the answer that set it. */
export interface WireSubscription {
  name: string;
  description: string;
  url: string;
  eventTypes: string[];
  secret?: string;
  secretHint: string;
  disabled: boolean;
  disabledReason?: string;
  disabledTime?: string;
  createTime: string;
  updateTime: string;
  lastSuccessTime?: string;
  lastError?: string;
  lastErrorTime?: string;
}

export interface SubscriptionInput {
  name?: string;
  description?: string;
  url?: string;
  eventTypes?: string[];
  secret?: string;
  /** False turns a subscription that a receiver disabled (410) back on; true turns it off. */
  disabled?: boolean;
}

function toWire(s: Subscription, showSecret = false): WireSubscription {
  const out: WireSubscription = {
    name: s.name,
    description: s.description,
    url: s.url,
    eventTypes: s.eventTypes,
    secretHint: `whsec_…${s.secret.slice(-4)}`,
    createTime: new Date(s.createdAt).toISOString(),
    updateTime: new Date(s.updatedAt).toISOString(),
    ...wireDisabled(s),
    ...wireHealth(s),
  };
  if (showSecret) out.secret = s.secret;
  return out;
}

export async function listSubscriptions({ ctx, query }: { ctx: Context; query: PageRequest }) {
  requirePermission(ctx.access, "space.admin", "reading event subscriptions");
  const page = await paginate(
    query,
    ["subscriptions"],
    (after, limit) => ctx.store.read.subscriptions.list(ctx.space.id, { after, limit }),
    (s) => s.name,
  );
  return { subscriptions: page.items.map((s) => toWire(s)), nextPageToken: page.nextPageToken };
}

export async function getSubscription({ ctx, name }: { ctx: Context; name: string }): Promise<WireSubscription> {
  requirePermission(ctx.access, "space.admin", "reading event subscriptions");
  const found = await ctx.store.read.subscriptions.get(ctx.space.id, name);
  if (!found) throw missing(ctx, name);
  return toWire(found);
}

export async function createSubscription({ ctx, input }: { ctx: Context; input: SubscriptionInput }): Promise<WireSubscription> {
  requirePermission(ctx.access, "space.admin", "changing event subscriptions");
  const name = input.name ?? "";
  if (!GROUP_NAME.test(name)) {
    throw invalidArgument(
      'subscription.name must be 1 to 63 lower-case letters, digits, ".", "_" or "-", such as "audit-sink"',
      "subscription.name",
    );
  }
  if (!input.url) throw invalidArgument("subscription.url is required: where events are sent", "subscription.url");
  const now = ctx.clock.now();
  const subscription: Subscription = {
    spaceId: ctx.space.id,
    name,
    description: input.description ?? "",
    url: checkDestination(input.url, "subscription.url", ctx.outbound.allow),
    secret: input.secret ? checkSubscriptionSecret(input.secret, "subscription.secret") : newSubscriptionSecret(),
    eventTypes: checkEventTypes(input.eventTypes, "subscription.eventTypes"),
    disabledAt: input.disabled ? now : null,
    disabledReason: input.disabled ? "turned off by an admin" : null,
    createdAt: now,
    updatedAt: now,
    lastSuccessAt: null,
    lastError: null,
    lastErrorAt: null,
  };
  return ctx.store.transaction(async (tx) => {
    if (await tx.subscriptions.get(ctx.space.id, name))
      throw new DomainError("CONFLICT", `subscription "${name}" already exists; change it with PATCH`);
    await tx.subscriptions.insert(subscription);
    await audit(tx, ctx, ctx.space, now, { event: "subscription/created", resources: [subscriptionRef(subscription)] });
    tx.afterCommit(() => forgetDeliveryTargets(ctx.store, ctx.space.id));
    return toWire(subscription, true);
  });
}

export async function updateSubscription({
  ctx,
  name,
  input,
}: {
  ctx: Context;
  name: string;
  input: SubscriptionInput;
}): Promise<WireSubscription> {
  requirePermission(ctx.access, "space.admin", "changing event subscriptions");
  return ctx.store.transaction(async (tx) => {
    const current = await tx.subscriptions.get(ctx.space.id, name);
    if (!current) throw missing(ctx, name);
    const now = ctx.clock.now();
    const next: Subscription = {
      ...current,
      description: input.description ?? current.description,
      url: input.url ? checkDestination(input.url, "subscription.url", ctx.outbound.allow) : current.url,
      secret: input.secret ? checkSubscriptionSecret(input.secret, "subscription.secret") : current.secret,
      eventTypes: input.eventTypes ? checkEventTypes(input.eventTypes, "subscription.eventTypes") : current.eventTypes,
      disabledAt: input.disabled === undefined ? current.disabledAt : input.disabled ? (current.disabledAt ?? now) : null,
      disabledReason:
        input.disabled === undefined
          ? current.disabledReason
          : input.disabled
            ? (current.disabledReason ?? "turned off by an admin")
            : null,
      updatedAt: now,
    };
    const labels = checkDestinationSecrets({ field: "subscription.url", from: current.url, to: next.url }, [
      { field: "subscription.secret", given: Boolean(input.secret) },
    ]);
    await tx.subscriptions.update(next);
    await audit(tx, ctx, ctx.space, now, { event: "subscription/updated", resources: [subscriptionRef(next)], labels });
    if (next.disabledAt !== null && current.disabledAt === null)
      await giveUpDeliveries(tx, ctx, "subscription", name, "the subscription was turned off");
    tx.afterCommit(() => forgetDeliveryTargets(ctx.store, ctx.space.id));
    return toWire(next, Boolean(input.secret));
  });
}

export async function deleteSubscription({ ctx, name }: { ctx: Context; name: string }): Promise<void> {
  requirePermission(ctx.access, "space.admin", "changing event subscriptions");
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.subscriptions.delete(ctx.space.id, name))) throw missing(ctx, name);
    await audit(tx, ctx, ctx.space, ctx.clock.now(), { event: "subscription/deleted", resources: [auditTarget("subscription", name)] });
    await giveUpDeliveries(tx, ctx, "subscription", name, "the subscription was deleted");
    tx.afterCommit(() => forgetDeliveryTargets(ctx.store, ctx.space.id));
  });
}

function subscriptionRef(subscription: Subscription): Resource {
  return {
    ...auditTarget("subscription", subscription.name),
    labels: {
      "greenlight.dev/event-types": subscription.eventTypes.join(","),
      ...(subscription.disabledAt !== null ? { "greenlight.dev/disabled": "true" } : {}),
    },
  };
}

function missing(ctx: Context, name: string): DomainError {
  return notFound(`space "${ctx.space.name}" has no event subscription "${name}"`);
}
