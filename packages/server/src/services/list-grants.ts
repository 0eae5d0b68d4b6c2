import { invalidArgument, notFound } from "../domain/errors.js";
import { decodePageToken, encodePageToken, resolvePageSize } from "../domain/paging.js";
import type { GrantStatus } from "../domain/petition.js";
import { toWireGrant, type WireGrant } from "../domain/wire.js";
import type { Context } from "./context.js";
import { queryFingerprint } from "./list-petitions.js";

const STATUSES: readonly GrantStatus[] = ["active", "expired", "revoked"];

/** A page of the space's grants, oldest first, optionally of one petition or one status. */
export async function listGrants({
  ctx,
  query,
}: {
  ctx: Context;
  query: { status?: string; petition?: string; pageSize?: number; pageToken?: string };
}): Promise<{ grants: WireGrant[]; nextPageToken: string }> {
  const status = query.status === undefined || query.status === "" ? undefined : (query.status as GrantStatus);
  if (status !== undefined && !STATUSES.includes(status)) {
    throw invalidArgument(`status must be one of ${STATUSES.join(", ")}; got ${JSON.stringify(query.status)}`, "status");
  }
  const limit = resolvePageSize(query.pageSize);
  const fingerprint = queryFingerprint(["grants", status ?? "", query.petition ?? ""]);
  const after = query.pageToken ? decodePageToken(query.pageToken, fingerprint).after : undefined;
  const page = await ctx.store.read.grants.list(ctx.space.id, {
    status,
    petitionName: query.petition || undefined,
    after,
    limit: limit + 1,
  });
  const hasMore = page.length > limit;
  const grants = hasMore ? page.slice(0, limit) : page;
  return {
    grants: grants.map((g) => toWireGrant(g, ctx.space.name)),
    nextPageToken: hasMore ? encodePageToken({ after: grants[grants.length - 1]!.id, query: fingerprint }) : "",
  };
}

export async function getGrant({ ctx, name }: { ctx: Context; name: string }): Promise<WireGrant> {
  const grant = await ctx.store.read.grants.get(ctx.space.id, name);
  if (!grant) throw notFound(`grant "${name}" does not exist in space "${ctx.space.name}"`);
  return toWireGrant(grant, ctx.space.name);
}
