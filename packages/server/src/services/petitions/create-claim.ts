import { checkDecision } from "../../domain/access.js";
import { invalidArgument } from "../../domain/errors.js";
import { checkClaimLabels } from "../../domain/petition-labels.js";
import { toWireEvent } from "../../domain/wire.js";
import { applyPetitionAction, type ActionResult } from "./apply-petition-action.js";
import { approvePetition, denyPetition, isEligibleReviewer } from "./review-petition.js";
import { reviewerIdentity } from "./review-plan.js";
import type { Context } from "../runtime/context.js";
import { loadVisiblePetition } from "./load-petition.js";
import { normalizeResources } from "./petition-input.js";
import type { EventOut } from "../../contract/claims.js";
import type { ClaimInput } from "../../contract/claims.js";

/** Claim events and what they do. A Map: `event` is the caller's, and `constructor` must find nothing. */
const ACTIONS: ReadonlyMap<string, "approve" | "deny" | "revoke"> = new Map([
  ["access/approve", "approve"],
  ["access/deny", "deny"],
  ["access/revoke", "revoke"],
]);

/**
 * CreateClaim: approve, deny or revoke a petition. The claim's actor is whoever is
 * authenticated, whatever the body says, and its time is the server's. Returns the recorded
 * claim; the petition's history also holds what followed from it (grants, revocations).
 * `serverLabels` are the server's own (the channel a decision came through), added after the
 * claim's labels are checked: a client cannot set them.
 */
export async function createClaim({
  ctx,
  petitionName,
  claim,
  serverLabels = {},
}: {
  ctx: Context;
  petitionName: string;
  claim: ClaimInput;
  serverLabels?: Record<string, string>;
}): Promise<EventOut> {
  const action = ACTIONS.get(claim.event ?? "");
  if (!action) {
    throw invalidArgument(
      `claim.event must be one of ${[...ACTIONS.keys()].join(", ")}; got ${JSON.stringify(claim.event ?? "")}`,
      "claim.event",
    );
  }
  const resources = normalizeResources(claim.resources, "claim.resources");
  const labels = claim.meta?.labels ?? {};
  checkClaimLabels(labels, "claim.meta.labels");
  const details = { reason: claim.reason ?? "", resources, labels: { ...labels, ...serverLabels } };
  return ctx.store.transaction(async (tx) => {
    const env = { ...ctx, now: ctx.clock.now() };
    const petition = await loadVisiblePetition(tx, ctx, petitionName);
    const reviewer = await reviewerIdentity(tx, ctx, petition);
    let result: ActionResult;
    if (action === "approve") result = await approvePetition(tx, env, petition, reviewer, details);
    else if (action === "deny") result = await denyPetition(tx, env, petition, reviewer, details);
    else {
      // Its petitioners, reviewers and admins may end access early, and so may whoever could approve it.
      if (!isEligibleReviewer(petition, reviewer, ctx.limits)) checkDecision(ctx.access, petition, "revoke");
      result = await applyPetitionAction(tx, env, petition, "revoke", details);
    }
    return toWireEvent(result.claim!);
  });
}
