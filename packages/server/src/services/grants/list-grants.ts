import { can, isActorItself } from "../../domain/access.js";
import { actorEmail } from "../../domain/actor.js";
import { invalidArgument, notFound } from "../../domain/errors.js";
import { toWireGrant } from "../../domain/wire.js";
import type { Context } from "../runtime/context.js";
import { paginate } from "../runtime/paginate.js";
import type { GrantProvisioning } from "../../domain/delivery.js";
import { PROVISIONING_STATES, type GrantOut, type ListGrantsQuery } from "../../contract/grants.js";

/** The statuses grants are shown with (see `toWireGrant`), and the provisioning behind the last two. */
const STATUSES = ["active", "expired", "revoked", "revoke_pending", "revoke_failed"] as const;

/** What `provisioning=failed` asks for: the grants an integration gave up on, either way. */
const FAILED: GrantProvisioning[] = ["apply_failed", "revoke_failed"];

/** A page of the space's grants, oldest first, optionally of one petition, one status or one provisioning state. */
export async function listGrants({
  ctx,
  query,
}: {
  ctx: Context;
  query: ListGrantsQuery;
}): Promise<{ grants: GrantOut[]; nextPageToken: string }> {
  const status = query.status === undefined || query.status === "" ? undefined : (query.status as (typeof STATUSES)[number]);
  if (status !== undefined && !STATUSES.includes(status)) {
    throw invalidArgument(`status must be one of ${STATUSES.join(", ")}; got ${JSON.stringify(query.status)}`, "status");
  }
  const provisioning = provisioningOf(query.provisioning);
  // Those who may not read every petition see the grants they hold.
  const petitionerEmail = can(ctx.access, "petitions.read-all") ? undefined : (actorEmail(ctx.actor) ?? "");
  const page = await paginate(
    query,
    ["grants", status ?? "", query.petition ?? "", provisioning?.join(",") ?? ""],
    (after, limit) =>
      ctx.store.read.grants.list(ctx.space.id, {
        status,
        provisioning,
        petitionerEmail,
        petitionName: query.petition || undefined,
        after,
        limit,
      }),
    (grant) => grant.id,
  );
  return { grants: page.items.map((g) => toWireGrant(g, ctx.space.name)), nextPageToken: page.nextPageToken };
}

function provisioningOf(state: string | undefined): GrantProvisioning[] | undefined {
  if (state === undefined || state === "") return undefined;
  if (state === "failed") return FAILED;
  if (!(PROVISIONING_STATES as readonly string[]).includes(state)) {
    throw invalidArgument(
      `provisioning must be failed or one of ${PROVISIONING_STATES.join(", ")}; got ${JSON.stringify(state)}`,
      "provisioning",
    );
  }
  return [state as GrantProvisioning];
}

export async function getGrant({ ctx, name }: { ctx: Context; name: string }): Promise<GrantOut> {
  const grant = await ctx.store.read.grants.get(ctx.space.id, name);
  if (!grant || !(can(ctx.access, "petitions.read-all") || isActorItself(ctx.actor, grant.petitioner)))
    throw notFound(`grant "${name}" does not exist in space "${ctx.space.name}"`);
  return toWireGrant(grant, ctx.space.name);
}
