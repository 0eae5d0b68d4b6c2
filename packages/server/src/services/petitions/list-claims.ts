import { notFound } from "../../domain/errors.js";
import { formatLabelSelector, parseLabelSelector } from "../../domain/label-selector.js";
import { toWireEvent } from "../../domain/wire.js";
import type { Context } from "../runtime/context.js";
import { loadVisiblePetition } from "./load-petition.js";
import { paginate } from "../runtime/paginate.js";
import type { EventOut, ListClaimsQuery } from "../../contract/claims.js";

/** ListClaims: a page of one petition's events, oldest first. */
export async function listClaims({
  ctx,
  petitionName,
  query,
}: {
  ctx: Context;
  petitionName: string;
  query: ListClaimsQuery;
}): Promise<{ claims: EventOut[]; nextPageToken: string }> {
  const selector = parseLabelSelector(query.labelSelector ?? "");
  const repos = ctx.store.read;
  await loadVisiblePetition(repos, ctx, petitionName);
  const page = await paginate(
    query,
    ["claims", petitionName, formatLabelSelector(selector)],
    (after, limit) =>
      repos.petitions.listEvents(ctx.space.id, petitionName, { selector, afterSeq: after === undefined ? 0 : Number(after) || 0, limit }),
    (event) => String(event.seq),
  );
  return { claims: page.items.map(toWireEvent), nextPageToken: page.nextPageToken };
}

/** GetClaim: one event of a petition, by its id. */
export async function getClaim({ ctx, petitionName, claimId }: { ctx: Context; petitionName: string; claimId: string }): Promise<EventOut> {
  const repos = ctx.store.read;
  await loadVisiblePetition(repos, ctx, petitionName);
  const event = await repos.petitions.getEvent(ctx.space.id, petitionName, claimId);
  if (!event) throw notFound(`claim "${claimId}" does not exist on petition "${petitionName}"`);
  return toWireEvent(event);
}
