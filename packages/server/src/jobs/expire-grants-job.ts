import { jobContext, type Services } from "../services/runtime/context.js";
import { expireGrants, nextGrantExpiry } from "../services/grants/expire-grants.js";
import type { Job } from "./runner.js";

export const EXPIRE_GRANTS_JOB = "expire-grants";

/**
 * Expires due grants, then sleeps until the next grant is due (or the poll interval, if
 * sooner). New grants wake it early through the runner, so a one-second grant ends after one
 * second, not after the poll interval.
 */
export function expireGrantsJob(services: Services, pollMs: number): Job {
  return {
    name: EXPIRE_GRANTS_JOB,
    retryMs: 1000,
    async run() {
      // Work done means more may be due: look again at once; an empty look then sleeps.
      const ctx = jobContext(services, "expiry");
      if ((await expireGrants({ ctx })) > 0) return 0;
      const next = await nextGrantExpiry({ ctx });
      const untilNext = next === undefined ? pollMs : next - services.clock.now();
      return Math.max(0, Math.min(pollMs, untilNext));
    },
  };
}
