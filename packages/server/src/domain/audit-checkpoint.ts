import { createHash } from "node:crypto";
import { GENESIS_HASH, type ChainFault } from "./audit.js";

/**
 * Signed checkpoints of an audit chain, as transparency logs keep their signed tree heads:
 * each names its place in the chain's sequence of checkpoints (`index`, from 1) and the digest
 * of the one before it (`prev`), so the checkpoints form a chain of their own. Removing one
 * from the middle, or the first, leaves a gap no signature can bridge; removing the newest is
 * caught by the rule that no event may wait longer than `maxCheckpointDelay` for a checkpoint
 * to cover it, and by anyone who kept a copy of one.
 */

/** What a checkpoint commits to: the chain of a space had reached `seq` with head `hash` at `time`. */
export interface CheckpointClaims {
  space: string;
  spaceId: string;
  seq: number;
  hash: string;
  time: string;
  /** Its place in the chain's sequence of checkpoints, from 1. */
  index: number;
  /** `checkpointDigest` of the checkpoint before it; the genesis hash for the first. */
  prev: string;
}

/** A checkpoint whose signature verified: what it says, and the digest the next one must name. */
export interface SignedCheckpoint {
  claims: CheckpointClaims;
  digest: string;
}

/** The SHA-256 (hex) of a checkpoint's compact JWS: what the next checkpoint's `prev` names. */
export function checkpointDigest(jws: string): string {
  return createHash("sha256").update(jws).digest("hex");
}

/** The `prev` of a chain's first checkpoint. */
export const FIRST_CHECKPOINT_PREV = GENESIS_HASH;

/**
 * The longest an event may wait for a checkpoint that covers it. A checkpoint is due an
 * interval after the one before, the job looks at most an interval later, and a minute is
 * left for the job's own work (many chains, a busy database).
 */
export function maxCheckpointDelay(intervalMs: number): number {
  return 2 * intervalMs + 60_000;
}

/** Walks a chain's checkpoints oldest first and names the first one that does not follow the one before. */
export class CheckpointSequence {
  private last: SignedCheckpoint | undefined;
  private fault: ChainFault | undefined;

  get latest(): SignedCheckpoint | undefined {
    return this.last;
  }

  get firstFault(): ChainFault | undefined {
    return this.fault;
  }

  /** Returns false once a fault is found. */
  push(checkpoint: SignedCheckpoint): boolean {
    if (this.fault) return false;
    const { claims } = checkpoint;
    const before = this.last;
    if (!before && (claims.index !== 1 || claims.prev !== FIRST_CHECKPOINT_PREV))
      return this.fail(
        claims.seq,
        `the oldest checkpoint is #${claims.index} (at event ${claims.seq}): the checkpoints before it were removed`,
      );
    if (before && (claims.index !== before.claims.index + 1 || claims.prev !== before.digest))
      return this.fail(
        claims.seq,
        `checkpoint #${claims.index} (at event ${claims.seq}) does not follow checkpoint #${before.claims.index} (at event ${before.claims.seq}): the checkpoints between them were removed`,
      );
    if (before && claims.seq <= before.claims.seq) {
      this.fault = {
        seq: claims.seq,
        problem: "checkpoint-mismatch",
        message: `checkpoint #${claims.index} goes back to event ${claims.seq} from event ${before.claims.seq}`,
      };
      return false;
    }
    this.last = checkpoint;
    return true;
  }

  private fail(seq: number, message: string): false {
    this.fault = { seq, problem: "checkpoint-missing", message };
    return false;
  }
}
