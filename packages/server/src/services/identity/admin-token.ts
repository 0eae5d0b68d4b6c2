import { randomBytes } from "node:crypto";
import type { Store } from "../../store/store.js";
import { sha256 } from "./secrets.js";

const SETTING = "bootstrap_admin_token_sha256";
/** A recognisable prefix, so secret scanners can find a leaked token. */
export const ADMIN_TOKEN_PREFIX = "gla_";

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
  if (options.fromEnvironment !== null) return { digest: sha256(options.fromEnvironment), source: "environment" };
  return store.transaction(async (tx) => {
    const stored = await tx.settings.get(SETTING);
    if (stored && !options.rotate) return { digest: Buffer.from(stored, "hex"), source: "stored" as const };
    const token = ADMIN_TOKEN_PREFIX + randomBytes(32).toString("base64url");
    const digest = sha256(token);
    await tx.settings.set(SETTING, digest.toString("hex"), options.now);
    return { digest, generated: token, source: "generated" as const };
  });
}
