import { jobContext, type Services } from "../services/runtime/context.js";
import { nextPetitionTimer, runPetitionTimers } from "../services/petitions/run-petition-timers.js";
import type { Job } from "./runner.js";

export const PETITION_TIMERS_JOB = "petition-timers";

/**
 * Times out and escalates open petitions, then sleeps until the next one is due (or the poll
 * interval, if sooner). A new petition with a timer wakes it early through the runner.
 */
export function petitionTimersJob(services: Services, pollMs: number): Job {
  return {
    name: PETITION_TIMERS_JOB,
    retryMs: 1000,
    async run() {
      const ctx = jobContext(services, PETITION_TIMERS_JOB);
      if ((await runPetitionTimers({ ctx })) > 0) return 0;
      const next = await nextPetitionTimer({ ctx });
      const untilNext = next === undefined ? pollMs : next - services.clock.now();
      return Math.max(0, Math.min(pollMs, untilNext));
    },
  };
}
