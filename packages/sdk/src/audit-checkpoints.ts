import type { AuditCheckpoint, AuditFault, AuditPublicKey } from "./audit-types.js";
import { fromBase64Url, sha256Hex } from "./digest.js";

/**
 * Checkpoints as a verifier off the server checks them: each signed by the server's audit key
 * as a checkpoint, each naming its place in the chain's sequence and the digest of the one
 * before, so a removed checkpoint leaves a gap no signature can bridge.
 */

const CHECKPOINT_TYP = "greenlight-audit-checkpoint+jws";
const FIRST_PREV = "0".repeat(64);

interface CheckpointClaims {
  seq?: number;
  hash?: string;
  index?: number;
  prev?: string;
}

/** What a checkpoint's signature covers, if one of `keys` signed it as a checkpoint and it says what its fields say. */
async function signedClaims(checkpoint: AuditCheckpoint, keys: { keys: AuditPublicKey[] }): Promise<CheckpointClaims | undefined> {
  const [header64, payload64, signature64] = checkpoint.jws.split(".");
  if (!header64 || !payload64 || !signature64) return undefined;
  try {
    const header = JSON.parse(fromBase64Url(header64, "text")) as { alg?: string; kid?: string; typ?: string };
    const jwk = keys.keys.find((k) => k.kid === header.kid);
    if (header.alg !== "EdDSA" || header.typ !== CHECKPOINT_TYP || !jwk) return undefined;
    const key = await crypto.subtle.importKey("jwk", { kty: jwk.kty, crv: jwk.crv ?? "", x: jwk.x ?? "" }, { name: "Ed25519" }, false, [
      "verify",
    ]);
    const signed = new TextEncoder().encode(`${header64}.${payload64}`);
    if (!(await crypto.subtle.verify({ name: "Ed25519" }, key, fromBase64Url(signature64, "bytes"), signed))) return undefined;
    const claims = JSON.parse(fromBase64Url(payload64, "text")) as CheckpointClaims;
    return claims.seq === checkpoint.seq && claims.hash === checkpoint.hash ? claims : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The server's checkpoints, oldest first: each must carry a valid signature and follow the one
 * before it from #1. Returns the positions the log must match, the newest that verified, and
 * the first fault.
 */
export async function checkCheckpoints(
  checkpoints: AuditCheckpoint[],
  keys: { keys: AuditPublicKey[] } | undefined,
): Promise<{ marks: Map<number, string>; latest?: AuditCheckpoint; fault?: AuditFault }> {
  if (!keys) throw new TypeError("checking checkpoints needs the keys that signed them (GET /v1/audit/keys)");
  const marks = new Map<number, string>();
  let fault: AuditFault | undefined;
  let latest: AuditCheckpoint | undefined;
  let before: { index: number; digest: string; seq: number } | undefined;
  for (const checkpoint of [...checkpoints].sort((a, b) => a.seq - b.seq)) {
    const claims = await signedClaims(checkpoint, keys);
    if (!claims) {
      fault ??= {
        seq: checkpoint.seq,
        problem: "checkpoint-mismatch",
        message: `the checkpoint at event ${checkpoint.seq} does not carry a valid signature over what it records`,
      };
      continue;
    }
    if (claims.index !== (before?.index ?? 0) + 1 || claims.prev !== (before?.digest ?? FIRST_PREV))
      fault ??= {
        seq: checkpoint.seq,
        problem: "checkpoint-missing",
        message: before
          ? `checkpoint #${claims.index} (at event ${checkpoint.seq}) does not follow checkpoint #${before.index} (at event ${before.seq}): the checkpoints between them were removed`
          : `the oldest checkpoint is #${claims.index} (at event ${checkpoint.seq}): the checkpoints before it were removed`,
      };
    marks.set(checkpoint.seq, checkpoint.hash);
    latest = checkpoint;
    before = { index: claims.index ?? 0, digest: await sha256Hex(checkpoint.jws), seq: checkpoint.seq };
  }
  return latest ? { marks, latest, ...(fault ? { fault } : {}) } : { marks, ...(fault ? { fault } : {}) };
}

/**
 * A checkpoint kept from before: it must carry a valid signature (else this throws, as the
 * caller handed over something that is not one), and the server's checkpoints, when given,
 * must still hold it. Returns the fault if they do not.
 */
export async function keptCheckpointFault(
  kept: AuditCheckpoint,
  keys: { keys: AuditPublicKey[] } | undefined,
  serverCheckpoints: AuditCheckpoint[] | undefined,
): Promise<AuditFault | undefined> {
  if (keys && !(await signedClaims(kept, keys)))
    throw new Error("the checkpoint kept from before does not verify with the keys given: it is not one of this server's checkpoints");
  if (!serverCheckpoints || serverCheckpoints.some((c) => c.seq === kept.seq && c.jws === kept.jws)) return undefined;
  return {
    seq: kept.seq,
    problem: "checkpoint-missing",
    message: `the checkpoint you kept (#${kept.index ?? "?"}, at event ${kept.seq}) is no longer among the server's: checkpoints were removed or replaced`,
  };
}
