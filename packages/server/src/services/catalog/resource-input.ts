import { DomainError, invalidArgument } from "../../domain/errors.js";
import { newId } from "../../domain/ids.js";
import { BLOCK_LABEL, normalizeResource, resourceKey, type CatalogResource } from "../../domain/resource.js";
import { toWireResource } from "../../domain/wire.js";
import type { Tx } from "../../store/store.js";
import type { ResourceInput, ResourceOut } from "../../contract/resources.js";

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * A catalog resource from the wire. Catalog resources need an id (they are upserted by kind
 * and id). The name comes from the `indent.com/block` label when given, else one is minted.
 */
export function checkCatalogResource(
  input: ResourceInput,
  field: string,
): { resource: Omit<CatalogResource, "name" | "createdAt" | "updatedAt">; name?: string } {
  const resource = normalizeResource(input, field);
  if (resource.id === undefined) throw invalidArgument(`${field}.id is required for a resource in the catalog`, `${field}.id`);
  const { [BLOCK_LABEL]: name, ...labels } = resource.labels;
  if (name !== undefined && !NAME_PATTERN.test(name)) {
    throw invalidArgument(
      `${field}.labels["${BLOCK_LABEL}"] is the resource's name: 1 to 128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit`,
      `${field}.labels["${BLOCK_LABEL}"]`,
    );
  }
  return { resource: { ...resource, id: resource.id, labels }, ...(name !== undefined ? { name } : {}) };
}

/** The resource as the wire shows it: its name travels in the `indent.com/block` label. */
export function toWireCatalogResource(resource: CatalogResource): ResourceOut {
  return toWireResource({ ...resource, labels: { ...resource.labels, [BLOCK_LABEL]: resource.name } });
}

/**
 * Creates the resource, or replaces the one with the same kind and id (keeping its name).
 * Refuses a name that another resource already has.
 */
export async function upsertCatalogResource(
  tx: Tx,
  spaceId: string,
  checked: ReturnType<typeof checkCatalogResource>,
  now: number,
  mode: "create" | "upsert",
): Promise<CatalogResource> {
  const key = resourceKey(checked.resource);
  const existing = (await tx.resources.findByIdentity(spaceId, [key])).get(key);
  if (existing && mode === "create") {
    throw new DomainError(
      "CONFLICT",
      `a ${checked.resource.kind} resource with id "${checked.resource.id}" already exists as "${existing.name}"; update it with PUT .../resources/${existing.name} or resources:bulkUpdate`,
    );
  }
  if (existing) {
    if (checked.name !== undefined && checked.name !== existing.name) {
      throw new DomainError(
        "CONFLICT",
        `resource ${checked.resource.kind}/${checked.resource.id} is named "${existing.name}"; a resource cannot be renamed`,
      );
    }
    const updated: CatalogResource = { ...checked.resource, name: existing.name, createdAt: existing.createdAt, updatedAt: now };
    await tx.resources.update(spaceId, updated);
    return updated;
  }
  const name = checked.name ?? newId("res", now);
  if (checked.name !== undefined && (await tx.resources.get(spaceId, name))) {
    throw new DomainError(
      "CONFLICT",
      `a resource named "${name}" already exists; choose another name or leave ${BLOCK_LABEL} out to get one`,
    );
  }
  const created: CatalogResource = { ...checked.resource, name, createdAt: now, updatedAt: now };
  await tx.resources.insert(spaceId, created);
  return created;
}

/**
 * Creates or replaces many resources by kind and id in one go, as `upsertCatalogResource` does
 * one: the catalog is read once for all of them and new ones are inserted together. A later
 * entry for the same kind and id wins. Returns them in the order given.
 */
export async function upsertCatalogResources(
  tx: Tx,
  spaceId: string,
  entries: Array<ReturnType<typeof checkCatalogResource>>,
  now: number,
): Promise<CatalogResource[]> {
  const byKey = new Map<string, ReturnType<typeof checkCatalogResource>>();
  for (const entry of entries) byKey.set(resourceKey(entry.resource), entry);
  const existing = await tx.resources.findByIdentity(spaceId, [...byKey.keys()]);
  const named = [...byKey.entries()].filter(([key, e]) => e.name !== undefined && !existing.has(key)).map(([, e]) => e.name!);
  const taken = new Set((await tx.resources.getMany(spaceId, named)).map((r) => r.name));
  const saved = new Map<string, CatalogResource>();
  const created: CatalogResource[] = [];
  const newNames = new Set<string>();
  for (const [key, entry] of byKey) {
    const found = existing.get(key);
    if (found) {
      if (entry.name !== undefined && entry.name !== found.name) {
        throw new DomainError(
          "CONFLICT",
          `resource ${entry.resource.kind}/${entry.resource.id} is named "${found.name}"; a resource cannot be renamed`,
        );
      }
      const updated: CatalogResource = { ...entry.resource, name: found.name, createdAt: found.createdAt, updatedAt: now };
      await tx.resources.update(spaceId, updated);
      saved.set(key, updated);
      continue;
    }
    const name = entry.name ?? newId("res", now);
    if (taken.has(name) || newNames.has(name)) {
      throw new DomainError(
        "CONFLICT",
        `a resource named "${name}" already exists; choose another name or leave ${BLOCK_LABEL} out to get one`,
      );
    }
    newNames.add(name);
    const resource: CatalogResource = { ...entry.resource, name, createdAt: now, updatedAt: now };
    created.push(resource);
    saved.set(key, resource);
  }
  await tx.resources.insertMany(spaceId, created);
  return entries.map((entry) => saved.get(resourceKey(entry.resource))!);
}
