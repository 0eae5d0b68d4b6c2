import { mayReadPetition } from "../../domain/access.js";
import { notFound } from "../../domain/errors.js";
import type { Petition } from "../../domain/petition.js";
import { toWirePetition } from "../../domain/wire.js";
import type { Repositories } from "../../store/store.js";
import type { Context, SpaceRef } from "../runtime/context.js";
import { isEligibleReviewer } from "./review-petition.js";
import { reviewerIdentity } from "./review-plan.js";
import type { PetitionOut } from "../../contract/petitions.js";

/** The petition, or NOT_FOUND naming it and its space. */
export async function loadPetition(repos: Repositories, space: SpaceRef, name: string): Promise<Petition> {
  const petition = await repos.petitions.get(space, name);
  if (!petition) throw petitionNotFound(space, name);
  return petition;
}

/**
 * The petition if the caller may see it: its roles let it read every petition, it asked for
 * this one, or the petition's plan names it as a reviewer. One it may not see gets the very
 * answer a missing one gets, so names cannot be probed.
 */
export async function loadVisiblePetition(repos: Repositories, ctx: Context, name: string): Promise<Petition> {
  const petition = await loadPetition(repos, ctx.space, name);
  if (mayReadPetition(ctx.access, petition)) return petition;
  if (isEligibleReviewer(petition, await reviewerIdentity(repos, ctx, petition), ctx.limits)) return petition;
  throw petitionNotFound(ctx.space, name);
}

function petitionNotFound(space: SpaceRef, name: string) {
  return notFound(`petition "${name}" does not exist in space "${space.name}"`);
}

/** The petition in wire form, with its whole history. */
export async function petitionWithHistory(repos: Repositories, petition: Petition): Promise<PetitionOut> {
  const events = await repos.petitions.eventsOf(petition.spaceId, [petition.name]);
  return toWirePetition(petition, events.get(petition.name) ?? []);
}
