import Type from "typebox";
import { PolicyDocumentSchema } from "../domain/policy-document.js";
import { Labels, PetitionInput, SpaceParams } from "./schemas.js";

/**
 * Schemas of the policy API (the access policy, explain and replay), on-call providers,
 * webhooks and webhook policies. Strict on input, like the others.
 */

const Time = Type.String({ description: "RFC 3339 timestamp" });
const Name = (description: string) => Type.String({ minLength: 1, maxLength: 256, description });
const Strings = Type.Array(Type.String());

// ---- The access policy ----------------------------------------------------------------------

export const AccessPolicyOut = Type.Object({
  version: Type.Integer({ description: "0 when the space never had a policy" }),
  policy: Type.Union([PolicyDocumentSchema, Type.Null()], { description: "null: no policy; any admin or reviewer approves" }),
  createTime: Type.Optional(Time),
  createdBy: Type.Optional(Type.String()),
});

export const PutPolicyBody = Type.Object(
  {
    policy: PolicyDocumentSchema,
    expectedVersion: Type.Optional(Type.Integer({ minimum: 0, description: "save only if the policy is still at this version" })),
  },
  { additionalProperties: false },
);

export const DeletePolicyQuery = Type.Object(
  { expectedVersion: Type.Optional(Type.Integer({ minimum: 0, description: "delete only if the policy is still at this version" })) },
  { additionalProperties: false },
);

export const ValidatePolicyBody = Type.Object({ policy: PolicyDocumentSchema }, { additionalProperties: false });
export const ValidatePolicyOut = Type.Object({ valid: Type.Boolean(), rules: Type.Integer() });

export const PolicyVersionParams = Type.Object({ space: SpaceParams.properties.space, version: Type.Integer({ minimum: 1 }) });
export const ListPolicyVersionsOut = Type.Object({
  versions: Type.Array(Type.Object({ version: Type.Integer(), removed: Type.Boolean(), createTime: Time, createdBy: Type.String() })),
  nextPageToken: Type.String(),
});
export const PolicyVersionsQuery = Type.Object(
  {
    pageSize: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    pageToken: Type.Optional(Type.String({ maxLength: 32 })),
  },
  { additionalProperties: false },
);

export const ExplainBody = Type.Object(
  {
    petition: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: "an existing petition's name" })),
    request: Type.Optional(PetitionInput),
    policy: Type.Optional(PolicyDocumentSchema),
  },
  { additionalProperties: false },
);

const Step = Type.Object({
  name: Type.String(),
  rule: Type.String(),
  approvals: Type.Integer(),
  allowSelfApproval: Type.Boolean(),
  reviewers: Type.Object({
    users: Strings,
    groups: Strings,
    roles: Strings,
    managerLabel: Type.Union([Type.String(), Type.Null()]),
    serviceAccounts: Strings,
    bots: Strings,
  }),
  eligible: Strings,
  approvedBy: Type.Optional(Strings),
});
const Notify = Type.Object({ users: Strings, groups: Strings, channels: Strings, reviewers: Type.Boolean() });
const Plan = Type.Object({
  policyVersion: Type.Union([Type.Integer(), Type.Null()]),
  rules: Strings,
  steps: Type.Array(Step),
  maxDuration: Type.String(),
  defaultDuration: Type.String(),
  allowIndefinite: Type.Boolean(),
  pendingTimeout: Type.Union([Type.String(), Type.Null()]),
  escalations: Type.Array(Type.Object({ after: Type.String(), notify: Notify })),
  notify: Notify,
  highRisk: Type.Boolean({ description: "Decided only in the web UI, after a fresh sign-in" }),
});
const Trace = Type.Object({
  rule: Type.String(),
  matched: Type.Boolean(),
  held: Strings,
  failed: Type.Optional(Type.String()),
  conditionError: Type.Optional(Type.String()),
  effect: Type.Optional(Type.String()),
});

export const ExplanationOut = Type.Object({
  policyVersion: Type.Union([Type.Integer(), Type.Null()]),
  draft: Type.Boolean(),
  outcome: Type.String({ description: "approve, deny (at once) or review (needs people)" }),
  reason: Type.String(),
  decidedBy: Type.Union([Type.String(), Type.Null()]),
  pairs: Type.Array(Type.Object({ petitioner: Type.String(), resource: Type.String(), result: Type.String(), rules: Type.Array(Trace) })),
  omittedTraces: Type.Integer({
    description: "rule tests past the first 2,000, whose traces are left out (their pairs list no rules, only their result)",
  }),
  plan: Plan,
  onCall: Type.Array(
    Type.Object({
      provider: Type.String(),
      kind: Type.String(),
      email: Type.String(),
      onCall: Type.Union([Type.Boolean(), Type.Null()]),
      detail: Type.String(),
      cached: Type.Boolean(),
    }),
  ),
  webhooks: Type.Array(Type.Object({ webhook: Type.String(), policies: Strings, result: Type.String(), detail: Type.String() })),
  petition: Type.Optional(
    Type.Object({
      name: Type.String(),
      phase: Type.String(),
      outcome: Type.Optional(Type.String()),
      madeUnder: Type.Union([Plan, Type.Null()]),
      approvedBy: Strings,
    }),
  ),
});

export const ReplayBody = Type.Object(
  {
    policy: PolicyDocumentSchema,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: "how many of the latest petitions (default 100)" })),
  },
  { additionalProperties: false },
);

export const ReplayOut = Type.Object({
  replayed: Type.Integer(),
  changed: Type.Integer(),
  wouldAutoApprove: Type.Integer(),
  wouldAutoDeny: Type.Integer(),
  wouldNeedReview: Type.Integer(),
  petitions: Type.Array(
    Type.Object({
      name: Type.String(),
      createTime: Time,
      petitioners: Strings,
      resources: Strings,
      actual: Type.Object({ phase: Type.String(), outcome: Type.Optional(Type.String()), decidedBy: Type.String() }),
      draft: Type.Object({
        outcome: Type.String(),
        decidedBy: Type.Union([Type.String(), Type.Null()]),
        reason: Type.String(),
        needs: Strings,
      }),
      changed: Type.Boolean(),
      summary: Type.String(),
    }),
  ),
});

// ---- On-call providers ------------------------------------------------------------------------

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
  { additionalProperties: false },
);
const OnCallProviderInput = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 63 })),
    kind: Type.Optional(Type.String({ maxLength: 32, description: "pagerduty, opsgenie or incidentio" })),
    baseUrl: Type.Optional(Type.String({ maxLength: 2048, description: "the provider's API address (default: its public API)" })),
    apiKey: Type.Optional(Type.String({ maxLength: 1024, description: "written, never read back" })),
    settings: Type.Optional(OnCallSettings),
  },
  { additionalProperties: false },
);
export const OnCallProviderBody = Type.Object({ provider: OnCallProviderInput }, { additionalProperties: false });
export const OnCallProviderOut = Type.Object({
  name: Type.String(),
  kind: Type.String(),
  baseUrl: Type.String(),
  settings: OnCallSettings,
  apiKeyHint: Type.String(),
  createTime: Time,
  updateTime: Time,
  lastSuccessTime: Type.Optional(Time),
  lastError: Type.Optional(Type.String()),
  lastErrorTime: Type.Optional(Time),
  healthy: Type.Boolean(),
});
export const ListOnCallProvidersOut = Type.Object({ providers: Type.Array(OnCallProviderOut) });
export const OnCallProviderParams = Type.Object({ space: SpaceParams.properties.space, provider: Name("the provider's name") });

// ---- Webhooks -------------------------------------------------------------------------------

const Header = Type.Object(
  { value: Type.Optional(Type.String({ maxLength: 4096 })), credential: Type.Optional(Type.String({ maxLength: 256 })) },
  { additionalProperties: false },
);
const Handler = Type.Object(
  {
    type: Type.String({ description: "applyUpdate, pullUpdate or decision" }),
    resourceKinds: Type.Array(Type.String({ maxLength: 256 }), { maxItems: 100 }),
  },
  { additionalProperties: false },
);
const Bot = Type.Object(
  { id: Type.Optional(Type.String({ maxLength: 256 })), email: Type.Optional(Type.String({ maxLength: 320 })) },
  { additionalProperties: false, description: "the identity a decision webhook's claims must carry (default bot@indent.com)" },
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
    handlers: Type.Optional(Type.Array(Handler, { maxItems: 3 })),
    bot: Type.Optional(Bot),
    disabled: Type.Optional(
      Type.Boolean({ description: "true turns the webhook off; false turns back on one that a receiver's 410 Gone turned off" }),
    ),
  },
  { additionalProperties: false },
);
export const WebhookBody = Type.Object({ webhook: WebhookInput }, { additionalProperties: false });
export const WebhookOut = Type.Object({
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
  handlers: Type.Array(Handler),
  bot: Bot,
  createTime: Time,
  updateTime: Time,
  lastSuccessTime: Type.Optional(Time),
  lastError: Type.Optional(Type.String()),
  lastErrorTime: Type.Optional(Time),
  disabled: Type.Boolean({ description: "nothing is sent to a webhook that is turned off" }),
  disabledReason: Type.Optional(Type.String()),
  disabledTime: Type.Optional(Time),
});
export const ListWebhooksOut = Type.Object({ webhooks: Type.Array(WebhookOut), nextPageToken: Type.String() });
export const WebhookParams = Type.Object({ space: SpaceParams.properties.space, webhook: Name("the webhook's name") });

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
  { additionalProperties: false },
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
  { additionalProperties: false },
);
export const WebhookPolicyBody = Type.Object({ webhookPolicy: WebhookPolicyInput }, { additionalProperties: false });
export const WebhookPolicyOut = Type.Object({
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
});
export const ListWebhookPoliciesOut = Type.Object({ webhookPolicies: Type.Array(WebhookPolicyOut) });
export const WebhookPolicyParams = Type.Object({ space: SpaceParams.properties.space, policy: Name("the webhook policy's name") });
