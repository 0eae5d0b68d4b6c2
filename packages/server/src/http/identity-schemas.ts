import Type from "typebox";
import { Labels, ResourceInput, ResourceOut } from "./schemas.js";

/**
 * Request and response schemas of the identity API: spaces, role bindings, groups, service
 * accounts and tokens. Strict like the others; Indent's field names where Indent had the API.
 */

const Text = (maxLength = 1024) => Type.String({ maxLength });
const Time = Type.String({ description: "RFC 3339 timestamp" });
const PathName = (description: string) => Type.String({ minLength: 1, maxLength: 256, description });
const Paging = {
  pageSize: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: "1 to 100; default 50" })),
  pageToken: Type.Optional(Type.String({ maxLength: 512, description: "nextPageToken of the previous page" })),
};

export const PagingQuery = Type.Object({ ...Paging }, { additionalProperties: false });

// ---- Spaces -------------------------------------------------------------------------------

const SpaceInput = Type.Object(
  {
    name: Type.Optional(Text(63)),
    displayName: Type.Optional(Text(256)),
    parent: Type.Optional(Type.String({ maxLength: 256, description: "accepted for compatibility; ignored" })),
  },
  { additionalProperties: false },
);
export const CreateSpaceBody = Type.Object({ space: SpaceInput }, { additionalProperties: false });
export const UpdateSpaceBody = Type.Object(
  { space: SpaceInput, updateMask: Type.Optional(Type.Unknown({ description: "accepted for compatibility; ignored" })) },
  { additionalProperties: false },
);
export const SpaceOut = Type.Object({ name: Type.String(), displayName: Type.String(), createTime: Time, updateTime: Time });
export const ListSpacesOut = Type.Object({ spaces: Type.Array(SpaceOut), nextPageToken: Type.String() });
export const ListSpacesQuery = Type.Object(
  { ...Paging, parent: Type.Optional(Type.String({ maxLength: 256, description: "accepted for compatibility; ignored" })) },
  { additionalProperties: false },
);
export const DeleteSpaceQuery = Type.Object(
  { recursive: Type.Optional(Type.Boolean({ description: "also delete everything in the space" })) },
  { additionalProperties: false },
);

// ---- Role bindings --------------------------------------------------------------------------

const Member = Type.String({ maxLength: 400, description: '"user:alice@example.com", "group:sre" or "serviceAccount:123456"' });
const Role = Type.String({ maxLength: 64, description: "admin, reviewer, petitioner-admin or member" });
const BindingInput = Type.Object(
  { role: Type.Optional(Role), members: Type.Optional(Type.Array(Member, { maxItems: 1000 })) },
  { additionalProperties: false },
);
export const PolicyOut = Type.Object({ bindings: Type.Array(Type.Object({ role: Type.String(), members: Type.Array(Type.String()) })) });
export const GetPolicyBody = Type.Object(
  {
    resource: Type.Optional(Type.String({ maxLength: 256, description: "accepted for compatibility; the URL names the space" })),
    options: Type.Optional(Type.Unknown({ description: "ignored" })),
  },
  { additionalProperties: false },
);
export const SetPolicyBody = Type.Object(
  {
    resource: Type.Optional(Type.String({ maxLength: 256, description: "accepted for compatibility; the URL names the space" })),
    policy: Type.Object(
      { bindings: Type.Optional(Type.Array(BindingInput, { maxItems: 16 })), etag: Type.Optional(Type.String()) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export const RoleChangeBody = Type.Object(
  {
    resource: Type.Optional(Type.String({ maxLength: 256, description: "accepted for compatibility; the URL names the space" })),
    role: Role,
    member: Type.Optional(Member),
    user: Type.Optional(ResourceInput),
  },
  { additionalProperties: false, description: "name the member either as member or, as Indent did, as user (a resource)" },
);

// ---- Groups ---------------------------------------------------------------------------------

export const GroupBody = Type.Object(
  {
    group: Type.Object(
      {
        name: Type.Optional(Text(63)),
        displayName: Type.Optional(Text(256)),
        members: Type.Optional(Type.Array(Type.String({ maxLength: 320 }), { maxItems: 1000, description: "emails" })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export const GroupOut = Type.Object({
  name: Type.String(),
  displayName: Type.String(),
  members: Type.Array(Type.String()),
  createTime: Time,
  updateTime: Time,
});
export const ListGroupsOut = Type.Object({ groups: Type.Array(GroupOut), nextPageToken: Type.String() });
export const GroupParams = Type.Object({ space: PathName("space name"), group: PathName("group name") });

// ---- Service accounts -----------------------------------------------------------------------

const ServiceAccountInput = Type.Object(
  {
    name: Type.Optional(Text(63)),
    displayName: Type.Optional(Text(256)),
    email: Type.Optional(Text(320)),
    labels: Type.Optional(Labels),
    roles: Type.Optional(Type.Array(Role, { maxItems: 4, description: "roles to bind it to (replacing its roles on PATCH)" })),
  },
  { additionalProperties: false },
);
export const ServiceAccountBody = Type.Object(
  { serviceAccount: ServiceAccountInput, updateMask: Type.Optional(Type.Unknown({ description: "accepted for compatibility; ignored" })) },
  { additionalProperties: false },
);
export const ServiceAccountOut = Type.Object({
  name: Type.String(),
  serviceAccountId: Type.String({ description: "decimal digits, as protobuf JSON writes a uint64" }),
  displayName: Type.String(),
  email: Type.String({ description: "the sub of its access tokens" }),
  labels: Type.Record(Type.String(), Type.String()),
  roles: Type.Array(Type.String()),
  meta: Type.Object({
    name: Type.String(),
    space: Type.String(),
    displayName: Type.String(),
    labels: Type.Record(Type.String(), Type.String()),
    createTime: Time,
    updateTime: Time,
    deleteTime: Type.Optional(Time),
  }),
  createdBy: ResourceOut,
});
export const ListServiceAccountsOut = Type.Object({ serviceAccounts: Type.Array(ServiceAccountOut), nextPageToken: Type.String() });
export const ListServiceAccountsQuery = Type.Object(
  { ...Paging, showDeleted: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export const ServiceAccountParams = Type.Object({
  space: PathName("space name"),
  serviceAccountId: Type.String({ pattern: "^[0-9]{1,20}$", description: "the service account's id" }),
});

// ---- Tokens ---------------------------------------------------------------------------------

const ServiceAccountId = Type.Union([Type.String({ maxLength: 20 }), Type.Integer({ minimum: 0 })]);
export const CreateTokenBody = Type.Object(
  {
    serviceAccountId: ServiceAccountId,
    displayName: Type.Optional(Text(256)),
    scope: Type.Optional(Text(1024)),
    expiryDays: Type.Optional(Type.Integer({ description: "days until the refresh token expires; 0 or absent: never" })),
  },
  { additionalProperties: false },
);
export const TokenOut = Type.Object({
  name: Type.String(),
  kind: Type.String({ description: "refresh (a service account's) or user (minted for a person)" }),
  displayName: Type.String(),
  subject: Type.String(),
  serviceAccountId: Type.Optional(Type.String()),
  scope: Type.String(),
  meta: Type.Object({
    name: Type.String(),
    space: Type.String(),
    displayName: Type.String(),
    createTime: Time,
    expireTime: Type.Optional(Time),
    deleteTime: Type.Optional(Time),
  }),
  createdBy: ResourceOut,
  lastUseTime: Type.Optional(Time),
  refreshToken: Type.Optional(Type.String({ description: "only when created; store it, it is not shown again" })),
  accessToken: Type.Optional(Type.String()),
});
export const ListTokensOut = Type.Object({ tokens: Type.Array(TokenOut), nextPageToken: Type.String() });
export const ListTokensQuery = Type.Object(
  { serviceAccountId: Type.Optional(Type.String({ maxLength: 20 })), showDeleted: Type.Optional(Type.Boolean()), ...Paging },
  { additionalProperties: false },
);
export const TokenParams = Type.Object({ space: PathName("space name"), token: PathName("token name (tok_…)") });

export const AccessTokenOut = Type.Object({
  access_token: Type.String(),
  accessToken: Type.String(),
  token_type: Type.Literal("Bearer"),
  tokenType: Type.Literal("Bearer"),
  expires_in: Type.Integer(),
  expiresIn: Type.Integer(),
  expireTime: Time,
  scope: Type.String(),
  space: Type.String(),
});

export const MintUserTokenBody = Type.Object(
  {
    email: Text(320),
    displayName: Type.Optional(Text(256)),
    ttl: Type.Optional(
      Type.Union([
        Type.String({ maxLength: 64, description: 'a Go duration such as "8h"' }),
        Type.Object(
          { seconds: Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 32 })])), nanos: Type.Optional(Type.Integer()) },
          { additionalProperties: false },
        ),
      ]),
    ),
  },
  { additionalProperties: false },
);
export const UserTokenOut = Type.Intersect([TokenOut, AccessTokenOut]);

// The exchange takes snake_case (the proto's names), which the case conversion has made camelCase.
export const ExchangeTokenBody = Type.Object(
  {
    grantType: Type.Optional(Type.String({ maxLength: 64, description: "refresh_token" })),
    refreshToken: Type.Optional(Type.String({ maxLength: 4096 })),
  },
  { additionalProperties: false },
);
export const JwksOut = Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown())) });

export const RotateKeysBody = Type.Object(
  {
    revokeOtherKeys: Type.Optional(
      Type.Boolean({
        description:
          "also remove every other key now: tokens and receipts they signed stop verifying at once (for a key that may be known to someone else)",
      }),
    ),
  },
  { additionalProperties: false },
);
