import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { actorKey } from "../domain/actor.js";
import { DomainError } from "../domain/errors.js";

export interface RateLimitOptions {
  /** Requests per minute one caller may make; 0 turns the limit off. */
  perCallerPerMinute: number;
  /** Failed authentications per minute from one address before it is refused outright. */
  authFailuresPerMinute: number;
  /** Token exchanges per minute from one address. */
  exchangesPerMinute: number;
}

const WINDOW_MS = 60_000;
/** Callers and addresses remembered at once; the least recently seen are forgotten first. */
const TRACKED_KEYS = 10_000;

export interface RateLimits {
  authFailures: AuthFailureGuard;
  /** Route configuration that limits a route per client address (`config.rateLimit`). */
  perAddress(max: number): { max: number; timeWindow: number; allowList: string[]; keyGenerator: (request: FastifyRequest) => string };
}

export interface AuthFailureGuard {
  /** Refuses the request with RATE_LIMITED if its address has failed too often this minute. */
  check(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Counts a failed authentication against the request's address. */
  record(request: FastifyRequest): Promise<void>;
}

/**
 * Two limits, both in one-minute windows as Indent counted them. Every authenticated request
 * counts against its caller (the token's principal), so one runaway client cannot starve the
 * rest. Failed authentications count against the client's address, and the check comes before
 * the token is looked at: an address that has guessed wrong too often gets 429 even for a
 * right guess, so guessing cannot continue past the limit. Counts are per process.
 */
export async function registerRateLimits(app: FastifyInstance, options: RateLimitOptions): Promise<RateLimits> {
  await app.register(rateLimit, {
    global: options.perCallerPerMinute > 0,
    max: options.perCallerPerMinute,
    timeWindow: WINDOW_MS,
    cache: TRACKED_KEYS,
    // After authentication, so the caller is known.
    hook: "preHandler",
    keyGenerator: (request) => (request.actor ? `caller:${actorKey(request.actor)}` : `address:${request.ip}`),
    allowList: (request) => request.routeOptions.config.public === true,
    errorResponseBuilder: (_request, context) =>
      new DomainError(
        "RATE_LIMITED",
        `too many requests: at most ${context.max} a minute are allowed here; retry in ${context.after} (see the Retry-After header)`,
      ),
  });

  const failures = app.createRateLimit({
    max: options.authFailuresPerMinute,
    timeWindow: WINDOW_MS,
    keyGenerator: (request) => `auth-failure:${request.ip}`,
  });
  const authFailures: AuthFailureGuard = {
    async check(request, reply) {
      const seen = await failures(request, { increment: false });
      if (seen.isAllowed || seen.remaining > 0) return;
      void reply.header("retry-after", seen.ttlInSeconds);
      throw new DomainError(
        "RATE_LIMITED",
        `too many failed authentications from ${request.ip}; wait ${seen.ttlInSeconds}s before trying again`,
      );
    },
    async record(request) {
      await failures(request);
    },
  };
  return {
    authFailures,
    // Public routes are otherwise exempt; these are limited whoever calls.
    perAddress: (max) => ({ max, timeWindow: WINDOW_MS, allowList: [], keyGenerator: (request) => `address:${request.ip}` }),
  };
}
