import { DomainError, notFound } from "../../domain/errors.js";
import type { Store } from "../../store/store.js";
import type { Services, SpaceRef } from "../runtime/context.js";

/**
 * Spaces are looked up on every request and change rarely. A found space is remembered for a
 * moment, so a burst of requests needs one lookup; a deleted space is forgotten at once here
 * (`forgetSpace`) and within that moment elsewhere. Names that are not found are not
 * remembered, so a space created later is seen at once.
 */
const REMEMBER_MS = 1000;
// Keyed by the store every request's context shares (the contexts themselves are new objects
// each time; a view of a transaction shares its base store's cache).
const known = new WeakMap<Store, Map<string, { space: SpaceRef; until: number }>>();

export async function resolveSpace(services: Services, name: string): Promise<SpaceRef> {
  let cache = known.get(services.store.base);
  if (!cache) {
    cache = new Map();
    known.set(services.store.base, cache);
  }
  const now = services.clock.now();
  const cached = cache.get(name);
  if (cached && cached.until > now) return cached.space;
  const space = await services.store.read.spaces.findByName(name);
  if (!space) {
    cache.delete(name);
    throw spaceNotFound(name);
  }
  const ref = { id: space.id, name: space.name };
  cache.set(name, { space: ref, until: now + REMEMBER_MS });
  return ref;
}

export function forgetSpace(services: Services, name: string): void {
  known.get(services.store.base)?.delete(name);
}

export async function resolveSpaceById(services: Services, id: string): Promise<SpaceRef> {
  const space = await services.store.read.spaces.findById(id);
  if (!space) throw notFound(`space ${id} does not exist`);
  return { id: space.id, name: space.name };
}

/** The one answer for a space that does not exist, or that the caller's token is not for. */
export function spaceNotFound(name: string): DomainError {
  return notFound(`space "${name}" does not exist; check the space name in the URL`);
}
