import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  errors as joseErrors,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTVerifyGetKey,
} from "jose";
import type { Clock } from "../domain/clock.js";
import { audit, auditTarget, SERVER_CHAIN, type AuditOrigin } from "./audit.js";
import { DomainError } from "../domain/errors.js";
import type { Store } from "../store/store.js";

/** ECDSA P-256: compact signatures, and the EC-style JWKs Indent's JWKS endpoint published. */
const ALG = "ES256";
/** RFC 9068's type for JWT access tokens, so an ID token or other JWT is not taken for one. */
const TYP = "at+jwt";
/** The JOSE type of an approval receipt. */
export const RECEIPT_TYP = "greenlight-receipt+jwt";
/** The `aud` of every access token: this API. */
export const TOKEN_AUDIENCE = "greenlight";
/** Allowed difference between clocks when checking exp, nbf and iat. */
const CLOCK_TOLERANCE_S = 5;

export interface AccessTokenClaims {
  /** The principal's email: Indent's clients read the petitioner from `sub`. */
  sub: string;
  /** The space the token acts in, by name. */
  space: string;
  /** The token record it was issued under (revoking that record revokes it). */
  tid: string;
  /** What kind of principal `sub` is. */
  kind: "user" | "serviceAccount";
  /** The service account's id, for service-account tokens. */
  sa?: string;
  /**
   * For a person's token minted from a browser session: when (seconds, OIDC's `auth_time`) and
   * how (`amr`: `oidc`, `passkey`) they last authenticated strongly. High-risk approvals read these.
   */
  authTime?: number;
  amr?: string[];
}

interface LoadedKey {
  kid: string;
  publicJwk: JWK;
  privateKey: CryptoKey;
  retiredAt: number | null;
}

/**
 * Signs and verifies access tokens (JWTs) with keys kept in the store. A key is generated on
 * first start. Rotation makes a new key the signer; the old one keeps verifying until every
 * token it can have signed has expired, then it is forgotten, so rotating never breaks a
 * token that is still valid.
 */
export class TokenSigner {
  private keys: LoadedKey[] = [];
  private keySet: JWTVerifyGetKey = createLocalJWKSet({ keys: [] });

  private constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    readonly issuer: string,
    readonly audience: string,
    /** The longest any token lives; retired keys are kept this long. */
    private readonly maxTokenLifetimeMs: number,
  ) {}

  static async load(options: {
    store: Store;
    clock: Clock;
    issuer: string;
    audience: string;
    maxTokenLifetimeMs: number;
  }): Promise<TokenSigner> {
    const signer = new TokenSigner(options.store, options.clock, options.issuer, options.audience, options.maxTokenLifetimeMs);
    await options.store.transaction(async (tx) => {
      if (!(await tx.signingKeys.list()).some((key) => key.retiredAt === null))
        await tx.signingKeys.insert(await newKey(signer.clock.now()));
    });
    await signer.reload();
    return signer;
  }

  /** Re-reads the keys, as after a rotation (here or, later, on another replica). */
  async reload(): Promise<void> {
    const records = await this.store.read.signingKeys.list();
    this.keys = await Promise.all(
      records.map(async (record) => ({
        kid: record.kid,
        publicJwk: JSON.parse(record.publicJwk) as JWK,
        privateKey: (await importJWK(JSON.parse(record.privateJwk) as JWK, ALG)) as CryptoKey,
        retiredAt: record.retiredAt,
      })),
    );
    this.keySet = createLocalJWKSet({ keys: this.keys.map((key) => key.publicJwk) });
  }

  /** The public keys, for `GET /v1/auth/keys`. */
  jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((key) => key.publicJwk) };
  }

  async sign(claims: AccessTokenClaims, expiresAt: number): Promise<string> {
    const current = this.keys.find((key) => key.retiredAt === null);
    if (!current) throw new Error("no signing key is current; reload the keys");
    const now = this.clock.now();
    return new SignJWT({
      space: claims.space,
      tid: claims.tid,
      kind: claims.kind,
      ...(claims.sa ? { sa: claims.sa } : {}),
      ...(claims.authTime !== undefined && claims.amr ? { auth_time: claims.authTime, amr: claims.amr } : {}),
    })
      .setProtectedHeader({ alg: ALG, kid: current.kid, typ: TYP })
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setSubject(claims.sub)
      .setIssuedAt(Math.floor(now / 1000))
      .setNotBefore(Math.floor(now / 1000))
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .setJti(crypto.randomUUID())
      .sign(current.privateKey);
  }

  /**
   * Signs an approval receipt with the current key. Its `typ` differs from an access token's,
   * so a receipt is never accepted as a token, nor a token as a receipt.
   */
  async signReceipt(claims: Record<string, unknown>, subject: string, expiresAt: number): Promise<string> {
    const current = this.keys.find((key) => key.retiredAt === null);
    if (!current) throw new Error("no signing key is current; reload the keys");
    const now = this.clock.now();
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALG, kid: current.kid, typ: RECEIPT_TYP })
      .setIssuer(this.issuer)
      .setSubject(subject)
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .setJti(crypto.randomUUID())
      .sign(current.privateKey);
  }

  /**
   * The claims of a receipt this server signed, or why it is not one that holds: its
   * signature, type, issuer and expiry are checked as for a token, under the receipt's type.
   */
  async verifyReceipt(receipt: string): Promise<{ claims: Record<string, unknown> } | { refused: "expired" | "invalid" }> {
    try {
      const { payload } = await jwtVerify(receipt, this.keySet, {
        issuer: this.issuer,
        algorithms: [ALG],
        typ: RECEIPT_TYP,
        clockTolerance: CLOCK_TOLERANCE_S,
        currentDate: new Date(this.clock.now()),
        requiredClaims: ["exp", "iat", "sub"],
      });
      return { claims: payload };
    } catch (error) {
      return { refused: error instanceof joseErrors.JWTExpired ? "expired" : "invalid" };
    }
  }

  /** The claims of a valid access token, or UNAUTHENTICATED saying what is wrong with it. */
  async verify(token: string): Promise<AccessTokenClaims> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.keySet, {
        issuer: this.issuer,
        audience: this.audience,
        algorithms: [ALG],
        typ: TYP,
        clockTolerance: CLOCK_TOLERANCE_S,
        currentDate: new Date(this.clock.now()),
        requiredClaims: ["exp", "iat", "nbf", "sub"],
      }));
    } catch (error) {
      throw new DomainError("UNAUTHENTICATED", `the access token is not valid: ${reasonOf(error)}`);
    }
    const { sub, space, tid, kind, sa, auth_time: authTime, amr } = payload;
    if (
      typeof sub !== "string" ||
      typeof space !== "string" ||
      typeof tid !== "string" ||
      (kind !== "user" && kind !== "serviceAccount") ||
      (kind === "serviceAccount" && typeof sa !== "string")
    ) {
      throw new DomainError("UNAUTHENTICATED", "the access token is not valid: it lacks the claims this server issues");
    }
    const strong =
      typeof authTime === "number" && Number.isInteger(authTime) && Array.isArray(amr) && amr.every((m) => typeof m === "string")
        ? { authTime, amr: amr as string[] }
        : {};
    return { sub, space, tid, kind, ...(typeof sa === "string" ? { sa } : {}), ...strong };
  }

  /** Makes a new key the signer. Keys retired longer ago than any token lives are removed. */
  async rotate(origin: AuditOrigin): Promise<{ kid: string }> {
    const now = this.clock.now();
    const key = await newKey(now);
    await this.store.transaction(async (tx) => {
      await audit(tx, origin, SERVER_CHAIN, now, { event: "signingKey/rotated", resources: [auditTarget("signingKey", key.kid)] });
      await tx.signingKeys.retireCurrent(now);
      await tx.signingKeys.insert(key);
      await tx.signingKeys.deleteRetiredBefore(now - this.maxTokenLifetimeMs - CLOCK_TOLERANCE_S * 1000);
    });
    await this.reload();
    return { kid: key.kid };
  }
}

async function newKey(now: number) {
  const { publicKey, privateKey } = await generateKeyPair(ALG, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const described = { ...publicJwk, kid, alg: ALG, use: "sig" };
  return {
    kid,
    alg: ALG,
    privateJwk: JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: ALG }),
    publicJwk: JSON.stringify(described),
    createdAt: now,
    retiredAt: null,
  };
}

/** A reason a client can act on, without echoing anything from the token. */
function reasonOf(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return "it has expired; exchange your refresh token or sign in again";
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === "nbf" || error.claim === "iat") return "it is not valid yet; check the clocks";
    if (error.claim === "aud") return "it was issued for another audience";
    if (error.claim === "iss") return "it was issued by another server";
    return `its ${error.claim} claim is not acceptable`;
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return `it is not signed with ${ALG}`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return "its signature does not verify";
  if (error instanceof joseErrors.JWKSNoMatchingKey) return "it was signed with a key this server does not have";
  return "it is not a well-formed JWT";
}
