import Type, { type Static } from "typebox";
import { DestinationHealth, PathName, SpaceParams, Time } from "./common.js";

/** On-call providers (PagerDuty, Opsgenie, incident.io) a policy may ask who is on call. */

const OnCallSettings = Type.Object(
  {
    schedules: Type.Optional(
      Type.Array(Type.String({ maxLength: 200 }), { maxItems: 100, description: "PagerDuty schedule ids; Opsgenie names or ids" }),
    ),
    roles: Type.Optional(
      Type.Array(Type.String({ maxLength: 200 }), { maxItems: 100, description: "incident.io role names or shortforms" }),
    ),
    approveParticipants: Type.Optional(Type.Boolean({ description: "incident.io: also people who posted an update" })),
    windowBeforeMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1440, description: "PagerDuty (default 1)" })),
    windowAfterMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1440, description: "PagerDuty (default 5)" })),
  },
  { additionalProperties: false, title: "OnCallSettings" },
);

const OnCallProviderInput = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 63 })),
    kind: Type.Optional(Type.String({ maxLength: 32, description: "pagerduty, opsgenie or incidentio" })),
    baseUrl: Type.Optional(Type.String({ maxLength: 2048, description: "the provider's API address (default: its public API)" })),
    apiKey: Type.Optional(Type.String({ maxLength: 1024, description: "written, never read back" })),
    settings: Type.Optional(OnCallSettings),
  },
  { additionalProperties: false, title: "OnCallProviderInput" },
);
export type OnCallProviderInput = Static<typeof OnCallProviderInput>;

export const OnCallProviderBody = Type.Object({ provider: OnCallProviderInput }, { additionalProperties: false });

export const OnCallProviderOut = Type.Object(
  {
    name: Type.String(),
    kind: Type.String(),
    baseUrl: Type.String(),
    settings: OnCallSettings,
    apiKeyHint: Type.String(),
    createTime: Time,
    updateTime: Time,
    ...DestinationHealth,
    healthy: Type.Boolean(),
  },
  { title: "OnCallProvider" },
);
export type OnCallProviderOut = Static<typeof OnCallProviderOut>;

export const ListOnCallProvidersOut = Type.Object({ providers: Type.Array(OnCallProviderOut) }, { title: "OnCallProviderList" });
export type ListOnCallProvidersOut = Static<typeof ListOnCallProvidersOut>;

export const OnCallProviderParams = Type.Object({ space: SpaceParams.properties.space, provider: PathName("the provider's name") });
