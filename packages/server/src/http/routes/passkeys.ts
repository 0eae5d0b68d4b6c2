import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
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
import { checkCsrf, liveSession } from "../session-guards.js";
import { EmptyOut, withErrors } from "../../contract/common.js";
import { ListPasskeysOut, PasskeyOut, PasskeyParams, StepUpOut, WebAuthnAnswer, WebAuthnOptions } from "../../contract/sessions.js";

/**
 * The signed-in person's passkeys, and stepping up with one. Like the rest of the session's
 * routes these take the session cookie, never a bearer token, and every change needs the
 * CSRF token from this server's origin. The WebAuthn options and answers are the JSON that
 * `@simplewebauthn/browser` takes and gives.
 */

type App = Parameters<FastifyPluginAsyncTypebox>[0];

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
        response: withErrors({ 200: ListPasskeysOut }),
      },
    },
    async (request) => ({ passkeys: await listPasskeys({ services, session: await liveSession(signIn, request) }) }),
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
      return registrationOptions({ services, session: await liveSession(signIn, request) });
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
      const added = await registerPasskey({
        services,
        session,
        input: {
          response: request.body.response,
          ...(request.body.name === undefined ? {} : { name: request.body.name }),
        },
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
        params: PasskeyParams,
        response: withErrors({ 200: EmptyOut }),
      },
    },
    async (request) => {
      checkCsrf(request, services);
      await removePasskey({ services, session: await liveSession(signIn, request), id: request.params.id });
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
      return stepUpOptions({ services, session: await liveSession(signIn, request) });
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
      const session = await stepUpWithPasskey({
        services,
        session: await liveSession(signIn, request),
        input: { response: request.body.response },
      });
      return signIn.stepUpStatus(session);
    },
  );
}
