import { requirePermission } from "../../domain/access.js";
import { isClosed } from "../../domain/petition-machine.js";
import { applyPetitionAction } from "./apply-petition-action.js";
import { audit, auditTarget } from "../audit/audit.js";
import type { Context } from "../runtime/context.js";
import { loadVisiblePetition, petitionWithHistory } from "./load-petition.js";
import type { PetitionOut } from "../../contract/petitions.js";

/**
 * DeletePetition. A petition is part of the access record, so deleting does not erase it: an
 * open one is cancelled and a granted one revoked (its grants end), then it is marked deleted
 * (`meta.deleteTime`) and left out of lists unless `showDeleted=true`. It can still be read by
 * name. Deleting again changes nothing.
 */
export async function deletePetition({ ctx, name }: { ctx: Context; name: string }): Promise<PetitionOut> {
  return ctx.store.transaction(async (tx) => {
    const now = ctx.clock.now();
    let petition = await loadVisiblePetition(tx, ctx, name);
    requirePermission(ctx.access, "petitions.manage", "deleting petitions");
    if (petition.deletedAt !== null) return petitionWithHistory(tx, petition);
    if (!isClosed(petition.phase)) {
      petition = (await applyPetitionAction(tx, { ...ctx, now }, petition, "close", { reason: "petition deleted" })).petition;
    }
    petition = { ...petition, deletedAt: now, version: petition.version + 1, updatedAt: now };
    await tx.petitions.update(petition);
    await audit(tx, ctx, ctx.space, now, { event: "petition/deleted", resources: [auditTarget("petition", name)] });
    return petitionWithHistory(tx, petition);
  });
}
