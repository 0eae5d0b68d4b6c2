import { randomBytes } from "node:crypto";
import type { Destination, Switchable } from "./destination.js";
import { invalidArgument } from "./errors.js";

/**
 * Event subscriptions: any URL may receive petition and grant events in the Standard Webhooks
 * format (`webhook-id`, `webhook-timestamp`, `webhook-signature`), with the delivery
 * guarantees of integrations. Beyond Indent, which had none.
 */
export const EVENT_TYPES = [
  "petition.created",
  "petition.reviewed",
  "petition.granted",
  "petition.denied",
  "petition.cancelled",
  "petition.timed_out",
  "petition.revoked",
  "petition.expired",
  "petition.escalated",
  "grant.started",
  "grant.ended",
  "audit.checkpoint",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface Subscription extends Destination, Switchable {
  name: string;
  description: string;
  url: string;
  /** `whsec_` and the base64 of the key, as Standard Webhooks writes it. */
  secret: string;
  /** Event types or patterns (`petition.*`, `*`). */
  eventTypes: string[];
}

/** Checks a subscription's event types: known types, `family.*`, or `*`. */
export function checkEventTypes(types: string[] | undefined, field: string): string[] {
  const list = types && types.length > 0 ? types : ["*"];
  list.forEach((type, i) => {
    const family = type.endsWith(".*") ? type.slice(0, -2) : undefined;
    const known =
      type === "*" ||
      (family !== undefined ? EVENT_TYPES.some((t) => t.startsWith(`${family}.`)) : (EVENT_TYPES as readonly string[]).includes(type));
    if (!known) {
      throw invalidArgument(
        `${field}[${i}] must be one of ${EVENT_TYPES.join(", ")}, a family such as "petition.*", or "*"; not ${JSON.stringify(type)}`,
        `${field}[${i}]`,
      );
    }
  });
  return [...new Set(list)];
}

export function subscribesTo(subscription: Pick<Subscription, "eventTypes">, type: EventType): boolean {
  return subscription.eventTypes.some(
    (pattern) => pattern === "*" || pattern === type || (pattern.endsWith(".*") && type.startsWith(pattern.slice(0, -1))),
  );
}

/** A new signing secret: 32 random bytes, `whsec_`-prefixed base64 (the spec asks for at least 24 bytes). */
export function newSubscriptionSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

export function checkSubscriptionSecret(secret: string, field: string): string {
  const key = secret.startsWith("whsec_") ? Buffer.from(secret.slice(6), "base64") : Buffer.alloc(0);
  if (key.length < 24 || key.length > 64) {
    throw invalidArgument(`${field} must be "whsec_" and the base64 of 24 to 64 random bytes; leave it out to have one made`, field);
  }
  return secret;
}
