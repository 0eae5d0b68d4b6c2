import { checkpointAuditChains, pruneAuditLogs } from "../services/audit-checkpoints.js";
import type { Services } from "../services/context.js";
import type { Job } from "./runner.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Signs audit checkpoints as they come due (checked every minute, or sooner when asked), and prunes past retention hourly. */
export function auditJob(services: Services): Job {
  let lastPrune = 0;
  const interval = Math.min(MINUTE, services.audit.checkpointIntervalMs);
  return {
    name: AUDIT_JOB,
    retryMs: MINUTE,
    async run() {
      await checkpointAuditChains(services);
      const now = services.clock.now();
      if (now - lastPrune >= HOUR) {
        await pruneAuditLogs(services);
        lastPrune = now;
      }
      return interval;
    },
  };
}

export const AUDIT_JOB = "audit";
