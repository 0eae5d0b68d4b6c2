import { timingSafeEqual } from "node:crypto";
import type { Actor } from "../../domain/actor.js";
import { DomainError } from "../../domain/errors.js";
import { isTokenLive } from "../../domain/identity.js";
import type { Services } from "../runtime/context.js";
import { ADMIN_TOKEN_PREFIX } from "./admin-token.js";
import { REFRESH_TOKEN_PREFIX, sha256 } from "./secrets.js";

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * The actor behind an `Authorization: Bearer …` header: the bootstrap admin token, or an
 * access token this server signed whose record is still live (so revoking a refresh token, a
 * user token or a service account takes effect at once, not when the access token expires).
 */
export async function authenticate({
  services,
  authorization: header,
}: {
  services: Services;
  authorization: string | undefined;
}): Promise<Actor> {
  if (!header) throw unauthenticated("missing Authorization header; send Authorization: Bearer <token>");
  const token = BEARER.exec(header)?.[1];
  if (token === undefined) throw unauthenticated("the Authorization header must be Bearer <token>");

  // Compared by digest, in constant time, whatever the token looks like.
  if (timingSafeEqual(sha256(token), services.adminTokenDigest)) return { type: "admin" };
  if (token.startsWith(REFRESH_TOKEN_PREFIX)) {
    throw unauthenticated("this is a refresh token; exchange it for an access token at POST /v1/auth/token, and send that");
  }
  // Not a JWT at all: a mistyped admin token, or a token from somewhere else. Said from the
  // token's shape alone (after the constant-time check), so it tells nothing of which tokens exist.
  if (token.split(".").length !== 3) throw unauthenticated(unrecognised(token));

  const claims = await services.signer.verify(token);
  const repos = services.store.read;
  const record = await repos.tokens.get(claims.tid);
  const space = record && (await repos.spaces.findById(record.spaceId));
  if (!record || !space || space.name !== claims.space || record.subjectEmail !== claims.sub) {
    throw unauthenticated("the access token is not valid: it was not issued by this server");
  }
  if (!isTokenLive(record, services.clock.now())) {
    throw unauthenticated("the access token is not valid: its token was revoked or has expired");
  }
  if (claims.kind === "user") {
    if (record.kind !== "user") throw unauthenticated("the access token is not valid: it was not issued by this server");
    // Only a token minted for a browser session can speak of a sign-in.
    const strongAuth =
      claims.authTime !== undefined && claims.amr && record.sessionId !== undefined
        ? { strongAuth: { at: claims.authTime * 1000, methods: claims.amr } }
        : {};
    return { type: "user", email: claims.sub, spaceId: space.id, tokenId: record.id, ...strongAuth };
  }
  const account = claims.sa === record.serviceAccountId && claims.sa ? await repos.serviceAccounts.get(space.id, claims.sa) : undefined;
  if (!account || account.deletedAt !== null) {
    throw unauthenticated("the access token is not valid: its service account was deleted");
  }
  return { type: "serviceAccount", id: account.id, name: account.name, email: account.email, spaceId: space.id, tokenId: record.id };
}

function unrecognised(token: string): string {
  const check = token.startsWith(ADMIN_TOKEN_PREFIX)
    ? "it is not this server's admin token: compare it with the one printed when the server first started (or GREENLIGHT_ADMIN_TOKEN, where that is set); lost it? restart the server with --rotate-admin-token"
    : "it is neither this server's admin token nor an access token it issued: check GREENLIGHT_API_TOKEN (or greenlight login --token), or use the admin token printed when the server first started";
  return `the token is not recognised: ${check}`;
}

function unauthenticated(message: string): DomainError {
  return new DomainError("UNAUTHENTICATED", message);
}
