import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { DomainError } from "../domain/errors.js";
import type { Actor } from "../domain/actor.js";
import type { Store } from "../store/store.js";

const SETTING = "bootstrap_admin_token_sha256";
/** A recognisable prefix, so secret scanners can find a leaked token. */
const PREFIX = "gla_";

export function digestToken(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

export interface AdminTokenSetup {
  digest: Buffer;
  /** The new token, when one was generated: shown once, never stored. */
  generated?: string;
  source: "environment" | "stored" | "generated";
}

/**
 * The bootstrap admin token: from GREENLIGHT_ADMIN_TOKEN when set; otherwise generated on
 * first start (or when asked to rotate), with only its SHA-256 digest stored.
 */
export async function setUpAdminToken(
  store: Store,
  options: { fromEnvironment: string | null; rotate: boolean; now: number },
): Promise<AdminTokenSetup> {
  if (options.fromEnvironment !== null) return { digest: digestToken(options.fromEnvironment), source: "environment" };
  return store.transaction(async (tx) => {
    const stored = await tx.settings.get(SETTING);
    if (stored && !options.rotate) return { digest: Buffer.from(stored, "hex"), source: "stored" as const };
    const token = PREFIX + randomBytes(32).toString("base64url");
    const digest = digestToken(token);
    await tx.settings.set(SETTING, digest.toString("hex"), options.now);
    return { digest, generated: token, source: "generated" as const };
  });
}

/**
 * The actor behind an `Authorization: Bearer …` header. Tokens are compared by digest with a
 * timing-safe comparison, so response times say nothing about how much of a guess was right.
 */
export function authenticateBearer(header: string | undefined, adminTokenDigest: Buffer): Actor {
  if (!header) throw new DomainError("UNAUTHENTICATED", "missing Authorization header; send Authorization: Bearer <token>");
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new DomainError("UNAUTHENTICATED", "the Authorization header must be Bearer <token>");
  if (!timingSafeEqual(digestToken(match[1]!), adminTokenDigest)) {
    throw new DomainError("UNAUTHENTICATED", "the bearer token is not valid for this server");
  }
  return { type: "admin" };
}
