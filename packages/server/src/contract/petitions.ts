import Type, { type Static } from "typebox";
import { EventOut } from "./claims.js";
import { Among, LIMITS, MetaInput, OneOf, OutLabels, PageOf, Paging, PathName, Text } from "./common.js";
import { ResourceInput, ResourceOut } from "./resources.js";

/**
 * Petitions, in Indent v1's shape: what create and update take, and the petition the server
 * answers with, its review (`state.review`, beyond Indent's shape) included. Request schemas
 * list every field Indent's clients send, including ones this server ignores.
 */

export const DurationInput = Type.Union(
  [
    Type.String({ maxLength: 64, description: 'Go duration ("3h0m0s", "90s") or protobuf JSON ("3600s")' }),
    Type.Object(
      {
        seconds: Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 32 })])),
        nanos: Type.Optional(Type.Integer()),
      },
      { additionalProperties: false },
    ),
  ],
  { title: "DurationInput", description: "A duration, as a string or as {seconds, nanos}" },
);
export type DurationInput = Static<typeof DurationInput>;

const PetitionStateInput = Type.Object(
  {
    status: Type.Optional(
      Type.Object({ phase: Type.Optional(Text(32)), outcome: Type.Optional(Text(32)) }, { additionalProperties: false }),
    ),
    eventHistory: Type.Optional(Type.Array(Type.Unknown(), { description: "ignored on input" })),
    messages: Type.Optional(Type.Array(Type.Unknown(), { description: "ignored on input" })),
    review: Type.Optional(Type.Unknown({ description: "ignored on input" })),
  },
  { additionalProperties: false },
);

export const PetitionInput = Type.Object(
  {
    name: Type.Optional(Text()),
    spaceName: Type.Optional(Text()),
    meta: Type.Optional(MetaInput),
    petitioners: Type.Optional(Type.Array(ResourceInput, { maxItems: LIMITS.list })),
    resources: Type.Optional(Type.Array(ResourceInput, { maxItems: LIMITS.list })),
    defaultDuration: Type.Optional(DurationInput),
    reason: Type.Optional(Text(LIMITS.reason)),
    state: Type.Optional(PetitionStateInput),
    block: Type.Optional(Type.Unknown({ description: "ignored" })),
  },
  { additionalProperties: false, title: "PetitionInput" },
);
export type PetitionInput = Static<typeof PetitionInput>;

export const CreatePetitionBody = Type.Object(
  {
    petition: PetitionInput,
    waitForReviewable: Type.Optional(
      Type.Boolean({ description: "accepted for compatibility; petitions are reviewable as soon as they exist" }),
    ),
  },
  { additionalProperties: false },
);

export const UpdatePetitionBody = Type.Object({ petition: PetitionInput }, { additionalProperties: false });

/** The body create takes, without the fields that only matter when a petition is made. */
export const PreviewPetitionBody = Type.Object({ petition: PetitionInput }, { additionalProperties: false });

export const PetitionParams = Type.Object({ space: PathName("space name"), petition: PathName("petition name") });

export const ListPetitionsQuery = Type.Object(
  {
    labelSelector: Type.Optional(Type.String({ maxLength: 4096, description: "Kubernetes label selector over meta.labels" })),
    ...Paging,
    ascending: Type.Optional(Type.Boolean({ description: "oldest first; default newest first" })),
    phase: Type.Optional(Type.String({ maxLength: 64, description: "comma-separated phases to keep, e.g. open,granted" })),
    showDeleted: Type.Optional(Type.Boolean()),
    full: Type.Optional(Type.Boolean({ description: "accepted for compatibility; history is always included" })),
    among: Among,
    awaiting: Type.Optional(
      Type.Literal("me", { description: "me: open petitions the caller may approve or deny and has not reviewed yet (its inbox)" }),
    ),
    reviewedBy: Type.Optional(Type.Literal("me", { description: "me: petitions the caller approved or denied" })),
    petitioner: Type.Optional(Type.Literal("me", { description: "me: petitions that name the caller (by its email) as a petitioner" })),
  },
  { additionalProperties: false },
);
export type ListPetitionsQuery = Static<typeof ListPetitionsQuery>;

export const GetPetitionQuery = Type.Object(
  {
    waitFor: Type.Optional(Type.Literal("decision", { description: "hold the request until the petition leaves open" })),
    timeout: Type.Optional(
      Type.String({ maxLength: 32, description: 'how long to hold, as a Go duration ("30s") or seconds ("30"); capped by the server' }),
    ),
  },
  { additionalProperties: false },
);

export const NotifyOut = Type.Object(
  {
    users: Type.Array(Type.String()),
    groups: Type.Array(Type.String()),
    channels: Type.Array(Type.String()),
    reviewers: Type.Boolean(),
  },
  { title: "Notify" },
);
export type NotifyOut = Static<typeof NotifyOut>;

/** What a petition needs and how far it has come: beyond Indent's shape, for reviewers and UIs. */
export const ReviewOut = Type.Object(
  {
    policyVersion: Type.Optional(Type.Integer({ description: "the version of the policy it was made under; absent: no policy" })),
    rules: Type.Array(Type.String(), { description: "the rules that applied to it" }),
    steps: Type.Array(
      Type.Object({
        name: Type.String(),
        rule: Type.String(),
        approvals: Type.Integer({ description: "distinct approvers needed" }),
        approvedBy: Type.Array(Type.String(), { description: "approvers counted toward this step" }),
        satisfied: Type.Boolean(),
        allowSelfApproval: Type.Boolean(),
        reviewers: Type.Object({
          users: Type.Array(Type.String()),
          groups: Type.Array(Type.String()),
          roles: Type.Array(Type.String()),
          serviceAccounts: Type.Array(Type.String()),
          bots: Type.Array(Type.String()),
        }),
      }),
    ),
    maxDuration: Type.String({ description: "the longest grant an approval may give (Go duration)" }),
    defaultDuration: Type.String(),
    allowIndefinite: Type.Boolean(),
    notify: NotifyOut,
    timeoutTime: Type.Optional(Type.String({ description: "when it closes as timed_out if still open" })),
    escalationsDone: Type.Integer(),
    nextEscalationTime: Type.Optional(Type.String()),
    highRisk: Type.Boolean({
      description:
        "a matching rule marks it high-risk: only a person who signed in strongly and recently (GREENLIGHT_STEP_UP_MAX_AGE) approves it",
    }),
  },
  { title: "Review", description: "state.review" },
);
export type ReviewOut = Static<typeof ReviewOut>;

/** Phases on the wire, as Indent's clients know them (`revoked` is never reported; see the outcome). */
export const PHASES = ["open", "granted", "revoked", "closed"] as const;
/** Why a closed petition ended. */
export const OUTCOMES = ["denied", "cancelled", "timed_out", "revoked", "expired"] as const;

export const PetitionOut = Type.Object(
  {
    name: Type.String(),
    spaceName: Type.String(),
    meta: Type.Object({
      name: Type.String(),
      space: Type.String(),
      labels: OutLabels,
      createTime: Type.String(),
      updateTime: Type.String(),
      startTime: Type.Optional(Type.String()),
      expireTime: Type.Optional(Type.String()),
      endTime: Type.Optional(Type.String()),
      deleteTime: Type.Optional(Type.String()),
    }),
    petitioners: Type.Array(ResourceOut),
    resources: Type.Array(ResourceOut),
    reason: Type.String(),
    defaultDuration: Type.Optional(Type.String()),
    state: Type.Object({
      status: Type.Object({
        phase: OneOf(PHASES, { description: "open, granted or closed (revoked is never reported; see outcome)" }),
        outcome: Type.Optional(
          OneOf(OUTCOMES, { description: "why a closed petition ended: denied, cancelled, timed_out, revoked or expired" }),
        ),
      }),
      eventHistory: Type.Array(EventOut),
      messages: Type.Array(Type.Unknown()),
      review: Type.Optional(ReviewOut),
    }),
  },
  { title: "Petition" },
);
export type PetitionOut = Static<typeof PetitionOut>;

/** What a petition would get if it were made now: beyond Indent's API, for request forms. */
export const PetitionPreviewOut = Type.Object(
  {
    outcome: OneOf(["approve", "deny", "review"], {
      description:
        "approve or deny: a rule would decide it at once; review: it would wait for people. On-call providers and decision webhooks are not asked",
    }),
    review: ReviewOut,
  },
  { title: "PetitionPreview" },
);
export type PetitionPreviewOut = Static<typeof PetitionPreviewOut>;

export const ListPetitionsOut = PageOf("petitions", PetitionOut, "PetitionList");
export type ListPetitionsOut = Static<typeof ListPetitionsOut>;

/** Extending a granted petition: a new petition for the same access, for this long. */
export const ExtendPetitionBody = Type.Object(
  {
    reason: Type.Optional(
      Type.String({ maxLength: LIMITS.reason, description: "why more time is needed; by default a reason naming the petition extended" }),
    ),
    duration: Type.Optional(DurationInput),
  },
  { additionalProperties: false, title: "ExtendPetitionInput" },
);
export type ExtendPetitionBody = Static<typeof ExtendPetitionBody>;
