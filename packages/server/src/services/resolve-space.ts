import { notFound } from "../domain/errors.js";
import type { Services, SpaceRef } from "./context.js";

/**
 * Spaces are looked up on every request and change rarely; their ids never change, so a
 * found space is remembered. Names that are not found are not remembered, so a space created
 * later is seen at once.
 */
const known = new WeakMap<Services, Map<string, SpaceRef>>();

export async function resolveSpace(services: Services, name: string): Promise<SpaceRef> {
  let cache = known.get(services);
  if (!cache) {
    cache = new Map();
    known.set(services, cache);
  }
  const cached = cache.get(name);
  if (cached) return cached;
  const space = await services.store.read.spaces.findByName(name);
  if (!space) throw notFound(`space "${name}" does not exist; check the space name in the URL`);
  const ref = { id: space.id, name: space.name };
  cache.set(name, ref);
  return ref;
}

export async function resolveSpaceById(services: Services, id: string): Promise<SpaceRef> {
  const space = await services.store.read.spaces.findById(id);
  if (!space) throw notFound(`space ${id} does not exist`);
  return { id: space.id, name: space.name };
}
