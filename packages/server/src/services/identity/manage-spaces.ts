import { audit, auditTarget, SERVER_CHAIN, spaceTarget } from "../audit/audit.js";
import { requirePermission } from "../../domain/access.js";
import { actorSpaceId } from "../../domain/actor.js";
import { DomainError, invalidArgument } from "../../domain/errors.js";
import { newId } from "../../domain/ids.js";
import type { SpaceRow } from "../../store/repositories/spaces.js";
import type { ActorContext, Context } from "../runtime/context.js";
import { accessIn, enterSpace } from "./enter-space.js";
import { paginate } from "../runtime/paginate.js";
import { forgetSpace } from "./resolve-space.js";
import type { ListSpacesQuery, SpaceOut } from "../../contract/spaces.js";

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function toWireSpace(space: SpaceRow): SpaceOut {
  return {
    name: space.name,
    displayName: space.displayName,
    createTime: new Date(space.createdAt).toISOString(),
    updateTime: new Date(space.updatedAt).toISOString(),
  };
}

/** Spaces are the server's tenants: only its admin token creates or deletes them. */
function requireServerAdmin(ctx: ActorContext, what: string): void {
  if (ctx.actor.type !== "admin") {
    throw new DomainError("FORBIDDEN", `only the server's admin token may ${what}; tokens are bound to one space`);
  }
}

export async function createSpace({
  ctx,
  input,
}: {
  ctx: ActorContext;
  input: { name?: string; displayName?: string };
}): Promise<SpaceOut> {
  requireServerAdmin(ctx, "create spaces");
  const name = input.name ?? "";
  if (!NAME.test(name)) {
    throw invalidArgument(
      `space.name must be 1 to 63 lower-case letters, digits and '-', starting with a letter or digit, such as "acme-prod"; got ${JSON.stringify(name.slice(0, 80))}`,
      "space.name",
    );
  }
  return ctx.store.transaction(async (tx) => {
    if (await tx.spaces.findByName(name)) throw new DomainError("CONFLICT", `space "${name}" already exists`);
    const now = ctx.clock.now();
    const space: SpaceRow = { id: newId("spc", now), name, displayName: input.displayName || name, createdAt: now, updatedAt: now };
    await tx.spaces.insert(space);
    // A space's history starts with its creation.
    await audit(tx, ctx, space, now, { event: "space/created", resources: [auditTarget("space", space.name, space.displayName)] });
    return toWireSpace(space);
  });
}

/** Every space for the server's admin; for a token bound to a space, that space if it has a role there. */
export async function listSpaces({
  ctx,
  query,
}: {
  ctx: ActorContext;
  query: ListSpacesQuery;
}): Promise<{ spaces: SpaceOut[]; nextPageToken: string }> {
  const repos = ctx.store.read;
  const bound = actorSpaceId(ctx.actor);
  let ids: string[] | undefined;
  if (bound !== undefined) {
    const space = await repos.spaces.findById(bound);
    const hasRole = space !== undefined && (await accessIn(repos, ctx.actor, space)).roles.size > 0;
    ids = hasRole ? [bound] : [];
  }
  const page = await paginate(
    query,
    ["spaces"],
    (after, limit) => repos.spaces.list({ ids, after, limit }),
    (space) => space.name,
  );
  return { spaces: page.items.map(toWireSpace), nextPageToken: page.nextPageToken };
}

export async function getSpace({ ctx }: { ctx: Context }): Promise<SpaceOut> {
  const space = await ctx.store.read.spaces.findById(ctx.space.id);
  if (!space) throw new DomainError("NOT_FOUND", `space "${ctx.space.name}" does not exist`);
  return toWireSpace(space);
}

export async function updateSpace({ ctx, input }: { ctx: Context; input: { displayName?: string } }): Promise<SpaceOut> {
  requirePermission(ctx.access, "space.admin", "changing the space");
  return ctx.store.transaction(async (tx) => {
    if (input.displayName !== undefined) {
      if (input.displayName.trim() === "") throw invalidArgument("space.displayName must not be empty", "space.displayName");
      const now = ctx.clock.now();
      await tx.spaces.updateDisplayName(ctx.space.id, input.displayName, now);
      await audit(tx, ctx, ctx.space, now, {
        event: "space/updated",
        resources: [auditTarget("space", ctx.space.name, input.displayName)],
      });
    }
    const space = await tx.spaces.findById(ctx.space.id);
    return toWireSpace(space!);
  });
}

/**
 * Deletes a space. One that holds anything is deleted only with `recursive`, and then
 * everything in it goes too, in one transaction.
 */
export async function deleteSpace({ ctx, name, recursive }: { ctx: ActorContext; name: string; recursive: boolean }): Promise<void> {
  requireServerAdmin(ctx, "delete spaces");
  const inSpace = await enterSpace({ ctx, spaceName: name });
  await ctx.store.transaction(async (tx) => {
    if (!recursive && (await tx.spaces.hasContents(inSpace.space.id))) {
      throw new DomainError("CONFLICT", `space "${name}" is not empty; delete it with recursive=true to delete everything in it as well`);
    }
    await tx.spaces.deleteWithContents(inSpace.space.id);
    // Its own log is kept (the audit tables outlive spaces); the deletion goes in the server's.
    await audit(tx, ctx, SERVER_CHAIN, ctx.clock.now(), {
      event: "space/deleted",
      resources: [spaceTarget(inSpace.space)],
      labels: recursive ? { "greenlight.dev/recursive": "true" } : {},
    });
  });
  forgetSpace(ctx, name);
}
