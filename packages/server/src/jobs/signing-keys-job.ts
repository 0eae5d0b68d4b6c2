import type { Services } from "../services/runtime/context.js";
import type { Job } from "./runner.js";

export const SIGNING_KEYS_JOB = "signing-keys";

/**
 * Every poll interval: rotates the token signing keys when the schedule says so (publishing the
 * successor before it signs), removes keys nothing valid was signed with, and re-reads the keys
 * when another replica changed them. Every replica runs it; the store's transactions make one
 * change of what several find due.
 */
export function signingKeysJob(services: Services, pollMs: number): Job {
  return {
    name: SIGNING_KEYS_JOB,
    retryMs: pollMs,
    async run() {
      await services.signer.maintain();
      return pollMs;
    },
  };
}
