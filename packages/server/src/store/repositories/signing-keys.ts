import type { Kysely } from "kysely";
import { toMillis, toMillisOrNull } from "../codec.js";
import type { Database } from "../schema.js";

export interface SigningKeyRecord {
  kid: string;
  alg: string;
  /** JWKs as JSON text. */
  privateJwk: string;
  publicJwk: string;
  createdAt: number;
  /** When it stopped signing; null for the key that signs now. */
  retiredAt: number | null;
}

/** The keys access tokens are signed with. Server-wide: tokens name their space in a claim. */
export class SigningKeyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<SigningKeyRecord[]> {
    const rows = await this.db.selectFrom("signing_keys").selectAll().orderBy("created_at").orderBy("kid").execute();
    return rows.map((row) => ({
      kid: row.kid,
      alg: row.alg,
      privateJwk: row.private_jwk,
      publicJwk: row.public_jwk,
      createdAt: toMillis(row.created_at),
      retiredAt: toMillisOrNull(row.retired_at),
    }));
  }

  async insert(key: SigningKeyRecord): Promise<void> {
    await this.db
      .insertInto("signing_keys")
      .values({
        kid: key.kid,
        alg: key.alg,
        private_jwk: key.privateJwk,
        public_jwk: key.publicJwk,
        created_at: key.createdAt,
        retired_at: key.retiredAt,
      })
      .execute();
  }

  /** Stops every current key from signing, as of `now`. */
  async retireCurrent(now: number): Promise<void> {
    await this.db.updateTable("signing_keys").set({ retired_at: now }).where("retired_at", "is", null).execute();
  }

  /** Forgets keys retired before `cutoff`: no token they signed can still be valid. */
  async deleteRetiredBefore(cutoff: number): Promise<void> {
    await this.db.deleteFrom("signing_keys").where("retired_at", "<", cutoff).execute();
  }
}
