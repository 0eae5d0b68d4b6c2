import Type, { type Static } from "typebox";
import { PathName, SpaceParams, Time } from "./common.js";
import { ResourceOut } from "./resources.js";

/** PullUpdate (resources asked of the space's pullUpdate webhooks) and pull policies, which run it on a schedule. */

const Kinds = Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 100 });
const Flags = Type.Record(Type.String({ maxLength: 256 }), Type.String({ maxLength: 4096 }), { maxProperties: 50 });

export const PullUpdateBody = Type.Object(
  {
    kinds: Kinds,
    flags: Type.Optional(Flags),
  },
  { additionalProperties: false, title: "PullInput" },
);
export type PullInput = Static<typeof PullUpdateBody>;

const PullSource = Type.Object({
  webhook: Type.String(),
  resources: Type.Integer({ description: "how many resources it returned" }),
  error: Type.Optional(Type.String()),
});
export type PullSourceOut = Static<typeof PullSource>;

export const PullUpdateOut = Type.Object(
  {
    resources: Type.Array(ResourceOut),
    status: Type.Object({ code: Type.Integer({ description: "0 when every webhook answered; 2 otherwise" }), message: Type.String() }),
    webhooks: Type.Array(PullSource),
  },
  { title: "PullOutcome" },
);
export type PullUpdateOut = Static<typeof PullUpdateOut>;

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
  { additionalProperties: false, title: "PullPolicyInput" },
);
export type PullPolicyInput = Static<typeof PullPolicyInput>;

export const PullPolicyBody = Type.Object({ pullPolicy: PullPolicyInput }, { additionalProperties: false });

export const PullRunResultOut = Type.Object(
  { resources: Type.Integer(), errors: Type.Array(Type.String()), durationMs: Type.Optional(Type.Integer()) },
  { title: "PullRunResult" },
);
export type PullRunResultOut = Static<typeof PullRunResultOut>;

export const PullPolicyOut = Type.Object(
  {
    meta: Type.Object({ name: Type.String(), space: Type.String(), displayName: Type.String(), createTime: Time, updateTime: Time }),
    schedule: Type.String(),
    kinds: Type.Array(Type.String()),
    flags: Type.Record(Type.String(), Type.String()),
    nextRunTime: Time,
    lastRunTime: Type.Optional(Time),
    lastResult: Type.Optional(PullRunResultOut),
  },
  { title: "PullPolicy" },
);
export type PullPolicyOut = Static<typeof PullPolicyOut>;

export const ListPullPoliciesOut = Type.Object({ pullPolicies: Type.Array(PullPolicyOut) }, { title: "PullPolicyList" });
export type ListPullPoliciesOut = Static<typeof ListPullPoliciesOut>;

export const PullPolicyParams = Type.Object({ space: SpaceParams.properties.space, policy: PathName("the pull policy's name") });
