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
  /**
   * `previous`: keys that sealed values before `key` (GREENLIGHT_SECRET_KEY_PREVIOUS). They still
   * open what they sealed, while the server seals those values again with `key` at start.
   */
  constructor(
    private readonly key: Buffer,
    private readonly previous: readonly Buffer[] = [],
  ) {
    for (const each of [key, ...previous]) if (each.length !== 32) throw new Error(`a secret key must be 32 bytes, not ${each.length}`);
  }

  /** Whether keys other than the current one were given: values they sealed are to be sealed again. */
  get hasPreviousKeys(): boolean {
    return this.previous.length > 0;
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(context, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return PREFIX + Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url");
  }

  open(sealed: string, context: string): string {
    for (const key of [this.key, ...this.previous]) {
      const opened = openWith(key, sealed, context);
      if (opened !== undefined) return opened;
    }
    throw new SecretBoxError(
      `a stored secret (${context}) does not open with this server's secret key; was GREENLIGHT_SECRET_KEY or secret.key changed? Give the key it was sealed with in GREENLIGHT_SECRET_KEY_PREVIOUS`,
    );
  }

  /** Whether the current key opens `sealed`: if not, it was sealed with a previous key. */
  opensWithCurrentKey(sealed: string, context: string): boolean {
    return openWith(this.key, sealed, context) !== undefined;
  }
}

/** The plaintext, or undefined when `key` did not seal it for `context`. */
function openWith(key: Buffer, sealed: string, context: string): string | undefined {
  if (!sealed.startsWith(PREFIX)) throw new SecretBoxError(`a stored secret (${context}) is not in the sealed format`);
  const raw = Buffer.from(sealed.slice(PREFIX.length), "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

/**
 * A table's columns that hold sealed secrets, each with the context its values are bound to
 * (made from the row), and the columns that find a row: what re-sealing under a new key needs.
 */
export interface SealedColumns {
  table: string;
  key: string[];
  columns: Record<string, (row: Record<string, unknown>) => string>;
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
