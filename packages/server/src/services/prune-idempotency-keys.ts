import type { Services } from "./context.js";

/** How long a response stays replayable under its Idempotency-Key (Stripe keeps 24 hours). */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

/** Forgets idempotency keys older than the retention; returns how many. */
export async function pruneIdempotencyKeys({ services }: { services: Services }): Promise<number> {
  const cutoff = services.clock.now() - IDEMPOTENCY_RETENTION_MS;
  return services.store.transaction((tx) => tx.idempotency.deleteOlderThan(cutoff));
}
