import Type, { type Static } from "typebox";
import { OneOf, PageOf, Paging, PathName, Text, Time } from "./common.js";
import { ResourceOut } from "./resources.js";

/**
 * Tokens: a service account's refresh tokens, access tokens minted for people, and the
 * exchange of one for the other (snake_case and camelCase, as Indent's clients read it).
 */

const ServiceAccountId = Type.Union([Type.String({ maxLength: 20 }), Type.Integer({ minimum: 0 })]);

export const CreateTokenBody = Type.Object(
  {
    serviceAccountId: ServiceAccountId,
    displayName: Type.Optional(Text(256)),
    scope: Type.Optional(Text(1024)),
    expiryDays: Type.Optional(Type.Integer({ description: "days until the refresh token expires; 0 or absent: never" })),
  },
  { additionalProperties: false, title: "TokenInput" },
);
export type CreateTokenInput = Static<typeof CreateTokenBody>;

export const TokenOut = Type.Object(
  {
    name: Type.String(),
    kind: OneOf(["refresh", "user"], { description: "refresh (a service account's) or user (minted for a person)" }),
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
  },
  { title: "Token" },
);
export type TokenOut = Static<typeof TokenOut>;

export const ListTokensOut = PageOf("tokens", TokenOut, "TokenList");
export type ListTokensOut = Static<typeof ListTokensOut>;

export const ListTokensQuery = Type.Object(
  { serviceAccountId: Type.Optional(Type.String({ maxLength: 20 })), showDeleted: Type.Optional(Type.Boolean()), ...Paging },
  { additionalProperties: false },
);
export type ListTokensQuery = Static<typeof ListTokensQuery>;

export const TokenParams = Type.Object({ space: PathName("space name"), token: PathName("token name (tok_…)") });

export const AccessTokenOut = Type.Object(
  {
    access_token: Type.String(),
    accessToken: Type.String(),
    token_type: Type.Literal("Bearer"),
    tokenType: Type.Literal("Bearer"),
    expires_in: Type.Integer(),
    expiresIn: Type.Integer(),
    expireTime: Time,
    scope: Type.String(),
    space: Type.String(),
  },
  { title: "AccessToken" },
);
export type AccessTokenOut = Static<typeof AccessTokenOut>;

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
  { additionalProperties: false, title: "UserTokenInput" },
);
export type MintUserTokenInput = Static<typeof MintUserTokenBody>;

export const UserTokenOut = Type.Intersect([TokenOut, AccessTokenOut], { title: "UserToken" });
export type UserTokenOut = Static<typeof UserTokenOut>;

// The exchange takes snake_case (the proto's names), which the case conversion has made camelCase.
export const ExchangeTokenBody = Type.Object(
  {
    grantType: Type.Optional(Type.String({ maxLength: 64, description: "refresh_token" })),
    refreshToken: Type.Optional(Type.String({ maxLength: 4096 })),
  },
  { additionalProperties: false },
);
export type ExchangeTokenInput = Static<typeof ExchangeTokenBody>;
