import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";

/**
 * Secrets this server hands out: refresh tokens. Each is shown once; only its SHA-256 is
 * stored, and it is compared with `timingSafeEqual`, so neither a database dump nor response
 * times give it away. The recognisable prefix lets secret scanners find a leaked one.
 */
export const REFRESH_TOKEN_PREFIX = "glr_";
const REFRESH_TOKEN = /^glr_([0-9a-hjkmnp-tv-z]{26})_([A-Za-z0-9_-]{43})$/;

export function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** Compares a presented secret with a stored digest in time that does not depend on either. */
export function matchesDigest(secret: string, digest: Buffer): boolean {
  const presented = sha256(secret);
  return presented.length === digest.length && timingSafeEqual(presented, digest);
}

/** A new refresh token for the token record `tok_<suffix>`, and the digest to store. */
export function newRefreshToken(tokenId: string): { token: string; digest: string } {
  const secret = randomBytes(32).toString("base64url");
  return { token: `${REFRESH_TOKEN_PREFIX}${tokenId.slice("tok_".length)}_${secret}`, digest: sha256(secret).toString("hex") };
}

/** The record id and secret of something shaped like a refresh token, or undefined. */
export function parseRefreshToken(text: string): { tokenId: string; secret: string } | undefined {
  const match = REFRESH_TOKEN.exec(text);
  return match ? { tokenId: `tok_${match[1]}`, secret: match[2]! } : undefined;
}

/** A service account id: a random 15-digit number, as Indent's are uint64s written in decimal. */
export function newServiceAccountId(): string {
  // randomInt spans at most 2^48 values; 10^14 to 2^48 are all 15 digits long.
  return String(randomInt(10 ** 14, 2 ** 48));
}
