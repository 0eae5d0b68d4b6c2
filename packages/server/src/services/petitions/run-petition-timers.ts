import type { Actor } from "../../domain/actor.js";
import { describeMillis } from "../../domain/duration.js";
import { isDomainError } from "../../domain/errors.js";
import { newId } from "../../domain/ids.js";
import type { Petition } from "../../domain/petition.js";
import type { Tx } from "../../store/store.js";
import { applyPetitionAction } from "./apply-petition-action.js";
import { audit, auditTarget } from "../audit/audit.js";
import { enqueueEvent, isSubscribed } from "../destinations/enqueue-deliveries.js";
import type { ActorContext, Services } from "../runtime/context.js";
import { resolveSpaceById } from "../identity/resolve-space.js";
import { enqueueSlackReview } from "../slack/slack-notify.js";

const TIMEOUT_ACTOR: Actor = { type: "system", job: "pending-timeout" };
const ESCALATION_ACTOR: Actor = { type: "system", job: "escalation" };

/**
 * The timers of open petitions: a petition nobody decided by its plan's pending timeout closes
 * as `timed_out`; one whose escalation is due moves on to its next escalation (its plan says
 * who is told then; the petition's state shows how far it has escalated). The petitions table
 * is the durable timer, so what came due while the server was down is done on the first run.
 * Returns how many petitions changed. A timeout and an escalation each record their own
 * system actor (`pending-timeout`, `escalation`), whichever job runs them.
 */
export async function runPetitionTimers({ ctx, batchSize = 100 }: { ctx: ActorContext; batchSize?: number }): Promise<number> {
  const now = ctx.clock.now();
  let changed = 0;
  for (const due of await ctx.store.read.petitions.findTimersDue(now, batchSize)) {
    // Timing out ends it; otherwise an escalation is what is due.
    const done = await onPetition(ctx, due, (petition) =>
      petition.timeoutAt !== null && petition.timeoutAt <= ctx.clock.now() ? timeOut(ctx, petition) : escalate(ctx, petition),
    );
    if (done) changed += 1;
  }
  return changed;
}

/** When the next open petition times out or escalates. */
export async function nextPetitionTimer({ ctx }: { ctx: ActorContext }): Promise<number | undefined> {
  return ctx.store.read.petitions.nextTimer();
}

type Step = (petition: Petition) => (tx: Tx) => Promise<boolean>;

async function onPetition(services: Services, due: { spaceId: string; name: string }, step: Step): Promise<boolean> {
  const space = await resolveSpaceById(services, due.spaceId);
  return services.store.transaction(async (tx) => {
    const petition = await tx.petitions.get(space, due.name);
    if (!petition || petition.phase !== "open") return false;
    try {
      return await step(petition)(tx);
    } catch (error) {
      // Decided meanwhile by someone else: nothing is left to do.
      if (isDomainError(error) && (error.code === "INVALID_TRANSITION" || error.code === "CONFLICT")) return false;
      throw error;
    }
  });
}

function timeOut(services: Services, petition: Petition): ReturnType<Step> {
  return async (tx) => {
    const now = services.clock.now();
    if (petition.timeoutAt === null || petition.timeoutAt > now) return false;
    const waited = describeMillis(petition.timeoutAt - petition.createdAt);
    await applyPetitionAction(tx, { ...services, actor: TIMEOUT_ACTOR, requestId: newId("req", now), now }, petition, "timeout", {
      reason: `nobody decided within ${waited}, the pending timeout of its policy`,
    });
    return true;
  };
}

function escalate(services: Services, petition: Petition): ReturnType<Step> {
  return async (tx) => {
    const now = services.clock.now();
    if (petition.nextEscalationAt === null || petition.nextEscalationAt > now) return false;
    const escalations = petition.reviewPlan?.escalations ?? [];
    // Every escalation whose time has come is done now, however long the server was down.
    let done = petition.escalationsDone;
    while (done < escalations.length && petition.createdAt + escalations[done]!.afterMs <= now) done += 1;
    const next = escalations[done];
    const escalated = {
      ...petition,
      version: petition.version + 1,
      updatedAt: now,
      escalationsDone: done,
      nextEscalationAt: next ? petition.createdAt + next.afterMs : null,
    };
    await tx.petitions.update(escalated);
    await audit(tx, { actor: ESCALATION_ACTOR, requestId: newId("req", now) }, { id: petition.spaceId, name: petition.spaceName }, now, {
      event: "petition/escalated",
      resources: [auditTarget("petition", petition.name)],
      reason: `escalation ${done} of ${escalations.length}: nobody decided in time`,
    });
    tx.afterCommit(() => services.notifier.petitionChanged(petition.spaceId, petition.name));
    const env = { ...services, now };
    if (await isSubscribed(env, tx, petition.spaceId, "petition.escalated"))
      await enqueueEvent(tx, env, escalated, "petition.escalated", {});
    for (const escalation of escalations.slice(petition.escalationsDone, done)) {
      await enqueueSlackReview(tx, env, escalated, escalation.notify, { escalation: true });
    }
    return true;
  };
}
