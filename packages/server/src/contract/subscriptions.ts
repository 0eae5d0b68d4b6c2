import Type, { type Static } from "typebox";
import { DestinationHealth, PageOf, PathName, SpaceParams, Time } from "./common.js";

/** Event subscriptions: petition and grant events sent to a URL in the Standard Webhooks format. */

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
  { additionalProperties: false, title: "SubscriptionInput" },
);
export type SubscriptionInput = Static<typeof SubscriptionInput>;

export const SubscriptionBody = Type.Object({ subscription: SubscriptionInput }, { additionalProperties: false });

export const SubscriptionOut = Type.Object(
  {
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
    ...DestinationHealth,
  },
  { title: "Subscription" },
);
export type SubscriptionOut = Static<typeof SubscriptionOut>;

export const ListSubscriptionsOut = PageOf("subscriptions", SubscriptionOut, "SubscriptionList");
export type ListSubscriptionsOut = Static<typeof ListSubscriptionsOut>;

export const SubscriptionParams = Type.Object({
  space: SpaceParams.properties.space,
  subscription: PathName("the subscription's name"),
});
