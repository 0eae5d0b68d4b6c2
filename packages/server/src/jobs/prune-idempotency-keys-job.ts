import { jobContext, type Services } from "../services/runtime/context.js";
import { pruneIdempotencyKeys } from "../services/runtime/prune-idempotency-keys.js";
import type { Job } from "./runner.js";

const HOUR = 60 * 60 * 1000;

/** Forgets stored Idempotency-Key responses once they are past retention, hourly. */
export function pruneIdempotencyKeysJob(services: Services): Job {
  return {
    name: "prune-idempotency-keys",
    retryMs: HOUR,
    async run() {
      await pruneIdempotencyKeys({ ctx: jobContext(services, "prune-idempotency-keys") });
      return HOUR;
    },
  };
}
