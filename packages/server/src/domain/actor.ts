import type { Resource } from "./resource.js";

/**
 * Who does something. Every request carries one and every event records one. The identity
 * model adds users and service accounts to this union; code that records actors goes through
 * `actorResource`, so it needs no change when they arrive.
 */
export type Actor =
  /** Whoever holds the bootstrap admin token. */
  | { type: "admin" }
  /** A background job acting for the service itself, such as expiring grants. */
  | { type: "system"; job: string };

export const SYSTEM_KIND = "greenlight.v1.System";
export const ADMIN_KIND = "greenlight.v1.Admin";

/** The actor as the wire shows it on events: a resource. */
export function actorResource(actor: Actor): Resource {
  switch (actor.type) {
    case "admin":
      return { kind: ADMIN_KIND, id: "bootstrap-admin", displayName: "Bootstrap admin", labels: {} };
    case "system":
      return { kind: SYSTEM_KIND, id: actor.job, displayName: "Greenlight", labels: {} };
  }
}

/** A short description for logs and messages. */
export function describeActor(actor: Actor): string {
  switch (actor.type) {
    case "admin":
      return "the bootstrap admin";
    case "system":
      return `the ${actor.job} job`;
  }
}

/** A stable key for the actor, for scoping things to who did them (idempotency keys). */
export function actorKey(actor: Actor): string {
  switch (actor.type) {
    case "admin":
      return "admin";
    case "system":
      return `system:${actor.job}`;
  }
}
