import { notFound } from "../domain/errors.js";
import { formatLabelSelector, parseLabelSelector } from "../domain/label-selector.js";
import { decodePageToken, encodePageToken, resolvePageSize } from "../domain/paging.js";
import { toWireEvent, type WireEvent } from "../domain/wire.js";
import type { Context } from "./context.js";
import { queryFingerprint } from "./list-petitions.js";
import { loadPetition } from "./load-petition.js";

/** ListClaims: a page of one petition's events, oldest first. */
export async function listClaims({
  ctx,
  petitionName,
  query,
}: {
  ctx: Context;
  petitionName: string;
  query: { labelSelector?: string; pageSize?: number; pageToken?: string };
}): Promise<{ claims: WireEvent[]; nextPageToken: string }> {
  const selector = parseLabelSelector(query.labelSelector ?? "");
  const limit = resolvePageSize(query.pageSize);
  const fingerprint = queryFingerprint(["claims", petitionName, formatLabelSelector(selector)]);
  const afterSeq = query.pageToken ? Number(decodePageToken(query.pageToken, fingerprint).after) : 0;
  const repos = ctx.store.read;
  await loadPetition(repos, ctx.space, petitionName);
  const page = await repos.petitions.listEvents(ctx.space.id, petitionName, {
    selector,
    afterSeq: Number.isFinite(afterSeq) ? afterSeq : 0,
    limit: limit + 1,
  });
  const hasMore = page.length > limit;
  const claims = hasMore ? page.slice(0, limit) : page;
  return {
    claims: claims.map(toWireEvent),
    nextPageToken: hasMore ? encodePageToken({ after: String(claims[claims.length - 1]!.seq), query: fingerprint }) : "",
  };
}

/** GetClaim: one event of a petition, by its id. */
export async function getClaim({
  ctx,
  petitionName,
  claimId,
}: {
  ctx: Context;
  petitionName: string;
  claimId: string;
}): Promise<WireEvent> {
  const repos = ctx.store.read;
  await loadPetition(repos, ctx.space, petitionName);
  const event = await repos.petitions.getEvent(ctx.space.id, petitionName, claimId);
  if (!event) throw notFound(`claim "${claimId}" does not exist on petition "${petitionName}"`);
  return toWireEvent(event);
}
