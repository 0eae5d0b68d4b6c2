import { calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";
import type { Actor } from "../../domain/actor.js";
import { newId } from "../../domain/ids.js";
import { isRotationDue, planRotation, removableKeys, signingKeyAt } from "../../domain/signing-keys.js";
import type { SigningKeyRecord } from "../../store/repositories/signing-keys.js";
import { SecretBoxError } from "../../store/secret-box.js";
import type { Repositories, Store, Tx } from "../../store/store.js";
import { audit, auditTarget, SERVER_CHAIN, type AuditOrigin } from "../audit/audit.js";

/**
 * The life of the keys that sign access tokens and approval receipts, in the store: made on
 * first start, sealed at rest, replaced on a schedule or on demand, removed once nothing they
 * signed can still be valid. `TokenSigner` signs and verifies with what this leaves stored.
 */

/** ECDSA P-256: compact signatures, and the EC-style JWKs Indent's JWKS endpoint published. */
export const SIGNING_ALG = "ES256";

/**
 * How long a scheduled successor is published before it signs: every replica re-reads the keys
 * well within it (GREENLIGHT_SIGNING_KEY_POLL_INTERVAL is at most ten minutes), and so do
 * clients that cache the JWKS, so no token reaches a verifier that does not know its key yet.
 */
export const PUBLISHED_AHEAD_MS = 60 * 60_000;

export interface SigningKeySchedule {
  /** How long a key signs before a scheduled rotation replaces it; null: only on demand. */
  rotationPeriodMs: number | null;
  /** How long a retired key keeps verifying: the longest anything it signed can live, with margins. */
  keepRetiredMs: number;
}

type RotationReason = "scheduled" | "requested" | "unsealed";

/**
 * Readies the stored keys at start, in one transaction. The stored keys are opened first, so a
 * server given the wrong secret key fails before it writes anything. Keys an earlier version
 * left in the clear are moved in sealed; one of them that still signs may be in every backup
 * made until now, so it is retired as soon as a successor has been published. A key is made
 * when none signs (the first start). Replicas starting together on PostgreSQL each run this:
 * the serializable transaction runs the losers again, and they find the work done.
 */
export async function prepareSigningKeys(store: Store, now: number): Promise<void> {
  const spare = await newSigningKey(now);
  const sealed = await store.transaction(async (tx) => {
    await readSigningKeys(tx);
    const unsealed = await tx.signingKeys.takeUnsealed();
    for (const key of unsealed) await tx.signingKeys.insert({ ...key, activatesAt: key.createdAt });
    const origin = systemOrigin(now);
    if (unsealed.length > 0) {
      await audit(tx, origin, SERVER_CHAIN, now, {
        event: "signingKey/sealed",
        resources: unsealed.map((key) => auditTarget("signingKey", key.kid)),
      });
    }
    const signing = signingKeyAt(await tx.signingKeys.times(), now);
    if (signing === undefined) await tx.signingKeys.insert(spare);
    else if (unsealed.some((key) => key.kid === signing.kid)) await rotate(tx, origin, now, spare, PUBLISHED_AHEAD_MS, "unsealed");
    // Any other key that was in the clear and not retired signs nothing (a newer key does): it stops now.
    const idle = unsealed.filter((key) => key.retiredAt === null && key.kid !== signing?.kid).map((key) => key.kid);
    await tx.signingKeys.retire(idle, now);
    return unsealed.length;
  });
  if (sealed > 0) await store.scrubDeleted?.();
}

/** The stored keys, opened; a clear error when this server's secret key is not the one they were sealed with. */
export async function readSigningKeys(repositories: Pick<Repositories, "signingKeys">): Promise<SigningKeyRecord[]> {
  try {
    return await repositories.signingKeys.list();
  } catch (error) {
    if (!(error instanceof SecretBoxError)) throw error;
    throw new Error(
      "the token signing keys do not open with this server's secret key (GREENLIGHT_SECRET_KEY, or secret.key in the data directory): start it with the key they were sealed with (while changing keys, give the old one in GREENLIGHT_SECRET_KEY_PREVIOUS); docs/deployment.md says what to do when it is lost",
      { cause: error },
    );
  }
}

/**
 * Makes a new key the signer at once (an operator's rotation). The old ones keep verifying
 * what they signed, unless `revokeOtherKeys`: for a key that may be known to someone else,
 * every other key is removed, and all they signed stops verifying (other replicas follow
 * when they next read the keys, within the poll interval).
 */
export async function rotateSigningKeyNow(
  store: Store,
  origin: AuditOrigin,
  now: number,
  options: { revokeOtherKeys: boolean },
): Promise<{ kid: string }> {
  const key = await newSigningKey(now);
  await store.transaction(async (tx) => {
    await rotate(tx, origin, now, key, 0, "requested");
    if (!options.revokeOtherKeys) return;
    const others = (await tx.signingKeys.times()).filter((other) => other.kid !== key.kid).map((other) => other.kid);
    await tx.signingKeys.delete(others);
    await audit(tx, origin, SERVER_CHAIN, now, {
      event: "signingKey/revoked",
      resources: others.map((kid) => auditTarget("signingKey", kid)),
    });
  });
  return { kid: key.kid };
}

/**
 * The scheduled work, run by every replica: publishes a successor when the signing key has
 * signed for the rotation period, and removes keys retired longer ago than anything they signed
 * can live. The decision is taken again inside the transaction, so replicas that find the same
 * work due make one change between them. Returns whether it changed anything.
 */
export async function maintainSigningKeys(store: Store, now: number, schedule: SigningKeySchedule): Promise<boolean> {
  const isDue = (keys: Parameters<typeof isRotationDue>[0]) =>
    schedule.rotationPeriodMs !== null && isRotationDue(keys, now, schedule.rotationPeriodMs);
  const stored = await store.read.signingKeys.times();
  if (!isDue(stored) && removableKeys(stored, now, schedule.keepRetiredMs).length === 0) return false;
  const successor = await newSigningKey(now);
  return store.transaction(async (tx) => {
    const keys = await tx.signingKeys.times();
    const origin = systemOrigin(now);
    const removable = removableKeys(keys, now, schedule.keepRetiredMs);
    if (removable.length > 0) {
      await tx.signingKeys.delete(removable);
      await audit(tx, origin, SERVER_CHAIN, now, {
        event: "signingKey/removed",
        resources: removable.map((kid) => auditTarget("signingKey", kid)),
      });
    }
    if (!isDue(keys)) return removable.length > 0;
    // With no key signing at all (never so but by hand), the successor signs at once.
    await rotate(tx, origin, now, successor, signingKeyAt(keys, now) ? PUBLISHED_AHEAD_MS : 0, "scheduled");
    return true;
  });
}

/** Publishes `key`, signing `aheadMs` from now, when the keys signing until then stop. */
async function rotate(tx: Tx, origin: AuditOrigin, now: number, key: SigningKeyRecord, aheadMs: number, reason: RotationReason) {
  const plan = planRotation(await tx.signingKeys.times(), now, aheadMs);
  await tx.signingKeys.delete(plan.discard);
  await tx.signingKeys.retire(plan.retire, plan.activatesAt);
  await tx.signingKeys.insert({ ...key, activatesAt: plan.activatesAt });
  await audit(tx, origin, SERVER_CHAIN, now, {
    event: "signingKey/rotated",
    resources: [auditTarget("signingKey", key.kid)],
    labels: {
      "greenlight.dev/reason": reason,
      "greenlight.dev/signs-from": new Date(plan.activatesAt).toISOString(),
      ...(plan.retire.length > 0 ? { "greenlight.dev/retires": plan.retire.join(",") } : {}),
    },
  });
}

/** A new key pair, published and signing from `now` unless a rotation says otherwise. */
async function newSigningKey(now: number): Promise<SigningKeyRecord> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    alg: SIGNING_ALG,
    privateJwk: JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG }),
    publicJwk: JSON.stringify({ ...publicJwk, kid, alg: SIGNING_ALG, use: "sig" }),
    createdAt: now,
    activatesAt: now,
    retiredAt: null,
  };
}

const KEYS_ACTOR: Actor = { type: "system", job: "signing-keys" };

function systemOrigin(now: number): AuditOrigin {
  return { actor: KEYS_ACTOR, requestId: newId("req", now) };
}
