import { accessFor, fullAccess, type Access } from "../../domain/access.js";
import { actorEmail, actorSpaceId, type Actor } from "../../domain/actor.js";
import { DomainError } from "../../domain/errors.js";
import type { Repositories } from "../../store/store.js";
import type { ActorContext, Context, SpaceRef } from "../runtime/context.js";
import { resolveSpace, spaceNotFound } from "./resolve-space.js";

/**
 * The context for acting in a space: the space must exist and the actor's token must be for
 * it. A token for another space gets the very answer a space that does not exist gets, so
 * tokens reveal nothing about other tenants. The roles are read now, not taken from the
 * token, so a changed binding applies to the next request.
 */
export async function enterSpace({ ctx, spaceName }: { ctx: ActorContext; spaceName: string }): Promise<Context> {
  const space = await resolveSpace(ctx, spaceName);
  const bound = actorSpaceId(ctx.actor);
  if (bound !== undefined && bound !== space.id) throw spaceNotFound(spaceName);
  const access = await accessIn(ctx.store.read, ctx.actor, space);
  if (access.roles.size === 0) {
    throw new DomainError(
      "FORBIDDEN",
      `you have no role in space "${space.name}"; an admin of the space can grant one (POST /v1/spaces/${space.name}:addToRole)`,
    );
  }
  return { ...ctx, space, access };
}

/** The actor's roles in the space: bound to it directly, or to a group its email is in. */
export async function accessIn(repos: Repositories, actor: Actor, space: SpaceRef): Promise<Access> {
  if (actor.type === "admin" || actor.type === "system") return fullAccess(actor);
  // A bot acts only through the claims its webhook returns, checked against the plan's steps.
  if (actor.type === "bot") return accessFor(actor, []);
  const members = actor.type === "serviceAccount" ? [`serviceAccount:${actor.id}`] : [`user:${actor.email.toLowerCase()}`];
  const email = actorEmail(actor);
  if (email !== undefined) for (const group of await repos.groups.namesFor(space.id, email)) members.push(`group:${group}`);
  return accessFor(actor, await repos.roleBindings.rolesOf(space.id, members));
}
