import cookie from "@fastify/cookie";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { randomBytes } from "node:crypto";
import { nanosToMillis, parseGoDuration } from "../../domain/duration.js";
import type { Services } from "../../services/runtime/context.js";
import { LOGIN_MAX_AGE_MS, WebSignIn, type WebSignInSettings } from "../../services/identity/web-sign-in.js";
import type { FastifyReply } from "fastify";
import { actorContextFor } from "../request-context.js";
import type { RateLimits } from "../rate-limits.js";
import { checkCsrf, checkOrigin, CSRF_COOKIE, liveSession, SESSION_COOKIE } from "../session-guards.js";
import { passkeyRoutes } from "./passkeys.js";
import { EmptyOut, withErrors } from "../../contract/common.js";
import {
  LinkToken,
  LoginQuery,
  SessionOut,
  SessionTokenBody,
  SessionTokenOut,
  SignInLinkBody,
  SignInLinkOut,
  SignInOptionsOut,
} from "../../contract/sessions.js";

/**
 * Signing in in the browser: `/auth/login` → the identity provider → `/auth/callback`, or a
 * one-time link (`/auth/link`); `/auth/logout`; and for the web UI `GET /v1/auth/session` (who
 * is signed in) and `POST /v1/auth/session:token` (an access token for a space). The session
 * cookie is HTTP-only and SameSite=Lax (Secure on https); every state-changing call with it
 * must also send the `greenlight_csrf` cookie's value in `X-CSRF-Token` from this server's own
 * origin, which another site can neither read nor send.
 */

const LOGIN_COOKIE = "greenlight_login";

export interface WebAuthOptions {
  services: Services;
  settings: WebSignInSettings;
  limits: RateLimits;
}

export const webAuthRoutes: FastifyPluginAsyncTypebox<WebAuthOptions> = async (app, { services, settings, limits }) => {
  const signIn = new WebSignIn(services, settings);
  await app.register(cookie);
  // The sign-in link's form posts form fields; the rest of the API takes JSON alone.
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  const secure = () => services.web.publicUrl.startsWith("https:");
  // Per address, generous: many people may share one (an office behind NAT).
  const open = { public: true, rateLimit: limits.perAddress(600) };
  const tags = ["auth"];

  const startSession = (reply: FastifyReply, secret: string, expiresAt: number) => {
    const maxAge = Math.max(1, Math.floor((expiresAt - services.clock.now()) / 1000));
    void reply.setCookie(SESSION_COOKIE, secret, { httpOnly: true, sameSite: "lax", secure: secure(), path: "/", maxAge });
    // Readable by the page (not HTTP-only): it sends it back as X-CSRF-Token.
    void reply.setCookie(CSRF_COOKIE, randomBytes(24).toString("base64url"), {
      httpOnly: false,
      sameSite: "lax",
      secure: secure(),
      path: "/",
      maxAge,
    });
  };

  app.get(
    "/auth/login",
    {
      config: open,
      schema: {
        tags,
        summary: "Sign in with the identity provider (redirects there)",
        security: [],
        querystring: LoginQuery,
      },
    },
    async (request, reply) => {
      const { url, state } = await signIn.startLogin(request.query.returnTo ?? "/", { stepUp: request.query.stepUp === "true" });
      void reply.setCookie(LOGIN_COOKIE, state, {
        httpOnly: true,
        sameSite: "lax",
        secure: secure(),
        path: "/auth",
        maxAge: LOGIN_MAX_AGE_MS / 1000,
      });
      return reply.redirect(url, 302);
    },
  );

  app.get(
    "/auth/callback",
    { config: open, schema: { tags, summary: "Where the identity provider sends the browser back", security: [] } },
    async (request, reply) => {
      const callback = new URL(request.url, `${services.web.publicUrl}/`);
      const { secret, session, returnTo } = await signIn.finishLogin(callback, request.cookies[LOGIN_COOKIE]);
      void reply.clearCookie(LOGIN_COOKIE, { path: "/auth" });
      await signIn.signOut(request.cookies[SESSION_COOKIE], "signed in again");
      startSession(reply, secret, session.expiresAt);
      return reply.redirect(returnTo, 302);
    },
  );

  app.get(
    "/auth/link",
    {
      config: open,
      schema: {
        tags,
        summary: "A one-time sign-in link: a page whose button signs in",
        security: [],
        querystring: LinkToken,
      },
    },
    // A page with a button, not a sign-in: mail scanners and link previews fetch links, and must not use them up.
    // `same-origin`: the link's token never leaves in a Referer, while the form still sends the
    // page's real Origin (under `no-referrer` browsers send `Origin: null`, which is refused).
    async (request, reply) =>
      reply
        .type("text/html; charset=utf-8")
        .header("cache-control", "no-store")
        .header("referrer-policy", "same-origin")
        .send(linkPage(request.query.token)),
  );

  app.post(
    "/auth/link",
    {
      config: open,
      schema: { tags, summary: "Use a one-time sign-in link", security: [], body: LinkToken },
    },
    async (request, reply) => {
      checkOrigin(request, services);
      const { secret, session } = await signIn.redeemLink(request.body.token);
      await signIn.signOut(request.cookies[SESSION_COOKIE], "signed in again");
      startSession(reply, secret, session.expiresAt);
      return reply.redirect("/", 303);
    },
  );

  app.post(
    "/auth/logout",
    { config: open, schema: { tags, summary: "Sign out: the session ends", security: [], response: withErrors({ 200: EmptyOut }) } },
    async (request, reply) => {
      checkCsrf(request, services);
      await signIn.signOut(request.cookies[SESSION_COOKIE]);
      void reply.clearCookie(SESSION_COOKIE, { path: "/" });
      void reply.clearCookie(CSRF_COOKIE, { path: "/" });
      return {};
    },
  );

  // The sign-in page asks before offering the provider: without one, /auth/login answers 404,
  // and the page explains the way in (a link from an admin) instead.
  app.get(
    "/v1/auth/signInOptions",
    {
      config: open,
      schema: {
        tags,
        summary: "How people sign in to this server's web UI",
        security: [],
        response: withErrors({ 200: SignInOptionsOut }),
      },
    },
    async () => ({ identityProvider: settings.oidc !== null }),
  );

  app.get(
    "/v1/auth/session",
    {
      config: open,
      schema: {
        tags,
        summary: "Who is signed in in this browser, and the spaces they hold a role in",
        security: [],
        response: withErrors({ 200: SessionOut }),
      },
    },
    async (request) => {
      const session = await liveSession(signIn, request);
      return {
        email: session.email,
        via: session.via,
        expireTime: new Date(session.expiresAt).toISOString(),
        spaces: await signIn.spacesOf(session),
        stepUp: await signIn.stepUpStatus(session),
      };
    },
  );

  app.post(
    "/v1/auth/session::token",
    {
      config: open,
      schema: {
        tags,
        summary: "An access token for one space, for the signed-in person (the web UI's way to call the API)",
        security: [],
        body: SessionTokenBody,
        response: withErrors({ 200: SessionTokenOut }),
      },
    },
    async (request) => {
      checkCsrf(request, services);
      return signIn.sessionToken(await liveSession(signIn, request), request.body.space);
    },
  );

  app.post(
    "/v1/auth/signInLinks",
    {
      schema: {
        tags,
        summary: "Make a one-time sign-in link for a person (server admin token only)",
        body: SignInLinkBody,
        response: withErrors({ 201: SignInLinkOut }),
      },
    },
    async (request, reply) => {
      const ctx = actorContextFor(request, services);
      const ttlMs = request.body.ttl === undefined ? undefined : nanosToMillis(parseGoDuration(request.body.ttl, "ttl"));
      return reply.status(201).send(await signIn.createLink(ctx, { email: request.body.email, ...(ttlMs === undefined ? {} : { ttlMs }) }));
    },
  );

  passkeyRoutes(app, { services, signIn, config: open, tags });
};

function linkPage(token: string): string {
  const escaped = token.replace(/[^A-Za-z0-9_-]/g, "");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in to Greenlight</title>
<style>body{font:16px system-ui,sans-serif;margin:4rem auto;max-width:28rem;padding:0 1rem;color:#111}button{font:inherit;padding:.6rem 1.2rem;background:#14532d;color:#fff;border:0;border-radius:.4rem;cursor:pointer}button:focus{outline:3px solid #f59e0b}</style>
</head><body><main><h1>Sign in to Greenlight</h1><p>This link signs you in once.</p>
<form method="post" action="/auth/link"><input type="hidden" name="token" value="${escaped}"><button type="submit">Sign in</button></form></main></body></html>`;
}
