import { ChainVerifier, GENESIS_HASH, type ChainFault, type ChainMark } from "../../domain/audit.js";
import { CheckpointSequence, maxCheckpointDelay } from "../../domain/audit-checkpoint.js";
import { verifiedCheckpoint } from "./audit-checkpoints.js";
import type { Services } from "../runtime/context.js";
import { chainOf, type AuditScope } from "./audit-log.js";
import type { VerifyOut } from "../../contract/audit.js";

const PAGE = 1000;

/**
 * Recomputes the chain from its first kept event to its head and checks it against its
 * signed checkpoints, which must form an unbroken sequence from the first, include the newest
 * one this server has seen, and cover every event received longer ago than checkpoints may
 * take. The first fault is named by position: an edited event, one missing, one out of
 * place, a tail cut off, a rewritten stretch that no longer matches a checkpoint, a removed
 * checkpoint, or an event left uncovered. Only who may read the chain may verify it: a space's
 * admins, or for the server's chain the server admin token.
 */
export async function verifyAudit({ scope }: { scope: AuditScope }): Promise<VerifyOut> {
  const chainId = chainOf(scope).id;
  const services = scope.ctx;
  const { store, clock } = services;
  const now = clock.now();
  const chain = await store.read.audit.chain(chainId);
  const head = chain ? { seq: chain.headSeq, hash: chain.headHash } : { seq: 0, hash: GENESIS_HASH };
  const base = chain ? { seq: chain.baseSeq, prevHash: chain.basePrevHash } : { seq: 1, prevHash: GENESIS_HASH };
  const checkpoints = await checkCheckpoints(services, chainId, base.seq);
  const coverage = { afterSeq: checkpoints.coveredTo, receivedBefore: now - maxCheckpointDelay(services.audit.checkpointIntervalMs) };
  const verifier = new ChainVerifier(base, checkpoints.marks, coverage);
  for (let from = base.seq; ;) {
    const rows = await store.read.audit.rows(chainId, {}, { order: "asc", fromSeq: from, limit: PAGE });
    let going = true;
    for (const row of rows) if (!(going = verifier.push(row))) break;
    if (!going || rows.length < PAGE) break;
    from = rows[rows.length - 1]!.seq + 1;
  }
  const faults = [verifier.finish(head), ...checkpoints.faults].filter((f): f is ChainFault => f !== undefined);
  const firstFault = faults.sort((a, b) => a.seq - b.seq)[0];
  const report: VerifyOut = {
    valid: firstFault === undefined,
    checkedEvents: verifier.checked,
    fromSeq: base.seq,
    head,
    checkpointsChecked: checkpoints.marks.length,
    latestCheckpointSeq: checkpoints.latestSeq,
  };
  if (firstFault) report.firstFault = firstFault;
  return report;
}

/**
 * Reads a chain's checkpoints oldest first: each must carry this server's signature over what
 * its row records and follow the one before it, and the newest this server has seen must be
 * among them. Returns the positions the chain must match (those not pruned away), how far the
 * unbroken sequence covers, and the faults.
 */
async function checkCheckpoints(
  services: Services,
  chainId: string,
  baseSeq: number,
): Promise<{ marks: ChainMark[]; latestSeq: number | null; coveredTo: number; faults: ChainFault[] }> {
  const sequence = new CheckpointSequence();
  const marks: ChainMark[] = [];
  const faults: ChainFault[] = [];
  const known = services.audit.witness.get(chainId);
  let latestSeq: number | null = null;
  let knownFound = false;
  for (let after = 0; ;) {
    const page = await services.store.read.audit.listCheckpoints(chainId, { order: "asc", afterSeq: after, limit: PAGE });
    for (const checkpoint of page) {
      latestSeq = checkpoint.seq;
      const signed = await verifiedCheckpoint(services.audit.signer, chainId, checkpoint);
      if (!signed) {
        faults.push({
          seq: checkpoint.seq,
          problem: "checkpoint-mismatch",
          message: `the checkpoint at event ${checkpoint.seq} does not carry a valid signature over what it records`,
        });
        continue;
      }
      sequence.push(signed);
      if (known && known.seq === checkpoint.seq && known.digest === signed.digest) knownFound = true;
      if (checkpoint.seq >= baseSeq) marks.push({ seq: signed.claims.seq, hash: signed.claims.hash });
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.seq;
  }
  if (sequence.firstFault) faults.push(sequence.firstFault);
  if (known && !knownFound)
    faults.push({
      seq: known.seq,
      problem: "checkpoint-missing",
      message: `checkpoint #${known.index} (at event ${known.seq}), which this server signed or saw, is gone from the database`,
    });
  return { marks, latestSeq, coveredTo: sequence.latest?.claims.seq ?? 0, faults };
}
