import Type, { type Static } from "typebox";
import { OneOf, Time } from "./common.js";
import { PHASES, OUTCOMES, PetitionInput } from "./petitions.js";
import { PolicyDocumentSchema } from "./policy-document.js";

/** Why a policy does what it does with a petition (explain), and what a draft would have done (replay). */

const Strings = Type.Array(Type.String());

export const ExplainBody = Type.Object(
  {
    petition: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: "an existing petition's name" })),
    request: Type.Optional(PetitionInput),
    policy: Type.Optional(PolicyDocumentSchema),
  },
  { additionalProperties: false, title: "ExplainInput" },
);
export type ExplainInput = Static<typeof ExplainBody>;

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

export const PlanOut = Type.Object(
  {
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
  },
  { title: "ExplainedPlan" },
);
export type PlanOut = Static<typeof PlanOut>;

const Trace = Type.Object({
  rule: Type.String(),
  matched: Type.Boolean(),
  held: Strings,
  failed: Type.Optional(Type.String()),
  conditionError: Type.Optional(Type.String()),
  effect: Type.Optional(Type.String()),
});

const DECISIONS = ["approve", "deny", "review"] as const;

export const ExplanationOut = Type.Object(
  {
    policyVersion: Type.Union([Type.Integer(), Type.Null()]),
    draft: Type.Boolean(),
    outcome: OneOf(DECISIONS, { description: "approve, deny (at once) or review (needs people)" }),
    reason: Type.String(),
    decidedBy: Type.Union([Type.String(), Type.Null()]),
    pairs: Type.Array(
      Type.Object({
        petitioner: Type.String(),
        resource: Type.String(),
        result: OneOf(["deny", "require", "approve", "default"]),
        rules: Type.Array(Trace),
      }),
    ),
    omittedTraces: Type.Integer({
      description: "rule tests past the first 2,000, whose traces are left out (their pairs list no rules, only their result)",
    }),
    plan: PlanOut,
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
        phase: OneOf(PHASES),
        outcome: Type.Optional(OneOf(OUTCOMES)),
        madeUnder: Type.Union([PlanOut, Type.Null()]),
        approvedBy: Strings,
      }),
    ),
  },
  { title: "PolicyExplanation" },
);
export type ExplanationOut = Static<typeof ExplanationOut>;

export const ReplayBody = Type.Object(
  {
    policy: PolicyDocumentSchema,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: "how many of the latest petitions (default 100)" })),
  },
  { additionalProperties: false, title: "ReplayInput" },
);
export type ReplayInput = Static<typeof ReplayBody>;

export const ReplayedPetitionOut = Type.Object({
  name: Type.String(),
  createTime: Time,
  petitioners: Strings,
  resources: Strings,
  actual: Type.Object({ phase: OneOf(PHASES), outcome: Type.Optional(OneOf(OUTCOMES)), decidedBy: Type.String() }),
  draft: Type.Object({
    outcome: OneOf(DECISIONS),
    decidedBy: Type.Union([Type.String(), Type.Null()]),
    reason: Type.String(),
    needs: Strings,
  }),
  changed: Type.Boolean(),
  summary: Type.String(),
});
export type ReplayedPetitionOut = Static<typeof ReplayedPetitionOut>;

export const ReplayOut = Type.Object(
  {
    replayed: Type.Integer(),
    changed: Type.Integer(),
    wouldAutoApprove: Type.Integer(),
    wouldAutoDeny: Type.Integer(),
    wouldNeedReview: Type.Integer(),
    petitions: Type.Array(ReplayedPetitionOut),
  },
  { title: "PolicyReplay" },
);
export type ReplayOut = Static<typeof ReplayOut>;
