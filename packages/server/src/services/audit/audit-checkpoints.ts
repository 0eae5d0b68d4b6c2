import { PRUNED_BASE_LABEL, PRUNED_EVENT } from "../../domain/audit.js";
import { checkpointDigest, FIRST_CHECKPOINT_PREV, maxCheckpointDelay, type SignedCheckpoint } from "../../domain/audit-checkpoint.js";
import { describeMillis } from "../../domain/duration.js";
import { newId } from "../../domain/ids.js";
import type { AuditChain, AuditCheckpoint } from "../../store/repositories/audit.js";
import { audit, auditTarget, SERVER_CHAIN, spaceTarget } from "./audit.js";
import type { AuditSigner } from "./audit-signer.js";
import type { ActorContext, Services } from "../runtime/context.js";
import { enqueueSpaceEvent } from "../destinations/enqueue-deliveries.js";
import { paginate, type PageRequest } from "../runtime/paginate.js";
import { chainOf, type AuditScope } from "./audit-log.js";

/** A chain the job would not sign, and why: its checkpoints or events were tampered with. */
export interface CheckpointRefusal {
  spaceId: string;
  space: string;
  reason: string;
}

/**
 * Signs a checkpoint of every chain that has moved on by `everyEvents` events, or at all
 * within `intervalMs`: the chain's position and head hash, its place in the chain's sequence
 * of checkpoints and the digest of the one before, signed with the server's audit key.
 * Checkpoints are kept, and sent to the space's subscriptions to `audit.checkpoint` so a copy
 * lives off this machine: someone who can rewrite the database can recompute a chain, but
 * cannot sign a checkpoint for it. A chain whose checkpoints are not as this server last saw
 * them, or whose events no longer match its newest checkpoint, is not signed again (signing
 * would make the tampering look whole); each is handed to `onRefused`. Returns how many were signed.
 */
export async function checkpointAuditChains({
  ctx,
  onRefused = () => {},
}: {
  ctx: ActorContext;
  onRefused?: (refusal: CheckpointRefusal) => void;
}): Promise<number> {
  const now = ctx.clock.now();
  let signed = 0;
  for (const chain of await ctx.store.read.audit.listChains()) {
    const outcome = await checkpointChain(ctx, chain, now);
    if (outcome === true) signed += 1;
    else if (typeof outcome === "string") onRefused({ spaceId: chain.spaceId, space: chain.spaceName || "server", reason: outcome });
  }
  return signed;
}

/** True when signed, false when not due (or another replica signed first), or why it was refused. */
async function checkpointChain(services: Services, chain: AuditChain, now: number): Promise<boolean | string> {
  const { signer, witness, checkpointEveryEvents, checkpointIntervalMs } = services.audit;
  const read = services.store.read.audit;
  const [newest] = await read.listCheckpoints(chain.spaceId, { limit: 1 });
  const latest = newest && (await verifiedCheckpoint(signer, chain.spaceId, newest));
  if (newest && !latest)
    return `its newest checkpoint (at event ${newest.seq}) does not carry this server's signature over what it records`;
  const known = witness.get(chain.spaceId);
  if (known) {
    const still = await read.checkpointAt(chain.spaceId, known.seq);
    if (!still || checkpointDigest(still.jws) !== known.digest)
      return `checkpoint #${known.index} (at event ${known.seq}), which this server signed or saw, is gone from the database`;
  }
  if (latest) {
    await witness.see(chain.spaceId, { seq: latest.claims.seq, index: latest.claims.index, digest: latest.digest });
    const hash = await read.hashAt(chain.spaceId, latest.claims.seq);
    if (hash !== undefined && hash !== latest.claims.hash)
      return `event ${latest.claims.seq} no longer matches checkpoint #${latest.claims.index}: the chain was rewritten`;
  }
  const behind = chain.headSeq - (latest?.claims.seq ?? 0);
  if (behind <= 0 || (behind < checkpointEveryEvents && now - chain.checkpointAt < checkpointIntervalMs)) return false;
  const claims = {
    space: chain.spaceName,
    spaceId: chain.spaceId,
    seq: chain.headSeq,
    hash: chain.headHash,
    time: new Date(now).toISOString(),
    index: (latest?.claims.index ?? 0) + 1,
    prev: latest?.digest ?? FIRST_CHECKPOINT_PREV,
  };
  const { kid, jws } = await signer.sign(claims);
  const inserted = await services.store.transaction(async (tx) => {
    // Another replica may have signed the next one meanwhile: one checkpoint per place in the sequence.
    const [current] = await tx.audit.listCheckpoints(chain.spaceId, { limit: 1 });
    if (current?.seq !== newest?.seq) return false;
    await tx.audit.insertCheckpoint({ spaceId: chain.spaceId, seq: chain.headSeq, hash: chain.headHash, signedAt: now, kid, jws });
    if (chain.spaceId !== SERVER_CHAIN.id)
      await enqueueSpaceEvent(tx, { ...services, now }, chain.spaceId, "audit.checkpoint", { checkpoint: { ...claims, kid, jws } });
    return true;
  });
  if (inserted) await witness.see(chain.spaceId, { seq: claims.seq, index: claims.index, digest: checkpointDigest(jws) });
  return inserted;
}

/** What a stored checkpoint says, if this server signed it for this chain and it records what its row does. */
export async function verifiedCheckpoint(
  signer: AuditSigner,
  chainId: string,
  checkpoint: AuditCheckpoint,
): Promise<SignedCheckpoint | undefined> {
  const claims = await signer.verify(checkpoint.jws);
  if (!claims || claims.spaceId !== chainId || claims.seq !== checkpoint.seq || claims.hash !== checkpoint.hash) return undefined;
  return { claims, digest: checkpointDigest(checkpoint.jws) };
}

/**
 * Removes events received longer ago than each space's retention, never sooner than the
 * operator's floor (a retention set under a lower floor is held to the current one), keeping
 * the chain verifiable from the first event kept. Each removal is an event in the space's
 * chain, which names where the chain now starts, and in the server's. Returns how many events went.
 */
export async function pruneAuditLogs({ ctx }: { ctx: ActorContext }): Promise<number> {
  const now = ctx.clock.now();
  let removed = 0;
  for (const chain of await ctx.store.read.audit.listChains()) {
    if (chain.retentionMs === null) continue;
    const retentionMs = Math.max(chain.retentionMs, ctx.audit.minRetentionMs);
    removed += await ctx.store.transaction(async (tx) => {
      const pruned = await tx.audit.prune(chain.spaceId, now - retentionMs, now);
      if (!pruned) return 0;
      const origin = { actor: ctx.actor, requestId: newId("req", now) };
      const change = {
        event: PRUNED_EVENT,
        reason: `events ${pruned.fromSeq} to ${pruned.toSeq} were received longer ago than the retention`,
        labels: {
          "greenlight.dev/audit/removed": String(pruned.removed),
          "greenlight.dev/audit/retention": describeMillis(retentionMs),
          [PRUNED_BASE_LABEL]: String(pruned.toSeq + 1),
        },
      };
      await audit(tx, origin, { id: chain.spaceId }, now, { ...change, resources: [auditTarget("auditLog", chain.spaceName || "server")] });
      await audit(tx, origin, SERVER_CHAIN, now, {
        ...change,
        resources: [spaceTarget({ id: chain.spaceId, name: chain.spaceName }), auditTarget("auditLog", chain.spaceName)],
      });
      return pruned.removed;
    });
  }
  return removed;
}

/**
 * Checkpoints of the scope's chain, newest first, for export off the machine; and how late one
 * may be. For who may read the chain: a space's admins, or the server admin token.
 */
export async function listAuditCheckpoints({ scope, page: request }: { scope: AuditScope; page: PageRequest }) {
  const chainId = chainOf(scope).id;
  const services = scope.ctx;
  const page = await paginate(
    request,
    ["checkpoints", chainId],
    (after, limit) =>
      services.store.read.audit.listCheckpoints(chainId, { limit, ...(after === undefined ? {} : { beforeSeq: Number(after) }) }),
    (checkpoint) => String(checkpoint.seq),
  );
  const checkpoints = [];
  for (const c of page.items) {
    // What the signature says, where it verifies; the verifier will say where it does not.
    const claims = (await verifiedCheckpoint(services.audit.signer, chainId, c))?.claims;
    checkpoints.push({
      seq: c.seq,
      hash: c.hash,
      ...(claims ? { index: claims.index, prev: claims.prev } : {}),
      signTime: new Date(c.signedAt).toISOString(),
      kid: c.kid,
      jws: c.jws,
    });
  }
  return {
    checkpoints,
    nextPageToken: page.nextPageToken,
    maxCheckpointDelay: describeMillis(maxCheckpointDelay(services.audit.checkpointIntervalMs)),
  };
}
