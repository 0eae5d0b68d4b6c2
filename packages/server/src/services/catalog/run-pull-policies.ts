import type { Actor } from "../../domain/actor.js";
import { newId } from "../../domain/ids.js";
import { nextRunAfter } from "../../domain/pull-policy.js";
import type { Services } from "../runtime/context.js";
import { pullAndSummarize, recordPullRun } from "./manage-pull-policies.js";
import { resolveSpaceById } from "../identity/resolve-space.js";

const BATCH = 20;
const PULL_ACTOR: Actor = { type: "system", job: "pull-policies" };

/**
 * Runs the pull policies whose time has come, of every space. Each run is claimed first, by
 * moving the policy's next run on in the row it was read from, so a run happens once even when
 * the job overlaps a restart; a run missed while the server was down happens once, at start.
 * Returns how many ran.
 */
export async function runDuePullPolicies(services: Services): Promise<number> {
  const now = services.clock.now();
  const due = await services.store.read.pullPolicies.due(now, BATCH);
  let ran = 0;
  for (const policy of due) {
    const claimed = await services.store.transaction((tx) =>
      tx.pullPolicies.claimRun(policy.spaceId, policy.name, policy.nextRunAt, nextRunAfter(policy.schedule, now)),
    );
    if (!claimed) continue;
    const space = await resolveSpaceById(services, policy.spaceId);
    const run = { ...services, space, actor: PULL_ACTOR, requestId: newId("req", now) };
    await recordPullRun(run, policy, await pullAndSummarize(run, policy));
    ran += 1;
  }
  return ran;
}

export async function nextPullPolicyRun(services: Services): Promise<number | undefined> {
  return services.store.read.pullPolicies.nextDue();
}
