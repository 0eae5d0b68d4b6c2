import { newId } from "../../domain/ids.js";
import { nextRunAfter } from "../../domain/pull-policy.js";
import type { ActorContext } from "../runtime/context.js";
import { pullAndSummarize, recordPullRun } from "./manage-pull-policies.js";
import { resolveSpaceById } from "../identity/resolve-space.js";

const BATCH = 20;

/**
 * Runs the pull policies whose time has come, of every space. Each run is claimed first, by
 * moving the policy's next run on in the row it was read from, so a run happens once even when
 * the job overlaps a restart; a run missed while the server was down happens once, at start.
 * Returns how many ran; each run is recorded as `ctx`'s actor (the pull-policies job).
 */
export async function runDuePullPolicies({ ctx }: { ctx: ActorContext }): Promise<number> {
  const now = ctx.clock.now();
  const due = await ctx.store.read.pullPolicies.due(now, BATCH);
  let ran = 0;
  for (const policy of due) {
    const claimed = await ctx.store.transaction((tx) =>
      tx.pullPolicies.claimRun(policy.spaceId, policy.name, policy.nextRunAt, nextRunAfter(policy.schedule, now)),
    );
    if (!claimed) continue;
    const space = await resolveSpaceById(ctx, policy.spaceId);
    const run = { ...ctx, space, requestId: newId("req", now) };
    await recordPullRun(run, policy, await pullAndSummarize(run, policy));
    ran += 1;
  }
  return ran;
}

export async function nextPullPolicyRun({ ctx }: { ctx: ActorContext }): Promise<number | undefined> {
  return ctx.store.read.pullPolicies.nextDue();
}
