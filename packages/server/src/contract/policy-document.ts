import Type, { type Static } from "typebox";

/**
 * The access policy of a space as its admins write it (JSON, or YAML through the CLI): ordered
 * rules that say who must approve what, what is approved or denied at once, and for how long.
 * The schema is the shape; `compilePolicy` checks the meaning (durations, selectors, CEL, that
 * reviewers exist) and says where a problem is.
 */

const Name = Type.String({ minLength: 1, maxLength: 63, pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$" });
const GoDuration = Type.String({ minLength: 1, maxLength: 32, description: 'A Go duration such as "6h", "30m" or "1h30m"' });
const Strings = (description: string) => Type.Array(Type.String({ minLength: 1, maxLength: 320 }), { maxItems: 200, description });
const Selector = Type.String({ maxLength: 4096, description: "A Kubernetes label selector, e.g. env=prod,team in (sre,db)" });
const Cel = Type.String({ minLength: 1, maxLength: 4096, description: "A CEL expression that yields a bool" });

export const NotifySchema = Type.Object(
  {
    users: Type.Optional(Strings("Emails of people to tell")),
    groups: Type.Optional(Strings("Groups of the space whose members to tell")),
    channels: Type.Optional(Strings("Chat channels to post to, e.g. Slack channel ids or #names")),
    reviewers: Type.Optional(Type.Boolean({ description: "Also tell the eligible reviewers (default true)" })),
  },
  { additionalProperties: false, title: "PolicyNotify" },
);

export const ReviewersSchema = Type.Object(
  {
    users: Type.Optional(Strings("Emails of people who may approve")),
    groups: Type.Optional(Strings("Groups of the space whose members may approve")),
    roles: Type.Optional(Type.Array(Type.Union([Type.Literal("admin"), Type.Literal("reviewer")]), { maxItems: 2 })),
    managerLabel: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 317,
        description:
          "A label of the petitioner's catalog entry that names their manager: an email, or the id of a user resource that has one",
      }),
    ),
    serviceAccounts: Type.Optional(Strings("Names of service accounts of the space that may approve")),
    bots: Type.Optional(Strings("Ids or emails of decision-webhook bots whose approve claims count here")),
  },
  { additionalProperties: false, title: "PolicyReviewers" },
);

export const StepSchema = Type.Object(
  {
    name: Name,
    reviewers: ReviewersSchema,
    approvals: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, description: "Distinct approvers needed (default 1)" })),
    allowSelfApproval: Type.Optional(Type.Boolean({ description: "Whether a petitioner may count toward this step (default false)" })),
  },
  { additionalProperties: false, title: "PolicyStep" },
);

export const DurationLimitsSchema = Type.Object(
  {
    default: Type.Optional(GoDuration),
    max: Type.Optional(GoDuration),
    allowIndefinite: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, title: "PolicyDurationLimits" },
);

export const EscalationSchema = Type.Object(
  { after: GoDuration, notify: NotifySchema },
  { additionalProperties: false, title: "PolicyEscalation" },
);

export const RuleSchema = Type.Object(
  {
    name: Name,
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    match: Type.Optional(
      Type.Object(
        {
          kinds: Type.Optional(Strings('Resource kinds, exact or with * and ? globs, e.g. "aws.iam.*"')),
          resources: Type.Optional(Selector),
          petitioner: Type.Optional(
            Type.Object(
              {
                emails: Type.Optional(Strings('Emails, exact or with globs, e.g. "*@contractors.example.com"')),
                groups: Type.Optional(Strings("Groups of the space; the petitioner must be in one")),
                labels: Type.Optional(Selector),
              },
              { additionalProperties: false },
            ),
          ),
          condition: Type.Optional(Cel),
        },
        { additionalProperties: false },
      ),
    ),
    require: Type.Optional(Type.Array(StepSchema, { minItems: 1, maxItems: 10 })),
    autoApprove: Type.Optional(
      Type.Object(
        { reason: Type.String({ minLength: 1, maxLength: 500 }), duration: Type.Optional(GoDuration) },
        { additionalProperties: false },
      ),
    ),
    autoDeny: Type.Optional(Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false })),
    duration: Type.Optional(DurationLimitsSchema),
    notify: Type.Optional(NotifySchema),
    pendingTimeout: Type.Optional(GoDuration),
    escalations: Type.Optional(Type.Array(EscalationSchema, { maxItems: 10 })),
    highRisk: Type.Optional(
      Type.Boolean({
        description: "Petitions this rule matches are high-risk: reviewers decide them in the web UI after a fresh sign-in, not in chat",
      }),
    ),
  },
  { additionalProperties: false, title: "PolicyRule" },
);

export const PolicyDocumentSchema = Type.Object(
  {
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    rules: Type.Array(RuleSchema, { maxItems: 5000 }),
    defaults: Type.Optional(
      Type.Object(
        {
          review: Type.Optional(Type.Array(StepSchema, { minItems: 1, maxItems: 10 })),
          duration: Type.Optional(DurationLimitsSchema),
          notify: Type.Optional(NotifySchema),
          pendingTimeout: Type.Optional(GoDuration),
          escalations: Type.Optional(Type.Array(EscalationSchema, { maxItems: 10 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, title: "PolicyDocument" },
);

export type PolicyDocument = Static<typeof PolicyDocumentSchema>;
export type RuleDocument = Static<typeof RuleSchema>;
export type StepDocument = Static<typeof StepSchema>;
export type NotifyDocument = Static<typeof NotifySchema>;
export type DurationLimitsDocument = Static<typeof DurationLimitsSchema>;
export type EscalationDocument = Static<typeof EscalationSchema>;
