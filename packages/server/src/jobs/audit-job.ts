import { checkpointAuditChains, pruneAuditLogs } from "../services/audit/audit-checkpoints.js";
import { jobContext, type Services } from "../services/runtime/context.js";
import type { Job, JobLogger } from "./runner.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Signs audit checkpoints as they come due (checked every minute, or sooner when asked), and
 * prunes past retention hourly. A chain it will not sign, because its checkpoints or events
 * were tampered with, is logged on every run until someone looks.
 */
export function auditJob(services: Services, logger: JobLogger): Job {
  let lastPrune = 0;
  const interval = Math.min(MINUTE, services.audit.checkpointIntervalMs);
  return {
    name: AUDIT_JOB,
    retryMs: MINUTE,
    async run() {
      await signDueCheckpoints(services, logger);
      const now = services.clock.now();
      if (now - lastPrune >= HOUR) {
        await pruneAuditLogs({ ctx: jobContext(services, AUDIT_JOB) });
        lastPrune = now;
      }
      return interval;
    },
  };
}

export const AUDIT_JOB = "audit";

/** Signs the checkpoints that are due, logging each chain that will not be signed and why. */
export async function signDueCheckpoints(services: Services, logger: JobLogger): Promise<number> {
  return checkpointAuditChains({
    ctx: jobContext(services, AUDIT_JOB),
    onRefused: (refusal) => logger.error(refusal, `the audit chain of ${refusal.space} is not signed: ${refusal.reason}; run audit:verify`),
  });
}
