import type { Actor } from "../domain/actor.js";
import { newId } from "../domain/ids.js";
import { audit, auditTarget, SERVER_CHAIN } from "./audit.js";
import type { Services } from "./context.js";
import { enqueueSpaceEvent } from "./enqueue-deliveries.js";
import { paginate, type PageRequest } from "./paginate.js";

const AUDIT_ACTOR: Actor = { type: "system", job: "audit" };

/**
 * Signs a checkpoint of every chain that has moved on by `everyEvents` events, or at all
 * within `intervalMs`: the chain's position and head hash, signed with the server's audit key.
 * Checkpoints are kept, and sent to the space's subscriptions to `audit.checkpoint` so a copy
 * lives off this machine: someone who can rewrite the database can recompute a chain, but
 * cannot sign a checkpoint for it. Returns how many were signed.
 */
export async function checkpointAuditChains(services: Services): Promise<number> {
  const { signer, checkpointEveryEvents, checkpointIntervalMs } = services.audit;
  const now = services.clock.now();
  let signed = 0;
  for (const chain of await services.store.read.audit.listChains()) {
    const behind = chain.headSeq - chain.checkpointSeq;
    if (behind <= 0 || (behind < checkpointEveryEvents && now - chain.checkpointAt < checkpointIntervalMs)) continue;
    const claims = {
      space: chain.spaceName,
      spaceId: chain.spaceId,
      seq: chain.headSeq,
      hash: chain.headHash,
      time: new Date(now).toISOString(),
    };
    const { kid, jws } = await signer.sign(claims);
    await services.store.transaction(async (tx) => {
      await tx.audit.insertCheckpoint({ spaceId: chain.spaceId, seq: chain.headSeq, hash: chain.headHash, signedAt: now, kid, jws });
      if (chain.spaceId !== SERVER_CHAIN.id)
        await enqueueSpaceEvent(tx, { ...services, now }, chain.spaceId, "audit.checkpoint", { checkpoint: { ...claims, kid, jws } });
    });
    signed += 1;
  }
  return signed;
}

/**
 * Removes events older than each space's retention, keeping the chain verifiable from the
 * first event kept; the removal is itself an event. Returns how many events went.
 */
export async function pruneAuditLogs(services: Services): Promise<number> {
  const now = services.clock.now();
  let removed = 0;
  for (const chain of await services.store.read.audit.listChains()) {
    if (chain.retentionMs === null) continue;
    const retentionMs = chain.retentionMs;
    removed += await services.store.transaction(async (tx) => {
      const pruned = await tx.audit.prune(chain.spaceId, now - retentionMs, now);
      if (!pruned) return 0;
      await audit(tx, { actor: AUDIT_ACTOR, requestId: newId("req", now) }, { id: chain.spaceId }, now, {
        event: "audit/pruned",
        resources: [auditTarget("auditLog", chain.spaceName || "server")],
        reason: `events ${pruned.fromSeq} to ${pruned.toSeq} were older than the retention`,
        labels: { "greenlight.dev/audit/removed": String(pruned.removed) },
      });
      return pruned.removed;
    });
  }
  return removed;
}

/** Checkpoints of a chain, newest first, for export off the machine. */
export async function listAuditCheckpoints(services: Services, chainId: string, request: PageRequest) {
  const page = await paginate(
    request,
    ["checkpoints", chainId],
    (after, limit) =>
      services.store.read.audit.listCheckpoints(chainId, { limit, ...(after === undefined ? {} : { beforeSeq: Number(after) }) }),
    (checkpoint) => String(checkpoint.seq),
  );
  return {
    checkpoints: page.items.map((c) => ({
      seq: c.seq,
      hash: c.hash,
      signTime: new Date(c.signedAt).toISOString(),
      kid: c.kid,
      jws: c.jws,
    })),
    nextPageToken: page.nextPageToken,
  };
}
