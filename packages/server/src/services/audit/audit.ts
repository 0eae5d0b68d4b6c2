import { actorResource, type Actor } from "../../domain/actor.js";
import { AUDIT_TOKEN_LABEL, type AuditEntry } from "../../domain/audit.js";
import { newId } from "../../domain/ids.js";
import type { PetitionEvent } from "../../domain/petition.js";
import type { Resource } from "../../domain/resource.js";
import type { SpaceRef } from "../../store/repositories/spaces.js";
import type { Tx } from "../../store/store.js";

/**
 * Writing the audit log. Every change appends its event through the transaction that makes
 * it, so the two commit together or not at all: if the event cannot be written, the change
 * fails. Events name what changed, never secrets (tokens, signing secrets, API keys, header
 * values): only names, ids and hints.
 */

/** Who is acting and for which request: every context and job environment has these. */
export interface AuditOrigin {
  actor: Actor;
  requestId: string;
}

/** One change, in the words of its event. */
export interface AuditChange {
  /** `entity/past-tense-verb`, such as `webhook/created`. */
  event: string;
  /** What the change was made to. */
  resources: Resource[];
  reason?: string;
  labels?: Record<string, string>;
}

/** The chain of server-wide events (spaces created and deleted, keys rotated), apart from every space's own. */
export const SERVER_CHAIN: SpaceRef = { id: "server", name: "" };

/** The kinds of the resources events name, for things Greenlight itself keeps. */
export const AUDIT_KINDS = {
  space: "greenlight.v1.Space",
  resource: "greenlight.v1.Resource",
  roleBinding: "greenlight.v1.RoleBinding",
  group: "greenlight.v1.Group",
  serviceAccount: "greenlight.v1.ServiceAccount",
  token: "greenlight.v1.Token",
  signingKey: "greenlight.v1.SigningKey",
  signInLink: "greenlight.v1.SignInLink",
  policy: "greenlight.v1.Policy",
  onCallProvider: "greenlight.v1.OnCallProvider",
  webhook: "indent.blocks.v1.Webhook",
  webhookPolicy: "greenlight.v1.WebhookPolicy",
  subscription: "greenlight.v1.Subscription",
  delivery: "greenlight.v1.Delivery",
  pullPolicy: "greenlight.v1.PullPolicy",
  slackApp: "greenlight.v1.SlackApp",
  auditInput: "greenlight.v1.AuditInput",
  auditLog: "greenlight.v1.AuditLog",
  petition: "indent.v1.Petition",
} as const;

/** A resource naming one of Greenlight's own objects. */
export function auditTarget(kind: keyof typeof AUDIT_KINDS, id: string, displayName?: string): Resource {
  const resource: Resource = { kind: AUDIT_KINDS[kind], id, labels: {} };
  if (displayName !== undefined && displayName !== id) resource.displayName = displayName;
  return resource;
}

/** A space as the server's chain names it: by name, and by id, since a deleted space's name can be used again. */
export function spaceTarget(space: { id: string; name: string }): Resource {
  return { ...auditTarget("space", space.name), labels: { "greenlight.dev/space-id": space.id } };
}

/** The actor as audit events show it: with the token it used, so every write names its credential. */
export function auditActor(actor: Actor): Resource {
  const resource = actorResource(actor);
  if (actor.type === "user" || actor.type === "serviceAccount")
    return { ...resource, labels: { ...resource.labels, [AUDIT_TOKEN_LABEL]: actor.tokenId } };
  return resource;
}

/** Appends the events of changes made by `origin` in `space`. */
export async function audit(
  tx: Tx,
  origin: AuditOrigin,
  space: { id: string; name?: string },
  now: number,
  ...changes: AuditChange[]
): Promise<void> {
  const actor = auditActor(origin.actor);
  await tx.audit.append(
    space,
    changes.map((change) => ({
      id: newId("evt", now),
      event: change.event,
      actor,
      resources: change.resources,
      reason: change.reason ?? "",
      timestamp: now,
      labels: change.labels ?? {},
      requestId: origin.requestId,
    })),
    now,
  );
}

/** A petition's new history events, into the audit log as they are (same ids, actors and labels). */
export async function auditPetitionEvents(
  tx: Tx,
  origin: AuditOrigin,
  space: { id: string; name?: string },
  events: PetitionEvent[],
  now: number,
): Promise<void> {
  const token = origin.actor.type === "user" || origin.actor.type === "serviceAccount" ? origin.actor.tokenId : undefined;
  const entries: AuditEntry[] = events.map((e) => ({
    id: e.id,
    event: e.event,
    // The token goes on the events the token's holder made, not on those of a bot or the system.
    actor:
      token !== undefined && sameActor(e.actor, origin.actor)
        ? { ...e.actor, labels: { ...e.actor.labels, [AUDIT_TOKEN_LABEL]: token } }
        : e.actor,
    resources: e.resources,
    reason: e.reason,
    timestamp: e.timestamp,
    labels: e.labels,
    requestId: origin.requestId,
  }));
  await tx.audit.append(space, entries, now);
}

function sameActor(resource: Resource, actor: Actor): boolean {
  const own = actorResource(actor);
  return own.kind === resource.kind && own.id === resource.id && own.email === resource.email;
}
