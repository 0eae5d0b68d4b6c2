import { newId } from "../../domain/ids.js";
import type { Grant, Petition, PetitionEvent } from "../../domain/petition.js";
import { glob, type Glob } from "../../domain/policy.js";
import type { Resource } from "../../domain/resource.js";
import { subscribesTo, type EventType } from "../../domain/subscription.js";
import { toWireEvent, toWireGrant, toWireResource } from "../../domain/wire.js";
import type { OutboxEntry } from "../../store/repositories/outbox.js";
import type { SlackSettings } from "../../store/repositories/slack-apps.js";
import type { Store, Tx } from "../../store/store.js";
import { forgetReceivers } from "./delivery-receivers.js";
import type { Notifier } from "../runtime/notifier.js";

/**
 * Writes deliveries to the outbox, in the transaction of the change they report: grant and
 * revoke events for the Indent apply webhooks that handle the resource's kind, and petition and
 * grant events for the subscriptions that want them. Nothing is sent here; the delivery job
 * sends what committed, so a change and its deliveries are never one without the other.
 */

interface Targets {
  apply: Array<{ name: string; kinds: Glob[] | null; dryRun: boolean }>;
  subscriptions: Array<{ name: string; eventTypes: string[] }>;
  /** The Slack app's routing settings; null when the space has none. */
  slack: SlackSettings | null;
  until: number;
}

/** The receivers of a space, remembered for a moment (read on every grant and petition change). */
const REMEMBER_MS = 1000;
const known = new WeakMap<Store, Map<string, Targets>>();

async function targetsOf(env: DeliveryEnv, tx: Tx, spaceId: string): Promise<Targets> {
  let bySpace = known.get(env.store.base);
  if (!bySpace) {
    bySpace = new Map();
    known.set(env.store.base, bySpace);
  }
  const cached = bySpace.get(spaceId);
  if (cached && cached.until > env.now) return cached;
  const [webhooks, subscriptions, slack] = await Promise.all([
    tx.webhooks.listTargets(spaceId),
    tx.subscriptions.listTargets(spaceId),
    tx.slackApps.settingsOf(spaceId),
  ]);
  const targets: Targets = {
    apply: webhooks.flatMap((webhook) => {
      const handler = webhook.handlers.find((h) => h.type === "applyUpdate");
      if (!handler || webhook.disabledAt !== null) return [];
      return [
        {
          name: webhook.name,
          kinds: handler.resourceKinds.length > 0 ? handler.resourceKinds.map((kind) => glob(kind)) : null,
          dryRun: webhook.dryRun,
        },
      ];
    }),
    subscriptions: subscriptions.filter((s) => s.disabledAt === null).map((s) => ({ name: s.name, eventTypes: s.eventTypes })),
    slack: slack ?? null,
    until: env.now + REMEMBER_MS,
  };
  bySpace.set(spaceId, targets);
  return targets;
}

/** Where the space's Slack app asks for review and when it reminds, or null without one. */
export async function slackSettingsOf(env: DeliveryEnv, tx: Tx, spaceId: string): Promise<SlackSettings | null> {
  return (await targetsOf(env, tx, spaceId)).slack;
}

/** Forgets a space's receivers, as when one was added, changed or removed here. */
export function forgetDeliveryTargets(store: Store, spaceId: string): void {
  known.get(store.base)?.delete(spaceId);
  forgetReceivers(store, spaceId);
}

export interface DeliveryEnv {
  store: Store;
  notifier: Notifier;
  now: number;
}

/** The apply webhooks that take grants of this resource (dry runs included: they are logged, not sent). */
async function applyTargetsFor(env: DeliveryEnv, tx: Tx, spaceId: string, resource: Resource) {
  const { apply } = await targetsOf(env, tx, spaceId);
  return apply.filter((target) => target.kinds === null || target.kinds.some((kind) => kind.test(resource.kind)));
}

/** Whether any live (not dry-run) apply webhook takes grants of this resource: then it must acknowledge them. */
export async function isProvisioned(env: DeliveryEnv, tx: Tx, spaceId: string, resource: Resource): Promise<boolean> {
  return (await applyTargetsFor(env, tx, spaceId, resource)).some((target) => !target.dryRun);
}

/**
 * Indent's ApplyUpdate for each grant: `{events: [trigger, access/request, access/approve…]}`,
 * the trigger (`access/grant` or `access/revoke`) naming exactly [petitioner, target], the
 * petition's request and approvals as context. One delivery per grant and webhook.
 */
export async function enqueueApply(
  tx: Tx,
  env: DeliveryEnv,
  petition: Petition,
  changes: Array<{ grant: Grant; trigger: PetitionEvent }>,
  history: () => Promise<PetitionEvent[]>,
): Promise<void> {
  const entries: OutboxEntry[] = [];
  let contextEvents: unknown[] | undefined;
  for (const { grant, trigger } of changes) {
    const targets = await applyTargetsFor(env, tx, petition.spaceId, grant.resource);
    if (targets.length > 0 && contextEvents === undefined) {
      contextEvents = (await history()).filter((e) => e.event === "access/request" || e.event === "access/approve").map(toWireEvent);
    }
    for (const target of targets) {
      const body = JSON.stringify({ events: [toWireEvent(trigger), ...(contextEvents ?? [])] });
      const delivery = entry(env, petition, "webhook", target.name, trigger.event, body, grant.id, target.dryRun);
      // An end waits for its start to be delivered (see `OutboxRepository.hasPendingStart`).
      if (trigger.event === "access/revoke" && !target.dryRun && (await tx.outbox.hasPendingStart(grant.id, "webhook", target.name))) {
        delivery.nextAttemptAt = null;
      }
      entries.push(delivery);
    }
  }
  await write(tx, env, entries);
}

/** Whether any subscription wants this type of event (so callers need not build its payload). */
export async function isSubscribed(env: DeliveryEnv, tx: Tx, spaceId: string, type: EventType): Promise<boolean> {
  return (await targetsOf(env, tx, spaceId)).subscriptions.some((s) => subscribesTo(s, type));
}

/** A Standard Webhooks event (`{type, timestamp, data}`) for every subscription that wants it. */
export async function enqueueEvent(
  tx: Tx,
  env: DeliveryEnv,
  petition: Petition,
  type: EventType,
  details: { event?: PetitionEvent; grant?: Grant },
): Promise<void> {
  const subscriptions = (await targetsOf(env, tx, petition.spaceId)).subscriptions.filter((s) => subscribesTo(s, type));
  if (subscriptions.length === 0) return;
  const data: Record<string, unknown> = { petition: petitionSummary(petition) };
  if (details.event) data["event"] = toWireEvent(details.event);
  if (details.grant) data["grant"] = toWireGrant(details.grant, petition.spaceName);
  const body = JSON.stringify({ type, timestamp: new Date(env.now).toISOString(), data });
  await write(
    tx,
    env,
    subscriptions.map((s) => entry(env, petition, "subscription", s.name, type, body, details.grant?.id ?? null, false)),
  );
}

/** A Standard Webhooks event about the space rather than one petition (an audit checkpoint). */
export async function enqueueSpaceEvent(
  tx: Tx,
  env: DeliveryEnv,
  spaceId: string,
  type: EventType,
  data: Record<string, unknown>,
): Promise<void> {
  const subscriptions = (await targetsOf(env, tx, spaceId)).subscriptions.filter((s) => subscribesTo(s, type));
  if (subscriptions.length === 0) return;
  const body = JSON.stringify({ type, timestamp: new Date(env.now).toISOString(), data });
  await write(
    tx,
    env,
    subscriptions.map((s) => ({
      ...entry(env, { spaceId, name: "" }, "subscription", s.name, type, body, null, false),
      petitionName: null,
    })),
  );
}

/**
 * What a subscriber is told of a petition. `version` grows with every change, so a receiver
 * that gets events out of order (they may come more than once, and in any order) can drop
 * stale ones.
 */
function petitionSummary(p: Petition): Record<string, unknown> {
  const summary: Record<string, unknown> = {
    name: p.name,
    spaceName: p.spaceName,
    version: p.version,
    phase: p.phase,
    reason: p.reason,
    petitioners: p.petitioners.map(toWireResource),
    resources: p.resources.map(toWireResource),
    labels: p.labels,
    createTime: new Date(p.createdAt).toISOString(),
    updateTime: new Date(p.updatedAt).toISOString(),
  };
  if (p.outcome !== null) summary["outcome"] = p.outcome;
  if (p.startAt !== null) summary["startTime"] = new Date(p.startAt).toISOString();
  if (p.expireAt !== null) summary["expireTime"] = new Date(p.expireAt).toISOString();
  if (p.endAt !== null) summary["endTime"] = new Date(p.endAt).toISOString();
  return summary;
}

function entry(
  env: DeliveryEnv,
  petition: Pick<Petition, "spaceId" | "name">,
  targetKind: OutboxEntry["targetKind"],
  targetName: string,
  eventType: string,
  body: string,
  grantId: string | null,
  dryRun: boolean,
): OutboxEntry {
  return {
    id: newId("msg", env.now),
    spaceId: petition.spaceId,
    targetKind,
    targetName,
    eventType,
    petitionName: petition.name,
    grantId,
    body,
    // A dry run is logged as such and never sent ("skipped instead of triggered", as Indent put it).
    status: dryRun ? "cancelled" : "pending",
    attempts: 0,
    nextAttemptAt: dryRun ? null : env.now,
    leaseUntil: null,
    lastAttemptAt: null,
    lastStatus: null,
    lastError: dryRun ? "dry run: not sent" : null,
    createdAt: env.now,
    deliveredAt: null,
  };
}

async function write(tx: Tx, env: DeliveryEnv, entries: OutboxEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.outbox.insertMany(entries);
  if (entries.some((e) => e.status === "pending")) tx.afterCommit(() => env.notifier.deliveriesQueued());
}
