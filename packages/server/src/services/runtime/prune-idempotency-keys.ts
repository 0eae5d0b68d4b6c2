import { LOGIN_MAX_AGE_MS } from "../identity/web-sign-in.js";
import type { ActorContext } from "./context.js";

/** How long a response stays replayable under its Idempotency-Key (Stripe keeps 24 hours). */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

/** Slack interactions are remembered past Slack's own five-minute window for replays, with room to spare. */
const SLACK_INTERACTION_RETENTION_MS = 60 * 60 * 1000;

/** Forgets idempotency keys older than the retention, Slack interactions past theirs, and ended sessions and logins; returns how many. */
export async function pruneIdempotencyKeys({ ctx }: { ctx: ActorContext }): Promise<number> {
  const now = ctx.clock.now();
  return ctx.store.transaction(
    async (tx) =>
      (await tx.idempotency.deleteOlderThan(now - IDEMPOTENCY_RETENTION_MS)) +
      (await tx.slack.pruneInteractions(now - SLACK_INTERACTION_RETENTION_MS)) +
      (await tx.webSessions.prune(now, LOGIN_MAX_AGE_MS)),
  );
}
