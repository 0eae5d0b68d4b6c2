import type { Actor } from "./actor.js";
import { describeMillis } from "./duration.js";
import { DomainError } from "./errors.js";

/**
 * High risk means a fresh, strong sign-in. A petition whose plan is `highRisk` is approved only
 * by a person whose access token says they authenticated strongly — with the identity
 * provider, asked to sign them in again (`prompt=login`, `max_age`), or with a passkey — within
 * the last `maxAgeMs`. The token says so in `auth_time` and `amr`, which the server signs into
 * tokens it mints from a browser session and reads back only from a verified token; nothing a
 * request sends counts. Everything else is refused: service accounts, the bootstrap admin
 * token, decision webhooks' bots, and person tokens minted by an admin or the CLI or made from
 * a sign-in link session, none of which proves the person is at the keyboard now (as Entra PIM
 * asks for MFA on activation and Teleport for MFA per session). Denying needs no step-up: it
 * grants nothing.
 */

/** The authentication methods (`amr` values) this server signs, both strong. */
export const STRONG_METHODS = ["oidc", "passkey"] as const;
export type StrongMethod = (typeof STRONG_METHODS)[number];

function isStrongMethod(method: string): method is StrongMethod {
  return (STRONG_METHODS as readonly string[]).includes(method);
}

/** A refusal that says how to step up; the HTTP layer adds RFC 9470's `WWW-Authenticate` challenge. */
export class StepUpRequired extends DomainError {
  constructor(
    message: string,
    /** How recent the sign-in must be, for the challenge's `max_age`. */
    readonly maxAgeSeconds: number,
  ) {
    super("STEP_UP_REQUIRED", message);
  }
}

export interface StepUpCheck {
  now: number;
  maxAgeMs: number;
  petitionName: string;
  /** The petition's page in the web UI, where a person steps up and approves. */
  reviewUrl: string;
}

/** An `auth_time` this far ahead of the server's clock is not believed. */
const FUTURE_TOLERANCE_MS = 60_000;

/** Whether a strong authentication at `at` is recent enough at `now` (and not from the future). */
export function isFresh(at: number, now: number, maxAgeMs: number): boolean {
  return at <= now + FUTURE_TOLERANCE_MS && now - at <= maxAgeMs;
}

/** Throws `StepUpRequired` unless `actor` is a person with a strong sign-in recent enough to approve a high-risk petition. */
export function checkStepUp(actor: Actor, check: StepUpCheck): void {
  const { now, maxAgeMs, petitionName, reviewUrl } = check;
  const needs = `petition ${petitionName} is high-risk: approving it needs a person who signed in within the last ${describeMillis(maxAgeMs)} with the identity provider or a passkey`;
  const refuse = (why: string) => new StepUpRequired(`${needs}; ${why}`, Math.floor(maxAgeMs / 1000));
  if (actor.type !== "user") {
    throw refuse(`${describeActor(actor)} is not a person signed in to the web UI. A reviewer approves it at ${reviewUrl}`);
  }
  const strong = actor.strongAuth;
  if (!strong || strong.at > now + FUTURE_TOLERANCE_MS || !strong.methods.some(isStrongMethod)) {
    throw refuse(
      `this token carries no such sign-in (tokens minted by an admin or the CLI, and sessions from sign-in links, never do). Open ${reviewUrl}, sign in again when asked, and approve there`,
    );
  }
  if (!isFresh(strong.at, now, maxAgeMs)) {
    throw refuse(
      `yours was ${describeMillis(Math.floor((now - strong.at) / 1000) * 1000)} ago. Open ${reviewUrl}, sign in again when asked, and approve there`,
    );
  }
}

function describeActor(actor: Exclude<Actor, { type: "user" }>): string {
  switch (actor.type) {
    case "serviceAccount":
      return `service account ${actor.name}`;
    case "admin":
      return "the bootstrap admin token";
    case "bot":
      return `the bot of decision webhook ${actor.webhook}`;
    case "system":
      return `Greenlight's ${actor.job} job`;
  }
}
