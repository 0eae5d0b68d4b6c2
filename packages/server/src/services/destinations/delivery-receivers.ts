import { SLACK_RECEIVER, type SlackApp } from "../../domain/slack.js";
import type { Subscription } from "../../domain/subscription.js";
import type { Webhook } from "../../domain/webhook.js";
import type { TargetKind } from "../../store/repositories/outbox.js";
import type { Store } from "../../store/store.js";

/**
 * The receivers the delivery job sends to, with their secrets opened, remembered for a moment:
 * a burst of deliveries to one integration would otherwise read and unseal the same webhook
 * for each. A change made here forgets them at once (`forgetReceivers`); one made by another
 * server on the same database is seen within `REMEMBER_MS`.
 */
export type Receiver =
  { kind: "webhook"; target: Webhook } | { kind: "subscription"; target: Subscription } | { kind: "slack"; target: SlackTarget };

/** A space's Slack app as a receiver: always on while it is set up. */
export interface SlackTarget {
  spaceId: string;
  name: typeof SLACK_RECEIVER;
  url: string;
  disabledAt: null;
  app: SlackApp;
}

const REMEMBER_MS = 1000;
const remembered = new WeakMap<Store, Map<string, { receiver: Receiver | undefined; until: number }>>();

export async function loadReceiver(store: Store, spaceId: string, kind: TargetKind, name: string): Promise<Receiver | undefined> {
  let bySpace = remembered.get(store.base);
  if (!bySpace) {
    bySpace = new Map();
    remembered.set(store.base, bySpace);
  }
  const key = `${spaceId}\u0000${kind}\u0000${name}`;
  const now = performance.now();
  const known = bySpace.get(key);
  if (known && known.until > now) return known.receiver;
  let receiver: Receiver | undefined;
  if (kind === "webhook") {
    const target = await store.read.webhooks.get(spaceId, name);
    receiver = target && { kind, target };
  } else if (kind === "subscription") {
    const target = await store.read.subscriptions.get(spaceId, name);
    receiver = target && { kind, target };
  } else {
    const app = await store.read.slackApps.get(spaceId);
    receiver = app && { kind, target: { spaceId, name: SLACK_RECEIVER, url: app.apiUrl, disabledAt: null, app } };
  }
  bySpace.set(key, { receiver, until: now + REMEMBER_MS });
  return receiver;
}

/** Forgets a space's receivers, as when one was added, changed, turned off or removed. */
export function forgetReceivers(store: Store, spaceId: string): void {
  const bySpace = remembered.get(store.base);
  if (!bySpace) return;
  for (const key of bySpace.keys()) if (key.startsWith(`${spaceId}\u0000`)) bySpace.delete(key);
}
