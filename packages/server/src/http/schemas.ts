import Type, { type Static, type TSchema } from "typebox";

/**
 * Request and response schemas in Indent v1's JSON shapes. Request schemas are strict
 * (`additionalProperties: false`: a misspelt or unexpected field is an error, not silently
 * dropped) but list every field Indent's clients send, including ones this server ignores,
 * so an Indent client's bodies pass. The same schemas generate /openapi.json.
 */

const LIMITS = {
  labels: 256,
  labelKey: 317,
  labelValue: 4096,
  text: 1024,
  reason: 4096,
  list: 100,
} as const;

export const Labels = Type.Unsafe<Record<string, string>>({
  type: "object",
  additionalProperties: { type: "string", maxLength: LIMITS.labelValue },
  propertyNames: { minLength: 1, maxLength: LIMITS.labelKey },
  maxProperties: LIMITS.labels,
  description: "Labels: string keys to string values",
});

const Text = (maxLength: number = LIMITS.text) => Type.String({ maxLength });
const Timestamp = Type.String({ description: "RFC 3339 timestamp", maxLength: 64 });

export const ResourceInput = Type.Object(
  {
    kind: Type.Optional(Text(256)),
    id: Type.Optional(Text()),
    displayName: Type.Optional(Text()),
    email: Type.Optional(Text(320)),
    altIds: Type.Optional(Type.Array(Text(), { maxItems: 32 })),
    labels: Type.Optional(Labels),
  },
  { additionalProperties: false, description: "A resource: a user, group, action, anything requested or granted" },
);

export const MetaInput = Type.Object(
  {
    name: Type.Optional(Text()),
    space: Type.Optional(Text()),
    displayName: Type.Optional(Text()),
    labels: Type.Optional(Labels),
    createTime: Type.Optional(Timestamp),
    updateTime: Type.Optional(Timestamp),
    deleteTime: Type.Optional(Timestamp),
    expireTime: Type.Optional(Timestamp),
    startTime: Type.Optional(Timestamp),
    endTime: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);

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
  { description: "A duration, as a string or as {seconds, nanos}" },
);

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
  { additionalProperties: false },
);

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

export const ClaimInput = Type.Object(
  {
    event: Text(64),
    reason: Type.Optional(Text(LIMITS.reason)),
    resources: Type.Optional(Type.Array(ResourceInput, { maxItems: LIMITS.list * 2 })),
    meta: Type.Optional(MetaInput),
    timestamp: Type.Optional(Timestamp),
    id: Type.Optional(Text()),
    externalId: Type.Optional(Text()),
    sessionId: Type.Optional(Text()),
    actor: Type.Optional(ResourceInput),
    _original: Type.Optional(Type.String({ maxLength: 65536 })),
  },
  { additionalProperties: false, description: "access/approve, access/deny or access/revoke; actor and timestamp are set by the server" },
);

export const CreateClaimBody = Type.Object({ claim: ClaimInput }, { additionalProperties: false });

export const ResourceBody = Type.Object(
  { resource: ResourceInput, ephemeral: Type.Optional(Type.Boolean({ description: "accepted for compatibility; ignored" })) },
  { additionalProperties: false },
);

export const BulkUpdateBody = Type.Object(
  {
    resources: Type.Array(ResourceInput, { maxItems: 1000 }),
    opts: Type.Optional(Type.Object({ fields: Type.Optional(Type.Array(Text(128))) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const BulkDeleteBody = Type.Object({ resourceNames: Type.Array(Text(128), { maxItems: 1000 }) }, { additionalProperties: false });

// ---- Path and query parameters -------------------------------------------------------------

const PathName = (description: string) => Type.String({ minLength: 1, maxLength: 256, description });

export const SpaceParams = Type.Object({ space: PathName("space name") });
export const PetitionParams = Type.Object({ space: PathName("space name"), petition: PathName("petition name") });
export const ClaimParams = Type.Object({ space: PathName("space name"), petition: PathName("petition name"), claim: PathName("claim id") });
export const ResourceParams = Type.Object({
  space: PathName("space name"),
  resource: PathName("resource name (its indent.com/block label)"),
});
export const GrantParams = Type.Object({ space: PathName("space name"), grant: PathName("grant name") });

const Paging = {
  pageSize: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: "1 to 100; default 50" })),
  pageToken: Type.Optional(Type.String({ maxLength: 512, description: "nextPageToken of the previous page" })),
};

const Among = Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: "accepted for compatibility; ignored" }));

export const ListPetitionsQuery = Type.Object(
  {
    labelSelector: Type.Optional(Type.String({ maxLength: 4096, description: "Kubernetes label selector over meta.labels" })),
    ...Paging,
    ascending: Type.Optional(Type.Boolean({ description: "oldest first; default newest first" })),
    phase: Type.Optional(Type.String({ maxLength: 64, description: "comma-separated phases to keep, e.g. open,granted" })),
    showDeleted: Type.Optional(Type.Boolean()),
    full: Type.Optional(Type.Boolean({ description: "accepted for compatibility; history is always included" })),
    among: Among,
  },
  { additionalProperties: false },
);

export const GetPetitionQuery = Type.Object(
  {
    waitFor: Type.Optional(Type.Literal("decision", { description: "hold the request until the petition leaves open" })),
    timeout: Type.Optional(
      Type.String({ maxLength: 32, description: 'how long to hold, as a Go duration ("30s") or seconds ("30"); capped by the server' }),
    ),
  },
  { additionalProperties: false },
);

export const ListClaimsQuery = Type.Object(
  { labelSelector: Type.Optional(Type.String({ maxLength: 4096 })), ...Paging },
  { additionalProperties: false },
);

export const ListResourcesQuery = Type.Object(
  {
    labelSelector: Type.Optional(Type.String({ maxLength: 4096 })),
    view: Type.Optional(Type.String({ maxLength: 64, description: "requestable or people" })),
    ...Paging,
    latest: Type.Optional(Type.Boolean({ description: "accepted for compatibility; ignored" })),
    among: Among,
  },
  { additionalProperties: false },
);

export const ListGrantsQuery = Type.Object(
  {
    status: Type.Optional(Type.String({ maxLength: 16, description: "active, expired or revoked" })),
    petition: Type.Optional(Type.String({ maxLength: 256, description: "only this petition's grants" })),
    ...Paging,
  },
  { additionalProperties: false },
);

// ---- Responses ---------------------------------------------------------------------------

const OutLabels = Type.Record(Type.String(), Type.String());

export const ResourceOut = Type.Object({
  kind: Type.String(),
  id: Type.Optional(Type.String()),
  displayName: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
  altIds: Type.Optional(Type.Array(Type.String())),
  labels: OutLabels,
});

export const EventOut = Type.Object({
  id: Type.String(),
  event: Type.String(),
  actor: ResourceOut,
  reason: Type.Optional(Type.String()),
  resources: Type.Array(ResourceOut),
  timestamp: Type.String(),
  meta: Type.Object({ labels: OutLabels }),
});

const NotifyOut = Type.Object({
  users: Type.Array(Type.String()),
  groups: Type.Array(Type.String()),
  channels: Type.Array(Type.String()),
  reviewers: Type.Boolean(),
});

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
  { description: "state.review" },
);

export const PetitionOut = Type.Object({
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
      phase: Type.String({ description: "open, granted or closed (revoked is never reported; see outcome)" }),
      outcome: Type.Optional(Type.String({ description: "why a closed petition ended: denied, cancelled, timed_out, revoked or expired" })),
    }),
    eventHistory: Type.Array(EventOut),
    messages: Type.Array(Type.Unknown()),
    review: Type.Optional(ReviewOut),
  }),
});

export const GrantOut = Type.Object({
  name: Type.String(),
  spaceName: Type.String(),
  petitionName: Type.String(),
  petitioner: ResourceOut,
  resource: ResourceOut,
  status: Type.String({
    description:
      "active; expired or revoked once over, shown only after every integration acknowledged the end (revoke_pending until then, revoke_failed if one gave up)",
  }),
  provisioning: Type.String({ description: "none, applying, applied, apply_failed, revoking, revoked or revoke_failed" }),
  startTime: Type.String(),
  expireTime: Type.Optional(Type.String({ description: "absent when access lasts until revoked" })),
  endTime: Type.Optional(Type.String()),
});

export const ErrorOut = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    requestId: Type.String(),
    field: Type.Optional(Type.String()),
  }),
});

export const ListPetitionsOut = Type.Object({ petitions: Type.Array(PetitionOut), nextPageToken: Type.String() });
export const ListClaimsOut = Type.Object({ claims: Type.Array(EventOut), nextPageToken: Type.String() });
export const ListResourcesOut = Type.Object({ resources: Type.Array(ResourceOut), nextPageToken: Type.String() });
export const ListGrantsOut = Type.Object({ grants: Type.Array(GrantOut), nextPageToken: Type.String() });
export const ResourcesOut = Type.Object({ resources: Type.Array(ResourceOut) });
export const EmptyOut = Type.Object({});

/** Error responses every authenticated route can give, for the OpenAPI document. */
export function withErrors<T extends Record<number, TSchema>>(ok: T): T & Record<number, TSchema> {
  return {
    ...ok,
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    415: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
    500: ErrorOut,
  };
}

export type ResourceInputT = Static<typeof ResourceInput>;
