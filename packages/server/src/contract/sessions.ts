import Type, { type Static } from "typebox";

/**
 * The browser's session: who is signed in, an access token for a space, one-time sign-in
 * links, and passkeys with the step-up they give. The WebAuthn options and answers are the
 * JSON that `@simplewebauthn/browser` takes and gives.
 */

export const LoginQuery = Type.Object({
  returnTo: Type.Optional(Type.String({ maxLength: 2000 })),
  stepUp: Type.Optional(
    Type.Union([Type.Literal("true"), Type.Literal("false")], {
      description: "true: the provider signs the person in again (prompt=login, max_age), for high-risk approvals",
    }),
  ),
});

/** The one-time link's token, in the link's query and in the form its page posts. */
export const LinkToken = Type.Object({ token: Type.String({ maxLength: 200 }) });

export const StepUpOut = Type.Object(
  {
    methods: Type.Array(Type.String(), { description: "how this person can sign in again strongly here: oidc, passkey" }),
    maxAge: Type.String({ description: 'how recent a strong sign-in must be to approve a high-risk petition, e.g. "10m"' }),
    lastStrongSignIn: Type.Optional(
      Type.Object({ time: Type.String({ format: "date-time" }), method: Type.String(), fresh: Type.Boolean() }),
    ),
  },
  { title: "StepUpStatus", description: "high-risk approvals need a recent strong sign-in: what this session has, and how to get one" },
);
export type StepUpOut = Static<typeof StepUpOut>;

export const SignInOptionsOut = Type.Object(
  {
    identityProvider: Type.Boolean({
      description: "whether people sign in with an identity provider here; without one, only with one-time links an admin makes",
    }),
  },
  { title: "SignInOptions" },
);

export const SessionSpaceOut = Type.Object({
  name: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.String(), { description: "the person's roles there, directly or through a group" }),
});
export type SessionSpaceOut = Static<typeof SessionSpaceOut>;

export const SessionOut = Type.Object(
  {
    email: Type.String(),
    via: Type.String({ description: "oidc or link" }),
    expireTime: Type.String({ format: "date-time" }),
    spaces: Type.Array(SessionSpaceOut, { description: "the spaces where the signed-in person holds a role, by name; no others" }),
    stepUp: StepUpOut,
  },
  { title: "Session" },
);
export type SessionOut = Static<typeof SessionOut>;

export const SessionTokenBody = Type.Object({ space: Type.String({ minLength: 1, maxLength: 63 }) }, { additionalProperties: false });

export const SessionTokenOut = Type.Object(
  {
    accessToken: Type.String(),
    access_token: Type.String(),
    tokenType: Type.Literal("Bearer"),
    token_type: Type.Literal("Bearer"),
    expiresIn: Type.Integer(),
    expires_in: Type.Integer(),
    expireTime: Type.String({ format: "date-time" }),
    scope: Type.String(),
    space: Type.String(),
    email: Type.String(),
  },
  { title: "SessionToken" },
);
export type SessionTokenOut = Static<typeof SessionTokenOut>;

export const SignInLinkBody = Type.Object(
  {
    email: Type.String({ maxLength: 320 }),
    ttl: Type.Optional(Type.String({ maxLength: 32, description: 'e.g. "15m" (default), at most 24h' })),
  },
  { additionalProperties: false },
);

export const SignInLinkOut = Type.Object(
  { url: Type.String(), email: Type.String(), expireTime: Type.String({ format: "date-time" }) },
  { title: "SignInLink" },
);
export type SignInLinkOut = Static<typeof SignInLinkOut>;

export const PasskeyOut = Type.Object(
  {
    id: Type.String({ description: "the credential id" }),
    name: Type.String(),
    createTime: Type.String({ format: "date-time" }),
    lastUseTime: Type.Optional(Type.String({ format: "date-time" })),
  },
  { title: "Passkey" },
);
export type PasskeyOut = Static<typeof PasskeyOut>;

export const ListPasskeysOut = Type.Object({ passkeys: Type.Array(PasskeyOut) });

export const PasskeyParams = Type.Object({ id: Type.String({ maxLength: 1000 }) });

export const WebAuthnAnswer = Type.Object(
  {
    response: Type.Record(Type.String(), Type.Unknown(), {
      description: "the authenticator's answer, as @simplewebauthn/browser gives it",
    }),
    name: Type.Optional(Type.String({ maxLength: 100, description: "a name to tell the passkey by" })),
  },
  { additionalProperties: false },
);

export const WebAuthnOptions = Type.Unknown({ description: "options for @simplewebauthn/browser" });
