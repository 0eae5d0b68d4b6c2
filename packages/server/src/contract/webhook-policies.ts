import Type, { type Static } from "typebox";
import { Labels, PathName, SpaceParams, Time } from "./common.js";

/** Webhook policies: which new petitions (by label selector and CEL conditions) go to which decision webhooks. */

const Selector = Type.Object(
  {
    matchLabels: Type.Optional(Labels),
    matchExpressions: Type.Optional(
      Type.Array(
        Type.Object(
          {
            key: Type.String({ maxLength: 317 }),
            operator: Type.String({ maxLength: 16, description: "In, NotIn, Exists or DoesNotExist" }),
            values: Type.Optional(Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 100 })),
          },
          { additionalProperties: false },
        ),
        { maxItems: 50 },
      ),
    ),
  },
  { additionalProperties: false, title: "LabelSelector" },
);

const Condition = Type.Union([
  Type.String({ maxLength: 4096 }),
  Type.Object(
    {
      expression: Type.String({ maxLength: 4096 }),
      title: Type.Optional(Type.String({ maxLength: 256 })),
      description: Type.Optional(Type.String({ maxLength: 1024 })),
      location: Type.Optional(Type.String({ maxLength: 256 })),
    },
    { additionalProperties: false },
  ),
]);

const WebhookPolicyInput = Type.Object(
  {
    meta: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ maxLength: 63 })),
          displayName: Type.Optional(Type.String({ maxLength: 256 })),
          labels: Type.Optional(Labels),
        },
        { additionalProperties: true, description: "other Meta fields are ignored" },
      ),
    ),
    base: Type.Optional(
      Type.Object(
        {
          selector: Type.Optional(Selector),
          conditions: Type.Optional(Type.Array(Condition, { maxItems: 20 })),
          compiledConditions: Type.Optional(Type.Unknown({ description: "ignored" })),
        },
        { additionalProperties: false },
      ),
    ),
    webhooks: Type.Optional(
      Type.Array(Type.Object({ name: Type.Optional(Type.String({ maxLength: 256 })) }, { additionalProperties: false }), { maxItems: 20 }),
    ),
  },
  { additionalProperties: false, title: "WebhookPolicyInput" },
);
export type WebhookPolicyInput = Static<typeof WebhookPolicyInput>;

export const WebhookPolicyBody = Type.Object({ webhookPolicy: WebhookPolicyInput }, { additionalProperties: false });

export const WebhookPolicyOut = Type.Object(
  {
    meta: Type.Object({
      name: Type.String(),
      space: Type.String(),
      displayName: Type.String(),
      labels: Labels,
      createTime: Time,
      updateTime: Time,
    }),
    base: Type.Object({ selector: Selector, conditions: Type.Array(Type.Object({ expression: Type.String() })) }),
    webhooks: Type.Array(Type.Object({ name: Type.String() })),
  },
  { title: "WebhookPolicy" },
);
export type WebhookPolicyOut = Static<typeof WebhookPolicyOut>;

export const ListWebhookPoliciesOut = Type.Object({ webhookPolicies: Type.Array(WebhookPolicyOut) }, { title: "WebhookPolicyList" });
export type ListWebhookPoliciesOut = Static<typeof ListWebhookPoliciesOut>;

export const WebhookPolicyParams = Type.Object({ space: SpaceParams.properties.space, policy: PathName("the webhook policy's name") });
