import { can, requirePermission } from "../../domain/access.js";
import { DomainError, invalidArgument, notFound } from "../../domain/errors.js";
import { BLOCK_LABEL, isRequestable, resourceKey, type CatalogResource, type Resource } from "../../domain/resource.js";
import { audit } from "../audit/audit.js";
import type { Context } from "../runtime/context.js";
import { checkCatalogResource, toWireCatalogResource, upsertCatalogResource, upsertCatalogResources } from "./resource-input.js";
import type { ResourceInput, ResourceOut } from "../../contract/resources.js";

/** The most resources one bulk call may carry. */
export const MAX_BULK_RESOURCES = 1000;

export async function createResource({ ctx, input }: { ctx: Context; input: ResourceInput }): Promise<ResourceOut> {
  requirePermission(ctx.access, "resources.write", "changing resources");
  const checked = checkCatalogResource(input, "resource");
  return ctx.store.transaction(async (tx) => {
    const now = ctx.clock.now();
    const saved = await upsertCatalogResource(tx, ctx.space.id, checked, now, "create");
    await audit(tx, ctx, ctx.space, now, { event: "resource/created", resources: [catalogRef(saved)] });
    return toWireCatalogResource(saved);
  });
}

export async function getResource({ ctx, name }: { ctx: Context; name: string }): Promise<ResourceOut> {
  const resource = await loadResource(ctx.store.read.resources.get(ctx.space.id, name), ctx, name);
  // Those who see only requestable resources get the same answer for others as for none.
  if (!can(ctx.access, "resources.read-all") && !isRequestable(resource)) throw resourceNotFound(ctx, name);
  return toWireCatalogResource(resource);
}

/** UpdateResource: replaces the named resource's fields. Kind and id may change if no other resource has them. */
export async function updateResource({ ctx, name, input }: { ctx: Context; name: string; input: ResourceInput }): Promise<ResourceOut> {
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
    await audit(tx, ctx, ctx.space, updated.updatedAt, { event: "resource/updated", resources: [catalogRef(updated)] });
    return toWireCatalogResource(updated);
  });
}

export async function deleteResource({ ctx, name }: { ctx: Context; name: string }): Promise<void> {
  requirePermission(ctx.access, "resources.write", "changing resources");
  await ctx.store.transaction(async (tx) => {
    const existing = await loadResource(tx.resources.get(ctx.space.id, name), ctx, name);
    await tx.resources.delete(ctx.space.id, [name]);
    await audit(tx, ctx, ctx.space, ctx.clock.now(), { event: "resource/deleted", resources: [catalogRef(existing)] });
  });
}

/**
 * BulkUpdate: creates or updates each resource by kind and id, all in one transaction, and
 * returns them in the order given. A later entry for the same resource wins.
 */
export async function bulkUpdateResources({ ctx, inputs }: { ctx: Context; inputs: ResourceInput[] }): Promise<ResourceOut[]> {
  requirePermission(ctx.access, "resources.write", "changing resources");
  if (inputs.length > MAX_BULK_RESOURCES)
    throw invalidArgument(`resources may hold at most ${MAX_BULK_RESOURCES} entries per call; split the update`, "resources");
  const checked = inputs.map((input, i) => checkCatalogResource(input, `resources[${i}]`));
  return ctx.store.transaction(async (tx) => {
    const now = ctx.clock.now();
    const saved = await upsertCatalogResources(tx, ctx.space.id, checked, now);
    // Each resource once, as it was saved last.
    await audit(tx, ctx, ctx.space, now, { event: "resources/bulk-updated", resources: [...new Set(saved)].map(catalogRef) });
    return saved.map(toWireCatalogResource);
  });
}

/** BulkDelete: deletes the named resources; names that do not exist are skipped. Returns how many went. */
export async function bulkDeleteResources({ ctx, names }: { ctx: Context; names: string[] }): Promise<number> {
  requirePermission(ctx.access, "resources.write", "changing resources");
  if (names.length > MAX_BULK_RESOURCES)
    throw invalidArgument(`resourceNames may hold at most ${MAX_BULK_RESOURCES} names per call`, "resourceNames");
  const unique = [...new Set(names)];
  return ctx.store.transaction(async (tx) => {
    const existing = await tx.resources.getMany(ctx.space.id, unique);
    const removed = await tx.resources.delete(ctx.space.id, unique);
    if (removed > 0)
      await audit(tx, ctx, ctx.space, ctx.clock.now(), { event: "resources/bulk-deleted", resources: existing.map(catalogRef) });
    return removed;
  });
}

/** A catalog resource as an event names it: kind, id, name; not its labels. */
function catalogRef(resource: CatalogResource): Resource {
  const ref: Resource = { kind: resource.kind, labels: { [BLOCK_LABEL]: resource.name } };
  if (resource.id !== undefined) ref.id = resource.id;
  if (resource.email !== undefined) ref.email = resource.email;
  if (resource.displayName !== undefined) ref.displayName = resource.displayName;
  return ref;
}

async function loadResource(found: Promise<CatalogResource | undefined>, ctx: Context, name: string): Promise<CatalogResource> {
  const resource = await found;
  if (!resource) throw resourceNotFound(ctx, name);
  return resource;
}

function resourceNotFound(ctx: Context, name: string): DomainError {
  return notFound(`resource "${name}" does not exist in space "${ctx.space.name}"`);
}
