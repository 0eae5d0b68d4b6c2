import type { Kysely } from "kysely";
import { fromJson, toJson, toMillis, toMillisOrNull } from "../codec.js";
import type { Database } from "../schema.js";

/** A person's passkey: a WebAuthn credential's id and public key (the private key never leaves the authenticator). */
export interface Passkey {
  /** The credential id, base64url. */
  id: string;
  email: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  counter: number;
  transports: string[];
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/** People's passkeys, by person (their normalised email). */
export class PasskeyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async listOf(email: string): Promise<Passkey[]> {
    const rows = await this.db.selectFrom("passkeys").selectAll().where("email", "=", email).orderBy("created_at").execute();
    return rows.map(toPasskey);
  }

  /** A passkey by credential id, only when it is `email`'s. */
  async getOf(email: string, id: string): Promise<Passkey | undefined> {
    const row = await this.db.selectFrom("passkeys").selectAll().where("id", "=", id).where("email", "=", email).executeTakeFirst();
    return row && toPasskey(row);
  }

  async insert(passkey: Passkey): Promise<void> {
    await this.db
      .insertInto("passkeys")
      .values({
        id: passkey.id,
        email: passkey.email,
        public_key: passkey.publicKey,
        counter: passkey.counter,
        transports: toJson(passkey.transports),
        name: passkey.name,
        created_at: passkey.createdAt,
        last_used_at: passkey.lastUsedAt,
      })
      .execute();
  }

  async recordUse(email: string, id: string, counter: number, at: number): Promise<void> {
    await this.db.updateTable("passkeys").set({ counter, last_used_at: at }).where("id", "=", id).where("email", "=", email).execute();
  }

  /** Removes one of `email`'s passkeys; returns whether it existed. */
  async delete(email: string, id: string): Promise<boolean> {
    const result = await this.db.deleteFrom("passkeys").where("id", "=", id).where("email", "=", email).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

function toPasskey(row: Database["passkeys"]): Passkey {
  return {
    id: row.id,
    email: row.email,
    publicKey: row.public_key,
    counter: toMillis(row.counter),
    transports: fromJson<string[]>(row.transports),
    name: row.name,
    createdAt: toMillis(row.created_at),
    lastUsedAt: toMillisOrNull(row.last_used_at),
  };
}
