import { can, requirePermission } from "../domain/access.js";
import { DomainError, invalidArgument, notFound } from "../domain/errors.js";
import { BLOCK_LABEL, isRequestable, resourceKey, type CatalogResource, type ResourceInput } from "../domain/resource.js";
import type { WireResource } from "../domain/wire.js";
import type { Context } from "./context.js";
import { checkCatalogResource, toWireCatalogResource, upsertCatalogResource } from "./resource-input.js";

/** The most resources one bulk call may carry. */
export const MAX_BULK_RESOURCES = 1000;

export async function createResource({ ctx, input }: { ctx: Context; input: ResourceInput }): Promise<WireResource> {
  requirePermission(ctx.access, "resources.write", "changing resources");
  const checked = checkCatalogResource(input, "resource");
  return ctx.store.transaction(async (tx) =>
    toWireCatalogResource(await upsertCatalogResource(tx, ctx.space.id, checked, ctx.clock.now(), "create")),
  );
}

export async function getResource({ ctx, name }: { ctx: Context; name: string }): Promise<WireResource> {
  const resource = await loadResource(ctx.store.read.resources.get(ctx.space.id, name), ctx, name);
  // Those who see only requestable resources get the same answer for others as for none.
  if (!can(ctx.access, "resources.read-all") && !isRequestable(resource)) throw resourceNotFound(ctx, name);
  return toWireCatalogResource(resource);
}

/** UpdateResource: replaces the named resource's fields. Kind and id may change if no other resource has them. */
export async function updateResource({ ctx, name, input }: { ctx: Context; name: string; input: ResourceInput }): Promise<WireResource> {
  requirePermission(ctx.access, "resources.write", "changing resources");
  const checked = checkCatalogResource(input, "resource");
  if (checked.name !== undefined && checked.name !== name) {
    throw invalidArgument(
      `resource.labels["${BLOCK_LABEL}"] is "${checked.name}" but the URL names "${name}"; a resource cannot be renamed`,
      `resource.labels["${BLOCK_LABEL}"]`,
    );
  }
  return ctx.store.transaction(async (tx) => {
    const existing = await loadResource(tx.resources.get(ctx.space.id, name), ctx, name);
    const key = resourceKey(checked.resource);
    const clash = (await tx.resources.findByIdentity(ctx.space.id, [key])).get(key);
    if (clash && clash.name !== name) {
      throw new DomainError(
        "CONFLICT",
        `a ${checked.resource.kind} resource with id "${checked.resource.id}" already exists as "${clash.name}"`,
      );
    }
    const updated: CatalogResource = { ...checked.resource, name, createdAt: existing.createdAt, updatedAt: ctx.clock.now() };
    await tx.resources.update(ctx.space.id, updated);
    return toWireCatalogResource(updated);
  });
}

export async function deleteResource({ ctx, name }: { ctx: Context; name: string }): Promise<void> {
  requirePermission(ctx.access, "resources.write", "changing resources");
  await ctx.store.transaction(async (tx) => {
    if ((await tx.resources.delete(ctx.space.id, [name])) === 0) throw resourceNotFound(ctx, name);
  });
}

/**
 * BulkUpdate: creates or updates each resource by kind and id, all in one transaction, and
 * returns them in the order given. A later entry for the same resource wins.
 */
export async function bulkUpdateResources({ ctx, inputs }: { ctx: Context; inputs: ResourceInput[] }): Promise<WireResource[]> {
  requirePermission(ctx.access, "resources.write", "changing resources");
  if (inputs.length > MAX_BULK_RESOURCES)
    throw invalidArgument(`resources may hold at most ${MAX_BULK_RESOURCES} entries per call; split the update`, "resources");
  const checked = inputs.map((input, i) => checkCatalogResource(input, `resources[${i}]`));
  return ctx.store.transaction(async (tx) => {
    const now = ctx.clock.now();
    const saved: WireResource[] = [];
    for (const entry of checked) saved.push(toWireCatalogResource(await upsertCatalogResource(tx, ctx.space.id, entry, now, "upsert")));
    return saved;
  });
}

/** BulkDelete: deletes the named resources; names that do not exist are skipped. Returns how many went. */
export async function bulkDeleteResources({ ctx, names }: { ctx: Context; names: string[] }): Promise<number> {
  requirePermission(ctx.access, "resources.write", "changing resources");
  if (names.length > MAX_BULK_RESOURCES)
    throw invalidArgument(`resourceNames may hold at most ${MAX_BULK_RESOURCES} names per call`, "resourceNames");
  return ctx.store.transaction((tx) => tx.resources.delete(ctx.space.id, [...new Set(names)]));
}

async function loadResource(found: Promise<CatalogResource | undefined>, ctx: Context, name: string): Promise<CatalogResource> {
  const resource = await found;
  if (!resource) throw resourceNotFound(ctx, name);
  return resource;
}

function resourceNotFound(ctx: Context, name: string): DomainError {
  return notFound(`resource "${name}" does not exist in space "${ctx.space.name}"`);
}
