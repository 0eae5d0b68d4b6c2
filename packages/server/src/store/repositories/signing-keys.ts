import type { Kysely } from "kysely";
import type { SigningKeyTimes } from "../../domain/signing-keys.js";
import { toMillis, toMillisOrNull } from "../codec.js";
import type { Database } from "../schema.js";
import type { SealedColumns, SecretBox } from "../secret-box.js";

export interface SigningKeyRecord extends SigningKeyTimes {
  alg: string;
  /** JWKs as JSON text; the private one opened from its sealed form. */
  privateJwk: string;
  publicJwk: string;
  createdAt: number;
}

/** A key as versions before sealing stored it: in the clear, signing from when it was made. */
export type UnsealedSigningKey = Omit<SigningKeyRecord, "activatesAt">;

/**
 * The keys access tokens and approval receipts are signed with. Server-wide: tokens name their
 * space in a claim. Private keys are sealed at rest, each bound to its kid, so a copy of the
 * database without the server's secret key cannot sign anything.
 */
export class SigningKeyRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
  ) {}

  /** Every key with its private half opened; throws if the server's secret key does not open them. */
  async list(): Promise<SigningKeyRecord[]> {
    const rows = await this.db.selectFrom("token_signing_keys").selectAll().orderBy("activates_at").orderBy("kid").execute();
    return rows.map((row) => ({
      kid: row.kid,
      alg: row.alg,
      privateJwk: this.box.open(row.private_jwk_sealed, context(row.kid)),
      publicJwk: row.public_jwk,
      createdAt: toMillis(row.created_at),
      activatesAt: toMillis(row.activates_at),
      retiredAt: toMillisOrNull(row.retired_at),
    }));
  }

  /** When each key signs, without opening any: what rotation decides on. */
  async times(): Promise<SigningKeyTimes[]> {
    const rows = await this.db
      .selectFrom("token_signing_keys")
      .select(["kid", "activates_at", "retired_at"])
      .orderBy("activates_at")
      .orderBy("kid")
      .execute();
    return rows.map((row) => ({ kid: row.kid, activatesAt: toMillis(row.activates_at), retiredAt: toMillisOrNull(row.retired_at) }));
  }

  async insert(key: SigningKeyRecord): Promise<void> {
    await this.db
      .insertInto("token_signing_keys")
      .values({
        kid: key.kid,
        alg: key.alg,
        public_jwk: key.publicJwk,
        private_jwk_sealed: this.box.seal(key.privateJwk, context(key.kid)),
        created_at: key.createdAt,
        activates_at: key.activatesAt,
        retired_at: key.retiredAt,
      })
      .onConflict((oc) => oc.column("kid").doNothing())
      .execute();
  }

  /** Stops these keys from signing as of `at`. */
  async retire(kids: string[], at: number): Promise<void> {
    if (kids.length === 0) return;
    await this.db.updateTable("token_signing_keys").set({ retired_at: at }).where("kid", "in", kids).execute();
  }

  async delete(kids: string[]): Promise<void> {
    if (kids.length === 0) return;
    await this.db.deleteFrom("token_signing_keys").where("kid", "in", kids).execute();
  }

  /**
   * Takes the keys an earlier version left in the clear in `signing_keys`, deleting them there:
   * the caller stores them sealed in the same transaction.
   */
  async takeUnsealed(): Promise<UnsealedSigningKey[]> {
    const rows = await this.db.selectFrom("signing_keys").selectAll().orderBy("created_at").orderBy("kid").execute();
    if (rows.length === 0) return [];
    await this.db
      .deleteFrom("signing_keys")
      .where(
        "kid",
        "in",
        rows.map((row) => row.kid),
      )
      .execute();
    return rows.map((row) => ({
      kid: row.kid,
      alg: row.alg,
      privateJwk: row.private_jwk,
      publicJwk: row.public_jwk,
      createdAt: toMillis(row.created_at),
      retiredAt: toMillisOrNull(row.retired_at),
    }));
  }
}

function context(kid: string): string {
  return `signing-key:${kid}`;
}

/** Where signing keys are kept sealed, for sealing them again under a new secret key. */
export const SIGNING_KEY_SECRETS: SealedColumns = {
  table: "token_signing_keys",
  key: ["kid"],
  columns: { private_jwk_sealed: (row) => context(String(row["kid"])) },
};
