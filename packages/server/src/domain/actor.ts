import type { Resource } from "./resource.js";

/**
 * Who does something. Every request carries one and every event records one.
 *
 * People and service accounts hold tokens bound to one space (`spaceId`) and act there with
 * the roles bound to them in that space; the bootstrap admin acts in every space with every
 * role; the system acts for the service's own jobs. Code that records actors goes through
 * `actorResource`, so it needs no change when a new kind of actor arrives.
 */
export type Actor =
  /** Whoever holds the bootstrap admin token: every space, every role. */
  | { type: "admin" }
  /**
   * A person, by email, with an access token for one space; `strongAuth` when the token says
   * they signed in strongly (its verified `auth_time` and `amr`).
   */
  | { type: "user"; email: string; spaceId: string; tokenId: string; strongAuth?: StrongAuthentication }
  /** A service account of one space, acting with an access token exchanged for its refresh token. */
  | { type: "serviceAccount"; id: string; name: string; email: string; spaceId: string; tokenId: string }
  /** A background job acting for the service itself, such as expiring grants. */
  | { type: "system"; job: string }
  /** A decision webhook's bot, whose claims the webhook returned (Indent's `indent.v1.Bot`). */
  | { type: "bot"; webhook: string; id?: string; email?: string; displayName?: string };

/** When (ms) and how a person last authenticated strongly, as their access token carries it. */
export interface StrongAuthentication {
  at: number;
  methods: string[];
}

export const SYSTEM_KIND = "greenlight.v1.System";
export const ADMIN_KIND = "greenlight.v1.Admin";
export const SERVICE_ACCOUNT_KIND = "greenlight.v1.ServiceAccount";
export const BOT_KIND = "indent.v1.Bot";

/** The actor as the wire shows it on events: a resource. */
export function actorResource(actor: Actor): Resource {
  switch (actor.type) {
    case "admin":
      return { kind: ADMIN_KIND, id: "bootstrap-admin", displayName: "Bootstrap admin", labels: {} };
    case "user":
      return { kind: "user", email: actor.email, labels: {} };
    case "serviceAccount":
      return { kind: SERVICE_ACCOUNT_KIND, id: actor.id, displayName: actor.name, email: actor.email, labels: {} };
    case "system":
      return { kind: SYSTEM_KIND, id: actor.job, displayName: "Greenlight", labels: {} };
    case "bot": {
      const bot: Resource = { kind: BOT_KIND, labels: { "greenlight.dev/webhook": actor.webhook } };
      if (actor.id !== undefined) bot.id = actor.id;
      if (actor.email !== undefined) bot.email = actor.email;
      if (actor.displayName !== undefined) bot.displayName = actor.displayName;
      return bot;
    }
  }
}

/**
 * A stable key for the actor: who created a petition, whose Idempotency-Keys are whose. A
 * person is the same principal whichever token they use.
 */
export function actorKey(actor: Actor): string {
  switch (actor.type) {
    case "admin":
      return "admin";
    case "user":
      return `user:${actor.email.toLowerCase()}`;
    case "serviceAccount":
      return `serviceAccount:${actor.id}`;
    case "system":
      return `system:${actor.job}`;
    case "bot":
      return `bot:${actor.webhook}/${(actor.id ?? actor.email ?? "").toLowerCase()}`;
  }
}

/** The email the actor is known by, lower-cased, if it has one. */
export function actorEmail(actor: Actor): string | undefined {
  return actor.type === "user" || actor.type === "serviceAccount" ? actor.email.toLowerCase() : undefined;
}

/** The space a token-bound actor may act in; undefined for actors bound to none (admin, system). */
export function actorSpaceId(actor: Actor): string | undefined {
  return actor.type === "user" || actor.type === "serviceAccount" ? actor.spaceId : undefined;
}
