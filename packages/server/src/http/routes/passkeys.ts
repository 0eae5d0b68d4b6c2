import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import Type from "typebox";
import type { Services } from "../../services/runtime/context.js";
import {
  listPasskeys,
  registerPasskey,
  registrationOptions,
  removePasskey,
  stepUpOptions,
  stepUpWithPasskey,
} from "../../services/identity/passkeys.js";
import type { WebSignIn } from "../../services/identity/web-sign-in.js";
import { withErrors } from "../schemas.js";
import { checkCsrf, liveSession } from "../session-guards.js";

/**
 * The signed-in person's passkeys, and stepping up with one. Like the rest of the session's
 * routes these take the session cookie, never a bearer token, and every change needs the
 * CSRF token from this server's origin. The WebAuthn options and answers are the JSON that
 * `@simplewebauthn/browser` takes and gives.
 */

type App = Parameters<FastifyPluginAsyncTypebox>[0];

export const StepUpOut = Type.Object(
  {
    methods: Type.Array(Type.String(), { description: "how this person can sign in again strongly here: oidc, passkey" }),
    maxAge: Type.String({ description: 'how recent a strong sign-in must be to approve a high-risk petition, e.g. "10m"' }),
    lastStrongSignIn: Type.Optional(
      Type.Object({ time: Type.String({ format: "date-time" }), method: Type.String(), fresh: Type.Boolean() }),
    ),
  },
  { description: "high-risk approvals need a recent strong sign-in: what this session has, and how to get one" },
);
const PasskeyOut = Type.Object({
  id: Type.String({ description: "the credential id" }),
  name: Type.String(),
  createTime: Type.String({ format: "date-time" }),
  lastUseTime: Type.Optional(Type.String({ format: "date-time" })),
});
const WebAuthnAnswer = Type.Object(
  {
    response: Type.Record(Type.String(), Type.Unknown(), {
      description: "the authenticator's answer, as @simplewebauthn/browser gives it",
    }),
    name: Type.Optional(Type.String({ maxLength: 100, description: "a name to tell the passkey by" })),
  },
  { additionalProperties: false },
);
const WebAuthnOptions = Type.Unknown({ description: "options for @simplewebauthn/browser" });

export function passkeyRoutes(
  app: App,
  { services, signIn, config, tags }: { services: Services; signIn: WebSignIn; config: object; tags: string[] },
): void {
  app.get(
    "/v1/auth/passkeys",
    {
      config,
      schema: {
        tags,
        summary: "The signed-in person's passkeys",
        security: [],
        response: withErrors({ 200: Type.Object({ passkeys: Type.Array(PasskeyOut) }) }),
      },
    },
    async (request) => ({ passkeys: await listPasskeys(services, await liveSession(signIn, request)) }),
  );

  app.post(
    "/v1/auth/passkeys::registrationOptions",
    {
      config,
      schema: {
        tags,
        summary: "Start adding a passkey (needs a recent strong sign-in)",
        security: [],
        response: withErrors({ 200: WebAuthnOptions }),
      },
    },
    async (request) => {
      checkCsrf(request, services);
      return registrationOptions(services, await liveSession(signIn, request));
    },
  );

  app.post(
    "/v1/auth/passkeys",
    {
      config,
      schema: {
        tags,
        summary: "Add the passkey the authenticator made (needs a recent strong sign-in)",
        security: [],
        body: WebAuthnAnswer,
        response: withErrors({ 201: PasskeyOut }),
      },
    },
    async (request, reply) => {
      checkCsrf(request, services);
      const session = await liveSession(signIn, request);
      const added = await registerPasskey(services, session, {
        response: request.body.response,
        ...(request.body.name === undefined ? {} : { name: request.body.name }),
      });
      return reply.status(201).send(added);
    },
  );

  app.delete(
    "/v1/auth/passkeys/:id",
    {
      config,
      schema: {
        tags,
        summary: "Remove one of the signed-in person's passkeys (needs a recent strong sign-in)",
        security: [],
        params: Type.Object({ id: Type.String({ maxLength: 1000 }) }),
        response: withErrors({ 200: Type.Object({}) }),
      },
    },
    async (request) => {
      checkCsrf(request, services);
      await removePasskey(services, await liveSession(signIn, request), request.params.id);
      return {};
    },
  );

  app.post(
    "/v1/auth/session::stepUpOptions",
    {
      config,
      schema: {
        tags,
        summary: "Start signing in again with a passkey, for high-risk approvals",
        security: [],
        response: withErrors({ 200: WebAuthnOptions }),
      },
    },
    async (request) => {
      checkCsrf(request, services);
      return stepUpOptions(services, await liveSession(signIn, request));
    },
  );

  app.post(
    "/v1/auth/session::stepUp",
    {
      config,
      schema: {
        tags,
        summary: "Sign in again with a passkey: the session records a strong sign-in now; mint a new access token to use it",
        security: [],
        body: WebAuthnAnswer,
        response: withErrors({ 200: StepUpOut }),
      },
    },
    async (request) => {
      checkCsrf(request, services);
      const session = await stepUpWithPasskey(services, await liveSession(signIn, request), { response: request.body.response });
      return signIn.stepUpStatus(session);
    },
  );
}
