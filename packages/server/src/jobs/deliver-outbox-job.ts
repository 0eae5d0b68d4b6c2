import type { DeliveryWorker } from "../services/destinations/deliver-outbox.js";
import type { Job } from "./runner.js";

export const DELIVER_OUTBOX_JOB = "deliver-outbox";

/**
 * Sends what is due in the outbox, then sleeps until the next delivery is due. A transaction
 * that queues deliveries, and every delivery that finishes, wakes it early.
 */
export function deliverOutboxJob(worker: DeliveryWorker): Job {
  return { name: DELIVER_OUTBOX_JOB, retryMs: 1000, run: () => worker.run() };
}
