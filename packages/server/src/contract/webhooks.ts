import Type, { type Static } from "typebox";
import { DestinationHealth, Labels, OneOf, PageOf, PathName, SpaceParams, Time } from "./common.js";

/** Webhooks in Indent's protocol: apply (grants and revokes), pull (resources) and decision webhooks. */

const Header = Type.Object(
  { value: Type.Optional(Type.String({ maxLength: 4096 })), credential: Type.Optional(Type.String({ maxLength: 256 })) },
  { additionalProperties: false, title: "WebhookHeader" },
);

/** What a webhook is called for. Requests name the type as text, so a wrong one gets the service's explanation. */
export const HANDLER_TYPES = ["applyUpdate", "pullUpdate", "decision"] as const;

const HandlerInput = Type.Object(
  {
    type: Type.String({ description: "applyUpdate, pullUpdate or decision" }),
    resourceKinds: Type.Array(Type.String({ maxLength: 256 }), { maxItems: 100 }),
  },
  { additionalProperties: false, title: "WebhookHandlerInput" },
);

const HandlerOut = Type.Object(
  {
    type: OneOf(HANDLER_TYPES, { description: "applyUpdate, pullUpdate or decision" }),
    resourceKinds: Type.Array(Type.String({ maxLength: 256 }), { maxItems: 100 }),
  },
  { additionalProperties: false, title: "WebhookHandler" },
);

const Bot = Type.Object(
  { id: Type.Optional(Type.String({ maxLength: 256 })), email: Type.Optional(Type.String({ maxLength: 320 })) },
  {
    additionalProperties: false,
    title: "WebhookBot",
    description: "the identity a decision webhook's claims must carry (default bot@indent.com)",
  },
);

const WebhookInput = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 63 })),
    spaceName: Type.Optional(Type.String({ maxLength: 256, description: "ignored: the URL names the space" })),
    displayName: Type.Optional(Type.String({ maxLength: 256 })),
    labels: Type.Optional(Labels),
    url: Type.Optional(Type.String({ maxLength: 2048 })),
    method: Type.Optional(Type.String({ maxLength: 16 })),
    headers: Type.Optional(Type.Record(Type.String(), Header, { maxProperties: 32 })),
    secret: Type.Optional(Type.String({ maxLength: 256, description: "leave out to have one made (wks0…)" })),
    dryRun: Type.Optional(Type.Boolean()),
    handlers: Type.Optional(Type.Array(HandlerInput, { maxItems: 3 })),
    bot: Type.Optional(Bot),
    disabled: Type.Optional(
      Type.Boolean({ description: "true turns the webhook off; false turns back on one that a receiver's 410 Gone turned off" }),
    ),
  },
  { additionalProperties: false, title: "WebhookInput" },
);
export type WebhookInput = Static<typeof WebhookInput>;

export const WebhookBody = Type.Object({ webhook: WebhookInput }, { additionalProperties: false });

export const WebhookOut = Type.Object(
  {
    name: Type.String(),
    spaceName: Type.String(),
    displayName: Type.String(),
    labels: Labels,
    url: Type.String(),
    method: Type.String(),
    headers: Type.Record(Type.String(), Header),
    secret: Type.Optional(Type.String({ description: "only in the answer that set it" })),
    secretHint: Type.String(),
    dryRun: Type.Boolean(),
    handlers: Type.Array(HandlerOut),
    bot: Bot,
    createTime: Time,
    updateTime: Time,
    ...DestinationHealth,
    disabled: Type.Boolean({ description: "nothing is sent to a webhook that is turned off" }),
    disabledReason: Type.Optional(Type.String()),
    disabledTime: Type.Optional(Time),
  },
  { title: "Webhook" },
);
export type WebhookOut = Static<typeof WebhookOut>;

export const ListWebhooksOut = PageOf("webhooks", WebhookOut, "WebhookList");
export type ListWebhooksOut = Static<typeof ListWebhooksOut>;

export const WebhookParams = Type.Object({ space: SpaceParams.properties.space, webhook: PathName("the webhook's name") });
