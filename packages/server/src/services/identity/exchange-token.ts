import { DomainError } from "../../domain/errors.js";
import { isTokenLive } from "../../domain/identity.js";
import type { Services } from "../runtime/context.js";
import { accessTokenResponse, issueAccessToken } from "./manage-tokens.js";
import { matchesDigest, parseRefreshToken } from "./secrets.js";

/** Compared against when there is no stored digest, so a miss takes as long as a wrong secret. */
const NO_DIGEST = Buffer.alloc(32);

/**
 * Exchanges a service account's refresh token for a short-lived access token (Indent's
 * `POST /v1/auth/token`). Every way of failing gets the same answer, so the exchange cannot
 * be used to learn which tokens exist or were revoked.
 */
export async function exchangeToken({ services, refreshToken }: { services: Services; refreshToken: string | undefined }) {
  const parsed = refreshToken === undefined ? undefined : parseRefreshToken(refreshToken);
  const repos = services.store.read;
  const record = parsed && (await repos.tokens.get(parsed.tokenId));
  const digest = record?.secretDigest ? Buffer.from(record.secretDigest, "hex") : NO_DIGEST;
  const secretMatches = matchesDigest(parsed?.secret ?? "", digest);
  const now = services.clock.now();
  const space = record && (await repos.spaces.findById(record.spaceId));
  const account = record?.serviceAccountId ? await repos.serviceAccounts.get(record.spaceId, record.serviceAccountId) : undefined;
  if (
    !record ||
    !secretMatches ||
    record.kind !== "refresh" ||
    !isTokenLive(record, now) ||
    !space ||
    !account ||
    account.deletedAt !== null
  ) {
    throw new DomainError(
      "UNAUTHENTICATED",
      "the refresh token is not valid: it may be mistyped, revoked or expired, or its service account deleted",
    );
  }
  const issued = await issueAccessToken({ ...services, space }, record, account);
  await services.store.transaction((tx) => tx.tokens.markUsed(record.id, now));
  return accessTokenResponse(issued, space.name, record.scope, now);
}
