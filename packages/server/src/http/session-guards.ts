import type { FastifyRequest } from "fastify";
import { timingSafeEqual } from "node:crypto";
import { DomainError } from "../domain/errors.js";
import type { Services } from "../services/runtime/context.js";
import { sessionEnded, type WebSignIn } from "../services/identity/web-sign-in.js";

/**
 * What every request that uses the browser session passes: a live session (from the HTTP-only
 * cookie) and, for anything that changes state, the double-submitted CSRF token from this
 * server's own origin.
 */

export const SESSION_COOKIE = "greenlight_session";
export const CSRF_COOKIE = "greenlight_csrf";

export async function liveSession(signIn: WebSignIn, request: FastifyRequest) {
  const session = await signIn.session(request.cookies[SESSION_COOKIE]);
  if (!session) throw sessionEnded();
  return session;
}

/** The double-submitted CSRF token, from this server's own pages. */
export function checkCsrf(request: FastifyRequest, services: Services): void {
  checkOrigin(request, services);
  const cookieValue = request.cookies[CSRF_COOKIE] ?? "";
  const header = request.headers["x-csrf-token"];
  const sent = typeof header === "string" ? header : "";
  const a = Buffer.from(cookieValue);
  const b = Buffer.from(sent);
  if (cookieValue === "" || a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new DomainError("FORBIDDEN", "the X-CSRF-Token header must carry the greenlight_csrf cookie's value");
  }
}

/** A browser says where a request comes from: only this server's own pages may use the session. */
export function checkOrigin(request: FastifyRequest, services: Services): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  if (origin !== new URL(services.web.publicUrl).origin) {
    throw new DomainError("FORBIDDEN", `requests with the session must come from ${new URL(services.web.publicUrl).origin}, not ${origin}`);
  }
}
