import type { Resource } from "./resource.js";

/** A non-person principal of one space: automation that petitions, reviews or administers. */
export interface ServiceAccount {
  /** Decimal digits, as Indent's uint64 `serviceAccountId` is written in JSON. */
  id: string;
  spaceId: string;
  /** Unique among the space's live accounts; part of its email. */
  name: string;
  displayName: string;
  /** What its access tokens carry as `sub`. */
  email: string;
  labels: Record<string, string>;
  createdBy: Resource;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
}

/**
 * A credential on record. `refresh`: a service account's long-lived refresh token, of which
 * only a digest is kept, exchanged for short-lived access tokens. `user`: an access token
 * minted for a person; it has no secret here, and the record exists so it can be listed and
 * revoked before it expires.
 */
export type TokenKind = "refresh" | "user";

export interface TokenRecord {
  id: string;
  spaceId: string;
  kind: TokenKind;
  serviceAccountId: string | null;
  /** The email access tokens made from it carry as `sub`. */
  subjectEmail: string;
  displayName: string;
  scope: string;
  /** SHA-256 of the secret, hex; null when there is none. */
  secretDigest: string | null;
  createdBy: Resource;
  createdAt: number;
  expireAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
  /** The browser session it was minted for: signing out revokes it. */
  sessionId?: string;
}

/** Whether a token may still be used at `now`. */
export function isTokenLive(token: Pick<TokenRecord, "revokedAt" | "expireAt">, now: number): boolean {
  return token.revokedAt === null && (token.expireAt === null || token.expireAt > now);
}

/** The email a service account is known by when it gives none: unique, and plainly not a person's. */
export function serviceAccountEmail(name: string, spaceName: string): string {
  return `${name}@${spaceName}.serviceaccounts.greenlight`;
}
