import { toWireReview } from "../../domain/wire.js";
import type { Context } from "../runtime/context.js";
import { checkPetitionRequest, factsOf } from "./create-petition.js";
import { CONSULT_NOTHING, decideNewPetition } from "./decide-new-petition.js";
import { fitToPlanLimits } from "./petition-input.js";
import type { PetitionInput, PetitionPreviewOut } from "../../contract/petitions.js";

/**
 * What a petition would get if it were made now: the review its plan would ask for (the
 * longest and default grant, whether until-revoked is allowed, whether it is high risk, the
 * steps and their reviewers) and whether a rule would decide it at once. The caller must be
 * allowed to make it, as creating it checks. Nothing is written, and nothing outside the
 * policy is consulted: no on-call provider, no decision webhook, so previewing has no effects.
 * A duration the plan refuses is refused here as creating would refuse it.
 */
export async function previewPetition({ ctx, input }: { ctx: Context; input: PetitionInput }): Promise<PetitionPreviewOut> {
  const checked = await checkPetitionRequest({ ctx, input });
  const now = ctx.clock.now();
  const repos = ctx.store.read;
  const decision = await decideNewPetition(ctx, repos, await factsOf(repos, ctx, checked, now), { consult: CONSULT_NOTHING });
  const { plan } = decision;
  fitToPlanLimits(checked, plan.limits);
  const review = toWireReview(plan, {
    approvals: [],
    escalationsDone: 0,
    timeoutAt: plan.pendingTimeoutMs === null ? null : now + plan.pendingTimeoutMs,
    nextEscalationAt: plan.escalations.length > 0 ? now + plan.escalations[0]!.afterMs : null,
  });
  return { outcome: decision.outcome, review };
}
