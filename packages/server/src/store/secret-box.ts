import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const PREFIX = "gsb1.";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A stored secret that does not open with this server's secret key (or is not sealed at all). */
export class SecretBoxError extends Error {
  override readonly name = "SecretBoxError";
}

/**
 * Encryption at rest for the secrets the server must read back to use (the private keys that
 * sign tokens and audit checkpoints, webhook signing secrets and header credentials, on-call
 * API keys, Slack's bot token and signing secret, sign-in verifiers): AES-256-GCM under a key kept outside
 * the database. Each value is bound to where it is stored (`context`, e.g. `webhook:spc_1/okta`),
 * so a sealed value copied into another row does not open there. Secrets the server only
 * compares (tokens) are hashed instead, never sealed.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error(`the secret key must be 32 bytes, not ${key.length}`);
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(context, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return PREFIX + Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url");
  }

  open(sealed: string, context: string): string {
    if (!sealed.startsWith(PREFIX)) throw new SecretBoxError("a stored secret is not in the sealed format");
    const raw = Buffer.from(sealed.slice(PREFIX.length), "base64url");
    const decipher = createDecipheriv("aes-256-gcm", this.key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString("utf8");
    } catch {
      throw new SecretBoxError(
        `a stored secret (${context}) does not open with this server's secret key; was GREENLIGHT_SECRET_KEY or secret.key changed?`,
      );
    }
  }
}

/**
 * The secret key: GREENLIGHT_SECRET_KEY when set (base64 of 32 bytes; what several replicas
 * must share), else `secret.key` in the data directory, made on first start, readable by the
 * owner only, so a copy of the database alone does not reveal the secrets.
 */
export function loadSecretKey(fromEnvironment: Buffer | null, dataDir: string): Buffer {
  if (fromEnvironment) return fromEnvironment;
  const path = join(dataDir, "secret.key");
  if (!existsSync(path)) {
    writeFileSync(path, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  }
  chmodSync(path, 0o600);
  const key = Buffer.from(readFileSync(path, "utf8").trim(), "base64");
  if (key.length !== 32)
    throw new Error(`${path} must hold 32 bytes in base64; delete it to make a new one (stored secrets are then lost)`);
  return key;
}
