import { notFound } from "../domain/errors.js";
import type { Petition } from "../domain/petition.js";
import { toWirePetition, type WirePetition } from "../domain/wire.js";
import type { Repositories } from "../store/store.js";
import type { SpaceRef } from "./context.js";

/** The petition, or NOT_FOUND naming it and its space. */
export async function loadPetition(repos: Repositories, space: SpaceRef, name: string): Promise<Petition> {
  const petition = await repos.petitions.get(space, name);
  if (!petition) throw notFound(`petition "${name}" does not exist in space "${space.name}"`);
  return petition;
}

/** The petition in wire form, with its whole history. */
export async function petitionWithHistory(repos: Repositories, petition: Petition): Promise<WirePetition> {
  const events = await repos.petitions.eventsOf(petition.spaceId, [petition.name]);
  return toWirePetition(petition, events.get(petition.name) ?? []);
}
