import { jobContext, type Services } from "../services/runtime/context.js";
import { nextPullPolicyRun, runDuePullPolicies } from "../services/catalog/run-pull-policies.js";
import type { Job } from "./runner.js";

export const PULL_POLICIES_JOB = "pull-policies";

/** Runs due pull policies, then sleeps until the next one (or the poll interval, if sooner). */
export function pullPoliciesJob(services: Services, pollMs: number): Job {
  return {
    name: PULL_POLICIES_JOB,
    retryMs: 5000,
    async run() {
      const ctx = jobContext(services, PULL_POLICIES_JOB);
      if ((await runDuePullPolicies({ ctx })) > 0) return 0;
      const next = await nextPullPolicyRun({ ctx });
      const untilNext = next === undefined ? pollMs : next - services.clock.now();
      return Math.max(0, Math.min(pollMs, untilNext));
    },
  };
}
