import { isDomainError } from "../../domain/errors.js";
import { newId } from "../../domain/ids.js";
import { applyPetitionAction } from "../petitions/apply-petition-action.js";
import type { ActorContext } from "../runtime/context.js";
import { resolveSpaceById } from "../identity/resolve-space.js";

/**
 * Ends the grants whose time is up, a petition at a time: each petition closes with outcome
 * `expired` and one `access/revoke` event per grant, in one transaction. The grants table is
 * the durable timer, so grants that expired while the server was down are found on the first
 * run after it starts. Returns how many petitions were expired. `ctx` is the expiry job's
 * (`jobContext(ctx, "expiry")`), whose actor each revoke records.
 */
export async function expireGrants({ ctx, batchSize = 100 }: { ctx: ActorContext; batchSize?: number }): Promise<number> {
  const due = await ctx.store.read.grants.findDue(ctx.clock.now(), batchSize);
  let expired = 0;
  for (const { spaceId, petitionName } of due) {
    const space = await resolveSpaceById(ctx, spaceId);
    const done = await ctx.store.transaction(async (tx) => {
      const now = ctx.clock.now();
      const petition = await tx.petitions.get(space, petitionName);
      if (!petition) return false;
      if (petition.phase !== "granted") {
        // A closed petition cannot hold active grants; should one ever be left behind, end it
        // rather than find it again on every run.
        return (await tx.grants.endActive(space.id, petitionName, "expired", now)).length > 0;
      }
      try {
        await applyPetitionAction(tx, { ...ctx, requestId: newId("req", now), now }, petition, "expire", {
          reason: "",
        });
        return true;
      } catch (error) {
        if (isDomainError(error) && (error.code === "INVALID_TRANSITION" || error.code === "CONFLICT")) return false;
        throw error;
      }
    });
    if (done) expired += 1;
  }
  return expired;
}

/** When the next active grant ends, so the job can sleep until then. */
export async function nextGrantExpiry({ ctx }: { ctx: ActorContext }): Promise<number | undefined> {
  return ctx.store.read.grants.nextExpiry();
}
