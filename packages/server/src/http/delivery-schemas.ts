import Type from "typebox";
import { ResourceOut, SpaceParams } from "./schemas.js";

/**
 * Schemas of event subscriptions, delivery logs, PullUpdate and pull policies. Strict on
 * input, like the others.
 */

const Time = Type.String({ description: "RFC 3339 timestamp" });
const Name = (description: string) => Type.String({ minLength: 1, maxLength: 256, description });

// ---- Event subscriptions (Standard Webhooks) -------------------------------------------------

const SubscriptionInput = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 63 })),
    description: Type.Optional(Type.String({ maxLength: 1024 })),
    url: Type.Optional(Type.String({ maxLength: 2048 })),
    eventTypes: Type.Optional(
      Type.Array(Type.String({ maxLength: 64 }), {
        maxItems: 32,
        description: 'event types such as "grant.started", families such as "petition.*", or "*" (the default)',
      }),
    ),
    secret: Type.Optional(Type.String({ maxLength: 128, description: "whsec_…; leave out to have one made" })),
    disabled: Type.Optional(
      Type.Boolean({ description: "true turns the subscription off; false turns back on one that a 410 Gone turned off" }),
    ),
  },
  { additionalProperties: false },
);
export const SubscriptionBody = Type.Object({ subscription: SubscriptionInput }, { additionalProperties: false });
export const SubscriptionOut = Type.Object({
  name: Type.String(),
  description: Type.String(),
  url: Type.String(),
  eventTypes: Type.Array(Type.String()),
  secret: Type.Optional(Type.String({ description: "only in the answer that set it" })),
  secretHint: Type.String(),
  disabled: Type.Boolean(),
  disabledReason: Type.Optional(Type.String()),
  disabledTime: Type.Optional(Time),
  createTime: Time,
  updateTime: Time,
  lastSuccessTime: Type.Optional(Time),
  lastError: Type.Optional(Type.String()),
  lastErrorTime: Type.Optional(Time),
});
export const ListSubscriptionsOut = Type.Object({ subscriptions: Type.Array(SubscriptionOut), nextPageToken: Type.String() });
export const SubscriptionParams = Type.Object({
  space: SpaceParams.properties.space,
  subscription: Name("the subscription's name"),
});

// ---- Delivery logs ---------------------------------------------------------------------------

const DeliveryId = Type.String({ minLength: 1, maxLength: 64, description: "msg_…" });
export const DeliveryOut = Type.Object({
  id: DeliveryId,
  receiver: Type.Object({ kind: Type.String({ description: "webhook, subscription or slack" }), name: Type.String() }),
  event: Type.String({ description: "access/grant, access/revoke, or a subscription event type" }),
  petition: Type.Optional(Type.String()),
  grant: Type.Optional(Type.String()),
  status: Type.String({ description: "pending, delivered, failed or cancelled" }),
  attempts: Type.Integer(),
  createTime: Time,
  nextAttemptTime: Type.Optional(Time),
  waitingFor: Type.Optional(Type.String({ description: "access/grant: a revoke is sent once its grant's start has been" })),
  lastAttemptTime: Type.Optional(Time),
  lastStatus: Type.Optional(Type.Integer({ description: "the HTTP status of the last answer" })),
  lastError: Type.Optional(Type.String()),
  deliveredTime: Type.Optional(Time),
  body: Type.Optional(Type.Unknown({ description: "what is sent (in the answer for one delivery)" })),
  attemptLog: Type.Optional(
    Type.Array(
      Type.Object({
        attempt: Type.Integer(),
        time: Time,
        durationMs: Type.Integer(),
        status: Type.Optional(Type.Integer()),
        error: Type.Optional(Type.String()),
        response: Type.Optional(Type.String({ description: "the start of the receiver's answer" })),
      }),
    ),
  ),
});
export const ListDeliveriesOut = Type.Object({ deliveries: Type.Array(DeliveryOut), nextPageToken: Type.String() });
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
export const WebhookDeliveryParams = Type.Object({
  space: SpaceParams.properties.space,
  webhook: Name("the webhook's name"),
  delivery: DeliveryId,
});
export const SubscriptionDeliveryParams = Type.Object({
  space: SpaceParams.properties.space,
  subscription: Name("the subscription's name"),
  delivery: DeliveryId,
});

// ---- PullUpdate and pull policies ------------------------------------------------------------

const Kinds = Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 100 });
const Flags = Type.Record(Type.String({ maxLength: 256 }), Type.String({ maxLength: 4096 }), { maxProperties: 50 });

export const PullUpdateBody = Type.Object(
  {
    kinds: Kinds,
    flags: Type.Optional(Flags),
  },
  { additionalProperties: false },
);
const PullSource = Type.Object({
  webhook: Type.String(),
  resources: Type.Integer({ description: "how many resources it returned" }),
  error: Type.Optional(Type.String()),
});
export const PullUpdateOut = Type.Object({
  resources: Type.Array(ResourceOut),
  status: Type.Object({ code: Type.Integer({ description: "0 when every webhook answered; 2 otherwise" }), message: Type.String() }),
  webhooks: Type.Array(PullSource),
});

const PullPolicyInput = Type.Object(
  {
    meta: Type.Optional(
      Type.Object(
        { name: Type.Optional(Type.String({ maxLength: 63 })), displayName: Type.Optional(Type.String({ maxLength: 256 })) },
        { additionalProperties: true, description: "other Meta fields are ignored" },
      ),
    ),
    base: Type.Optional(Type.Unknown({ description: "accepted for compatibility; ignored" })),
    schedule: Type.Optional(
      Type.String({ maxLength: 128, description: 'a cron expression ("0 * * * *"), or "@hourly", "@daily", "@every 15m"' }),
    ),
    kinds: Type.Optional(Kinds),
    flags: Type.Optional(Flags),
  },
  { additionalProperties: false },
);
export const PullPolicyBody = Type.Object({ pullPolicy: PullPolicyInput }, { additionalProperties: false });
export const PullPolicyOut = Type.Object({
  meta: Type.Object({ name: Type.String(), space: Type.String(), displayName: Type.String(), createTime: Time, updateTime: Time }),
  schedule: Type.String(),
  kinds: Type.Array(Type.String()),
  flags: Type.Record(Type.String(), Type.String()),
  nextRunTime: Time,
  lastRunTime: Type.Optional(Time),
  lastResult: Type.Optional(
    Type.Object({ resources: Type.Integer(), errors: Type.Array(Type.String()), durationMs: Type.Optional(Type.Integer()) }),
  ),
});
export const ListPullPoliciesOut = Type.Object({ pullPolicies: Type.Array(PullPolicyOut) });
export const PullPolicyParams = Type.Object({ space: SpaceParams.properties.space, policy: Name("the pull policy's name") });
