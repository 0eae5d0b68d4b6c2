import { actorEmail, actorKey, SERVICE_ACCOUNT_KIND, type Actor } from "./actor.js";
import { DomainError } from "./errors.js";
import type { Petition } from "./petition.js";
import { permissionsOf, ROLES, type Permission, type Role } from "./roles.js";
import { isPrincipalKind, resourceEmail, type Resource } from "./resource.js";

/** What an actor may do in one space: its roles there, and the permissions they carry. */
export interface Access {
  actor: Actor;
  roles: ReadonlySet<Role>;
  permissions: ReadonlySet<Permission>;
}

export function accessFor(actor: Actor, roles: Iterable<Role>): Access {
  const set = new Set(roles);
  return { actor, roles: set, permissions: permissionsOf(set) };
}

/** The bootstrap admin and the system's jobs hold every role in every space. */
export function fullAccess(actor: Actor): Access {
  return accessFor(actor, ROLES);
}

export function can(access: Access, permission: Permission): boolean {
  return access.permissions.has(permission);
}

/** FORBIDDEN unless the actor has `permission`; `what` completes "your roles … do not allow …". */
export function requirePermission(access: Access, permission: Permission, what: string): void {
  if (can(access, permission)) return;
  const roles = access.roles.size > 0 ? [...access.roles].join(", ") : "none";
  throw new DomainError("FORBIDDEN", `your roles in this space (${roles}) do not allow ${what}; ${ROLE_HINT[permission]}`);
}

const ROLE_HINT: Record<Permission, string> = {
  "petitions.read-all": "reviewers and admins read every petition",
  "petitions.create-for-others": "the petitioner-admin role petitions on behalf of others",
  "petitions.create": "any role may petition for itself",
  "petitions.review": "reviewers and admins decide petitions",
  "petitions.manage": "admins manage every petition",
  "resources.read-all": "reviewers and admins see every resource",
  "resources.write": "admins manage resources",
  "space.admin": "admins manage the space",
};

/**
 * Whether the resource names the actor itself: by email (as a petitioner does; see
 * `resourceEmail`), or, for a service account, by its kind and id.
 */
export function isActorItself(actor: Actor, resource: Pick<Resource, "kind" | "email" | "id">): boolean {
  if (actor.type === "serviceAccount" && resource.kind === SERVICE_ACCOUNT_KIND && resource.id === actor.id) return true;
  const email = actorEmail(actor);
  return email !== undefined && resourceEmail(resource) === email;
}

const NO_IDS: ReadonlySet<string> = new Set();

/**
 * Whether the actor asked for this petition: it created it, or a petitioner names it, by email
 * or by one of the ids the space's catalog knows the person by (`catalogIds`), so a petition
 * that names someone by their directory id is still theirs.
 */
export function isPartyTo(
  actor: Actor,
  petition: Pick<Petition, "petitioners" | "createdBy">,
  catalogIds: ReadonlySet<string> = NO_IDS,
): boolean {
  // The bootstrap admin is an operator's credential, not a person: what it creates on
  // someone's behalf, it may still decide.
  if (actor.type !== "admin" && petition.createdBy === actorKey(actor)) return true;
  return petition.petitioners.some((petitioner) => isActorItself(actor, petitioner) || namesAnyId(petitioner, catalogIds));
}

function namesAnyId(petitioner: Pick<Resource, "kind" | "id" | "altIds">, ids: ReadonlySet<string>): boolean {
  if (ids.size === 0 || !isPrincipalKind(petitioner.kind)) return false;
  return (petitioner.id !== undefined && ids.has(petitioner.id)) || (petitioner.altIds ?? []).some((id) => ids.has(id));
}

/** Whether the actor may see the petition at all; those it may not are reported as missing. */
export function mayReadPetition(access: Access, petition: Pick<Petition, "petitioners" | "createdBy">): boolean {
  return can(access, "petitions.read-all") || isPartyTo(access.actor, petition);
}

/** Refuses petitioners other than the actor itself, unless it may petition for others. */
export function checkPetitioners(access: Access, petitioners: Resource[]): void {
  if (can(access, "petitions.create-for-others")) return;
  requirePermission(access, "petitions.create", "creating petitions");
  const other = petitioners.find((petitioner) => !isActorItself(access.actor, petitioner));
  if (other) {
    throw new DomainError(
      "FORBIDDEN",
      `you may petition only for yourself (${actorEmail(access.actor) ?? "an actor without an email"}), not for ${other.email ?? other.id ?? other.kind}; the petitioner-admin role petitions on behalf of others`,
    );
  }
}

export type Decision = "approve" | "deny" | "revoke";

/**
 * Who may decide: approving and denying take a reviewer (or admin) who is not a party to the
 * petition; nobody counts toward their own approval. Revoking also lets a petitioner end its
 * own access early.
 */
export function checkDecision(access: Access, petition: Pick<Petition, "name" | "petitioners" | "createdBy">, decision: Decision): void {
  if (decision === "revoke" && petition.petitioners.some((p) => isActorItself(access.actor, p))) return;
  requirePermission(access, "petitions.review", `${decision === "revoke" ? "revoking" : "deciding"} petitions`);
  if (decision !== "revoke" && isPartyTo(access.actor, petition)) {
    throw new DomainError(
      "SELF_REVIEW",
      `you asked for petition ${petition.name} (as a petitioner or its creator), so you cannot ${decision} it; another reviewer must`,
    );
  }
}

/** Closing (cancelling or ending) a petition: its parties may, and so may admins. */
export function checkClose(access: Access, petition: Pick<Petition, "petitioners" | "createdBy">): void {
  if (isPartyTo(access.actor, petition)) return;
  requirePermission(access, "petitions.manage", "closing petitions you did not ask for");
}
