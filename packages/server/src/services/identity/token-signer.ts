import {
  createLocalJWKSet,
  errors as joseErrors,
  importJWK,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTVerifyGetKey,
} from "jose";
import type { Clock } from "../../domain/clock.js";
import { DomainError } from "../../domain/errors.js";
import { signingKeyAt, type SigningKeyTimes } from "../../domain/signing-keys.js";
import type { Store } from "../../store/store.js";
import type { AuditOrigin } from "../audit/audit.js";
import {
  maintainSigningKeys,
  prepareSigningKeys,
  readSigningKeys,
  rotateSigningKeyNow,
  SIGNING_ALG,
  type SigningKeySchedule,
} from "./signing-keys.js";

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

interface LoadedKey extends SigningKeyTimes {
  publicJwk: JWK;
  privateKey: CryptoKey;
}

/**
 * Signs and verifies access tokens and approval receipts (JWTs) with the keys kept, sealed, in
 * the store (`signing-keys.ts` makes, rotates and removes them). Each replica holds the keys in
 * memory: the signing-keys job re-reads them when they change, and a token signed with a key
 * this replica has not read yet makes it read them at once. Which key signs is a matter of the
 * clock (`signingKeyAt`), so replicas switch to a scheduled successor together.
 */
export class TokenSigner {
  private keys: LoadedKey[] = [];
  private keySet: JWTVerifyGetKey = createLocalJWKSet({ keys: [] });
  private reading: Promise<void> | undefined;

  private constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    readonly issuer: string,
    readonly audience: string,
    private readonly schedule: SigningKeySchedule,
  ) {}

  static async load(options: {
    store: Store;
    clock: Clock;
    issuer: string;
    audience: string;
    /** The longest any token or receipt lives: retired keys verify that long, and a margin. */
    maxTokenLifetimeMs: number;
    /** How long a key signs before the scheduled rotation; null: only on demand. */
    rotationPeriodMs: number | null;
    /** How often the signing-keys job re-reads the keys: a replica may sign with a retired key that long. */
    pollMs: number;
  }): Promise<TokenSigner> {
    const schedule = {
      rotationPeriodMs: options.rotationPeriodMs,
      keepRetiredMs: options.maxTokenLifetimeMs + CLOCK_TOLERANCE_S * 1000 + options.pollMs,
    };
    const signer = new TokenSigner(options.store, options.clock, options.issuer, options.audience, schedule);
    await prepareSigningKeys(options.store, options.clock.now());
    await signer.reload();
    return signer;
  }

  /** Re-reads the keys, as after a rotation here or on another replica. */
  async reload(): Promise<void> {
    const records = await readSigningKeys(this.store.read);
    this.keys = await Promise.all(
      records.map(async (record) => ({
        kid: record.kid,
        activatesAt: record.activatesAt,
        retiredAt: record.retiredAt,
        publicJwk: JSON.parse(record.publicJwk) as JWK,
        privateKey: (await importJWK(JSON.parse(record.privateJwk) as JWK, SIGNING_ALG)) as CryptoKey,
      })),
    );
    this.keySet = createLocalJWKSet({ keys: this.keys.map((key) => key.publicJwk) });
  }

  /** The public keys, for `GET /v1/auth/keys`: a successor is published before it signs. */
  jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((key) => key.publicJwk) };
  }

  async sign(claims: AccessTokenClaims, expiresAt: number): Promise<string> {
    const { kid, privateKey } = this.signingKey();
    const now = this.clock.now();
    return new SignJWT({
      space: claims.space,
      tid: claims.tid,
      kind: claims.kind,
      ...(claims.sa ? { sa: claims.sa } : {}),
      ...(claims.authTime !== undefined && claims.amr ? { auth_time: claims.authTime, amr: claims.amr } : {}),
    })
      .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: TYP })
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setSubject(claims.sub)
      .setIssuedAt(Math.floor(now / 1000))
      .setNotBefore(Math.floor(now / 1000))
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .setJti(crypto.randomUUID())
      .sign(privateKey);
  }

  /**
   * Signs an approval receipt with the current key. Its `typ` differs from an access token's,
   * so a receipt is never accepted as a token, nor a token as a receipt.
   */
  async signReceipt(claims: Record<string, unknown>, subject: string, expiresAt: number): Promise<string> {
    const { kid, privateKey } = this.signingKey();
    const now = this.clock.now();
    return new SignJWT(claims)
      .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: RECEIPT_TYP })
      .setIssuer(this.issuer)
      .setSubject(subject)
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .setJti(crypto.randomUUID())
      .sign(privateKey);
  }

  /**
   * The claims of a receipt this server signed, or why it is not one that holds: its
   * signature, type, issuer and expiry are checked as for a token, under the receipt's type.
   */
  async verifyReceipt(receipt: string): Promise<{ claims: Record<string, unknown> } | { refused: "expired" | "invalid" }> {
    try {
      const { payload } = await jwtVerify(receipt, this.keySet, {
        issuer: this.issuer,
        algorithms: [SIGNING_ALG],
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
      ({ payload } = await this.verifyJwt(token));
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

  /**
   * Makes a new key the signer at once; the old ones keep verifying until what they signed has
   * expired, or with `revokeOtherKeys` are removed now.
   */
  async rotate(origin: AuditOrigin, options: { revokeOtherKeys: boolean } = { revokeOtherKeys: false }): Promise<{ kid: string }> {
    const rotated = await rotateSigningKeyNow(this.store, origin, this.clock.now(), options);
    await this.reload();
    return rotated;
  }

  /** The signing-keys job's turn: the scheduled rotation and removals, then the keys read again if they changed. */
  async maintain(): Promise<void> {
    await maintainSigningKeys(this.store, this.clock.now(), this.schedule);
    const stored = await this.store.read.signingKeys.times();
    if (timesKey(stored) !== timesKey(this.keys)) await this.reload();
  }

  private signingKey(): LoadedKey {
    const key = signingKeyAt(this.keys, this.clock.now());
    if (!key) throw new Error("no signing key is current; reload the keys");
    return key;
  }

  /**
   * Verifies the JWT against the keys held. One signed with a key not held yet (another replica
   * made it a moment ago) has the keys read again, once; such tokens are failed authentications
   * until then, and those are rate-limited per client address, so they cannot make it read on and on.
   */
  private async verifyJwt(token: string) {
    try {
      return await this.checkJwt(token);
    } catch (error) {
      if (!(error instanceof joseErrors.JWKSNoMatchingKey)) throw error;
      await this.readKeysAgain();
      return this.checkJwt(token);
    }
  }

  private checkJwt(token: string) {
    return jwtVerify(token, this.keySet, {
      issuer: this.issuer,
      audience: this.audience,
      algorithms: [SIGNING_ALG],
      typ: TYP,
      clockTolerance: CLOCK_TOLERANCE_S,
      currentDate: new Date(this.clock.now()),
      requiredClaims: ["exp", "iat", "nbf", "sub"],
    });
  }

  /** One read of the keys for every verification that is waiting on it. A failed read leaves the keys as they were. */
  private readKeysAgain(): Promise<void> {
    this.reading ??= this.reload()
      .catch(() => undefined)
      .finally(() => (this.reading = undefined));
    return this.reading;
  }
}

function timesKey(keys: readonly SigningKeyTimes[]): string {
  return keys
    .map((key) => `${key.kid}:${key.activatesAt}:${key.retiredAt}`)
    .sort()
    .join(",");
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
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return `it is not signed with ${SIGNING_ALG}`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return "its signature does not verify";
  if (error instanceof joseErrors.JWKSNoMatchingKey) return "it was signed with a key this server does not have";
  return "it is not a well-formed JWT";
}
