import Type, { type Static } from "typebox";
import { OneOf, PageOf, PathName, SpaceParams, Time } from "./common.js";

/** The delivery log of webhooks, subscriptions and Slack: what was sent, each attempt, redelivery. */

export const DeliveryId = Type.String({ minLength: 1, maxLength: 64, description: "msg_…" });

export const DELIVERY_STATUSES = ["pending", "delivered", "failed", "cancelled"] as const;

export const DeliveryAttemptOut = Type.Object(
  {
    attempt: Type.Integer(),
    time: Time,
    durationMs: Type.Integer(),
    status: Type.Optional(Type.Integer()),
    error: Type.Optional(Type.String()),
    response: Type.Optional(Type.String({ description: "the start of the receiver's answer" })),
  },
  { title: "DeliveryAttempt" },
);
export type DeliveryAttemptOut = Static<typeof DeliveryAttemptOut>;

export const DeliveryOut = Type.Object(
  {
    id: DeliveryId,
    receiver: Type.Object({
      kind: OneOf(["webhook", "subscription", "slack"], { description: "webhook, subscription or slack" }),
      name: Type.String(),
    }),
    event: Type.String({ description: "access/grant, access/revoke, or a subscription event type" }),
    petition: Type.Optional(Type.String()),
    grant: Type.Optional(Type.String()),
    status: OneOf(DELIVERY_STATUSES, { description: "pending, delivered, failed or cancelled" }),
    attempts: Type.Integer(),
    createTime: Time,
    nextAttemptTime: Type.Optional(Time),
    waitingFor: Type.Optional(Type.String({ description: "access/grant: a revoke is sent once its grant's start has been" })),
    lastAttemptTime: Type.Optional(Time),
    lastStatus: Type.Optional(Type.Integer({ description: "the HTTP status of the last answer" })),
    lastError: Type.Optional(Type.String()),
    deliveredTime: Type.Optional(Time),
    body: Type.Optional(Type.Unknown({ description: "what is sent (in the answer for one delivery)" })),
    attemptLog: Type.Optional(Type.Array(DeliveryAttemptOut)),
  },
  { title: "Delivery" },
);
export type DeliveryOut = Static<typeof DeliveryOut>;

export const ListDeliveriesOut = PageOf("deliveries", DeliveryOut, "DeliveryList");
export type ListDeliveriesOut = Static<typeof ListDeliveriesOut>;

export const DeliveriesQuery = Type.Object(
  {
    status: Type.Optional(
      Type.String({ maxLength: 16, description: "pending, delivered, failed or cancelled; failed lists the failures" }),
    ),
    pageSize: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: "1 to 100; default 50" })),
    pageToken: Type.Optional(Type.String({ maxLength: 64, description: "nextPageToken of the previous page" })),
  },
  { additionalProperties: false },
);
export type DeliveriesQuery = Static<typeof DeliveriesQuery>;

export const PetitionDeliveriesQuery = Type.Object(
  {
    ...DeliveriesQuery.properties,
    petition: Type.String({ minLength: 1, maxLength: 64, description: "the petition (pet_…) whose deliveries to list" }),
  },
  { additionalProperties: false },
);

export const WebhookDeliveryParams = Type.Object({
  space: SpaceParams.properties.space,
  webhook: PathName("the webhook's name"),
  delivery: DeliveryId,
});

export const SubscriptionDeliveryParams = Type.Object({
  space: SpaceParams.properties.space,
  subscription: PathName("the subscription's name"),
  delivery: DeliveryId,
});

export const SlackDeliveryParams = Type.Object({
  space: SpaceParams.properties.space,
  delivery: Type.String({ minLength: 1, maxLength: 64, description: "msg_…" }),
});
