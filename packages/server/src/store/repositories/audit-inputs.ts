import type { Kysely } from "kysely";
import { toMillis, toMillisOrNull } from "../codec.js";
import type { Database } from "../schema.js";

export interface AuditInput {
  spaceId: string;
  provider: string;
  name: string;
  displayName: string;
  tokenDigest: string;
  tokenHint: string;
  createdAt: number;
  lastWriteAt: number | null;
}

/**
 * The inputs applications write their own audit events through, each found by the digest of
 * its token. Removing one removes its token; the events it wrote stay in the log.
 */
export class AuditInputRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insertInput(input: AuditInput): Promise<void> {
    await this.db
      .insertInto("audit_inputs")
      .values({
        space_id: input.spaceId,
        provider: input.provider,
        name: input.name,
        display_name: input.displayName,
        token_digest: input.tokenDigest,
        token_hint: input.tokenHint,
        created_at: input.createdAt,
        last_write_at: input.lastWriteAt,
      })
      .execute();
  }

  async getInput(spaceId: string, provider: string, name: string): Promise<AuditInput | undefined> {
    const row = await this.db
      .selectFrom("audit_inputs")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("provider", "=", provider)
      .where("name", "=", name)
      .executeTakeFirst();
    return row && toInput(row);
  }

  async inputByDigest(tokenDigest: string): Promise<AuditInput | undefined> {
    const row = await this.db.selectFrom("audit_inputs").selectAll().where("token_digest", "=", tokenDigest).executeTakeFirst();
    return row && toInput(row);
  }

  async listInputs(spaceId: string): Promise<AuditInput[]> {
    const rows = await this.db
      .selectFrom("audit_inputs")
      .selectAll()
      .where("space_id", "=", spaceId)
      .orderBy("provider")
      .orderBy("name")
      .execute();
    return rows.map(toInput);
  }

  async deleteInput(spaceId: string, provider: string, name: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom("audit_inputs")
      .where("space_id", "=", spaceId)
      .where("provider", "=", provider)
      .where("name", "=", name)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async touchInput(input: Pick<AuditInput, "spaceId" | "provider" | "name">, at: number): Promise<void> {
    await this.db
      .updateTable("audit_inputs")
      .set({ last_write_at: at })
      .where("space_id", "=", input.spaceId)
      .where("provider", "=", input.provider)
      .where("name", "=", input.name)
      .execute();
  }
}

function toInput(row: Database["audit_inputs"]): AuditInput {
  return {
    spaceId: row.space_id,
    provider: row.provider,
    name: row.name,
    displayName: row.display_name,
    tokenDigest: row.token_digest,
    tokenHint: row.token_hint,
    createdAt: toMillis(row.created_at),
    lastWriteAt: toMillisOrNull(row.last_write_at),
  };
}
