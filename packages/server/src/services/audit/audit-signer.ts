import { calculateJwkThumbprint, compactVerify, CompactSign, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import { canonicalJson } from "../../domain/audit.js";
import type { CheckpointClaims } from "../../domain/audit-checkpoint.js";
import type { Store } from "../../store/store.js";

/** The JWS `typ` of a checkpoint, so no other signed object is taken for one. */
export const CHECKPOINT_TYP = "greenlight-audit-checkpoint+jws";
const ALG = "EdDSA";

/**
 * Signs the audit log's checkpoints with an Ed25519 key of this server's, kept sealed in the
 * database and never rotated away: a checkpoint exported years ago must still verify against
 * the published keys (`GET /v1/audit/keys`).
 */
export class AuditSigner {
  private constructor(
    private readonly kid: string,
    private readonly privateKey: CryptoKey,
    private readonly publicJwks: JWK[],
    /** Imported once: verification checks the signature of every checkpoint of a chain. */
    private readonly publicKeys: CryptoKey[],
  ) {}

  static async load(store: Store, now: number): Promise<AuditSigner> {
    let keys = await store.read.audit.signingKeys();
    if (keys.length === 0) {
      const { publicKey, privateKey } = await generateKeyPair(ALG, { crv: "Ed25519", extractable: true });
      const publicJwk = await exportJWK(publicKey);
      const kid = await calculateJwkThumbprint(publicJwk);
      const privateJwk = JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: ALG });
      const key = { kid, publicJwk: JSON.stringify({ ...publicJwk, kid, alg: ALG, use: "sig" }), privateJwk, createdAt: now };
      // Replicas starting together may each make one; the first stored is the one all use.
      await store.transaction((tx) => tx.audit.insertSigningKey(key));
      keys = await store.read.audit.signingKeys();
    }
    const current = keys[0]!;
    const publicJwks = keys.map((k) => JSON.parse(k.publicJwk) as JWK);
    return new AuditSigner(
      current.kid,
      (await importJWK(JSON.parse(current.privateJwk) as JWK, ALG)) as CryptoKey,
      publicJwks,
      await Promise.all(publicJwks.map(async (jwk) => (await importJWK(jwk, ALG)) as CryptoKey)),
    );
  }

  jwks(): { keys: JWK[] } {
    return { keys: this.publicJwks };
  }

  async sign(claims: CheckpointClaims): Promise<{ kid: string; jws: string }> {
    const jws = await new CompactSign(new TextEncoder().encode(canonicalJson(claims)))
      .setProtectedHeader({ alg: ALG, kid: this.kid, typ: CHECKPOINT_TYP })
      .sign(this.privateKey);
    return { kid: this.kid, jws };
  }

  /** The claims of a checkpoint this server signed, or undefined if it does not verify. */
  async verify(jws: string): Promise<CheckpointClaims | undefined> {
    for (const key of this.publicKeys) {
      try {
        const { payload, protectedHeader } = await compactVerify(jws, key);
        if (protectedHeader.typ !== CHECKPOINT_TYP) return undefined;
        return JSON.parse(new TextDecoder().decode(payload)) as CheckpointClaims;
      } catch {
        // Signed by another of the keys, or not at all.
      }
    }
    return undefined;
  }
}
