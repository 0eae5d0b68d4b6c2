import { switchedState } from "../../domain/destination.js";
import { invalidArgument } from "../../domain/errors.js";
import { GROUP_NAME } from "../../domain/roles.js";
import { checkEventTypes, checkSubscriptionSecret, newSubscriptionSecret, type Subscription } from "../../domain/subscription.js";
import { auditTarget } from "../audit/audit.js";
import type { Context } from "../runtime/context.js";
import type { PageRequest } from "../runtime/paginate.js";
import { checkDestination } from "./check-destination.js";
import type { DestinationKind } from "./destination-kind.js";
import { forgetDeliveryTargets } from "./enqueue-deliveries.js";
import { destinationVerbs } from "./manage-destination.js";
import type { SubscriptionInput, SubscriptionOut } from "../../contract/subscriptions.js";

/** An event subscription as the shared destination verbs see it. */
export const SUBSCRIPTIONS: DestinationKind<Subscription, SubscriptionInput, SubscriptionOut> = {
  noun: "event subscription",
  permissionTo: { read: "reading event subscriptions", change: "changing event subscriptions", remove: "changing event subscriptions" },
  audit: "subscription",
  collection: "subscriptions",
  field: "subscription",
  changeWith: "PATCH",
  rows: (repos) => repos.subscriptions,
  secrets: [{ key: "secret", hint: 6, shownOnce: true }],
  destination: { of: (s) => s.url, movedBy: () => "url" },
  receiver: "subscription",
  create(ctx, input, now) {
    const name = input.name ?? "";
    if (!GROUP_NAME.test(name)) {
      throw invalidArgument(
        'subscription.name must be 1 to 63 lower-case letters, digits, ".", "_" or "-", such as "audit-sink"',
        "subscription.name",
      );
    }
    if (!input.url) throw invalidArgument("subscription.url is required: where events are sent", "subscription.url");
    return {
      spaceId: ctx.space.id,
      name,
      description: input.description ?? "",
      url: checkDestination(input.url, "subscription.url", ctx.outbound.allow),
      secret: input.secret ? checkSubscriptionSecret(input.secret, "subscription.secret") : newSubscriptionSecret(),
      eventTypes: checkEventTypes(input.eventTypes, "subscription.eventTypes"),
      ...switchedState({ disabledAt: null, disabledReason: null }, input.disabled, now),
      createdAt: now,
      updatedAt: now,
      lastSuccessAt: null,
      lastError: null,
      lastErrorAt: null,
    };
  },
  change: (ctx, current, input, now) => ({
    ...current,
    description: input.description ?? current.description,
    url: input.url ? checkDestination(input.url, "subscription.url", ctx.outbound.allow) : current.url,
    secret: input.secret ? checkSubscriptionSecret(input.secret, "subscription.secret") : current.secret,
    eventTypes: input.eventTypes ? checkEventTypes(input.eventTypes, "subscription.eventTypes") : current.eventTypes,
    ...switchedState(current, input.disabled, now),
    updatedAt: now,
  }),
  view: (_ctx, s) => ({ name: s.name, description: s.description, url: s.url, eventTypes: s.eventTypes }),
  ref: (s) => ({
    ...auditTarget("subscription", s.name),
    labels: {
      "greenlight.dev/event-types": s.eventTypes.join(","),
      ...(s.disabledAt !== null ? { "greenlight.dev/disabled": "true" } : {}),
    },
  }),
  forget: (ctx) => forgetDeliveryTargets(ctx.store, ctx.space.id),
};

const verbs = destinationVerbs(SUBSCRIPTIONS);
export const getSubscription = verbs.get;
export const createSubscription = verbs.create;
export const updateSubscription = verbs.change;
export const deleteSubscription = verbs.remove;

export async function listSubscriptions({ ctx, query }: { ctx: Context; query: PageRequest }) {
  const page = await verbs.list({ ctx, query });
  return { subscriptions: page.items, nextPageToken: page.nextPageToken };
}
