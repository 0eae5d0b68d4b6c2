import type { Kysely } from "kysely";
import type { OnCallKind, OnCallProvider, OnCallSettings } from "../../domain/oncall.js";
import { fromJson, toJson, toMillis, toMillisOrNull } from "../codec.js";
import type { Database } from "../schema.js";
import type { SealedColumns, SecretBox } from "../secret-box.js";

/** On-call providers of each space; API keys are sealed at rest. */
export class OnCallProviderRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
  ) {}

  async get(spaceId: string, name: string): Promise<OnCallProvider | undefined> {
    const row = await this.db
      .selectFrom("oncall_providers")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("name", "=", name)
      .executeTakeFirst();
    return row && this.toProvider(row);
  }

  async list(spaceId: string): Promise<OnCallProvider[]> {
    const rows = await this.db.selectFrom("oncall_providers").selectAll().where("space_id", "=", spaceId).orderBy("name").execute();
    return rows.map((row) => this.toProvider(row));
  }

  async insert(provider: OnCallProvider): Promise<void> {
    await this.db.insertInto("oncall_providers").values(this.toRow(provider)).execute();
  }

  async update(provider: OnCallProvider): Promise<void> {
    const { space_id, name, created_at, ...changes } = this.toRow(provider);
    await this.db.updateTable("oncall_providers").set(changes).where("space_id", "=", space_id).where("name", "=", name).execute();
  }

  async delete(spaceId: string, name: string): Promise<boolean> {
    const result = await this.db.deleteFrom("oncall_providers").where("space_id", "=", spaceId).where("name", "=", name).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Records how the last call went, without touching the configuration. */
  async recordOutcome(spaceId: string, name: string, outcome: { at: number; error: string | null }): Promise<void> {
    await this.db
      .updateTable("oncall_providers")
      .set(outcome.error === null ? { last_success_at: outcome.at } : { last_error: outcome.error, last_error_at: outcome.at })
      .where("space_id", "=", spaceId)
      .where("name", "=", name)
      .execute();
  }

  private toRow(p: OnCallProvider): Database["oncall_providers"] {
    return {
      space_id: p.spaceId,
      name: p.name,
      kind: p.kind,
      base_url: p.baseUrl,
      api_key_sealed: this.box.seal(p.apiKey, context(p.spaceId, p.name)),
      settings: toJson(p.settings),
      created_at: p.createdAt,
      updated_at: p.updatedAt,
      last_success_at: p.lastSuccessAt,
      last_error: p.lastError,
      last_error_at: p.lastErrorAt,
    };
  }

  private toProvider(row: Database["oncall_providers"]): OnCallProvider {
    return {
      spaceId: row.space_id,
      name: row.name,
      kind: row.kind as OnCallKind,
      baseUrl: row.base_url,
      apiKey: this.box.open(row.api_key_sealed, context(row.space_id, row.name)),
      settings: fromJson<OnCallSettings>(row.settings),
      createdAt: toMillis(row.created_at),
      updatedAt: toMillis(row.updated_at),
      lastSuccessAt: toMillisOrNull(row.last_success_at),
      lastError: row.last_error,
      lastErrorAt: toMillisOrNull(row.last_error_at),
    };
  }
}

function context(spaceId: string, name: string): string {
  return `oncall:${spaceId}/${name}`;
}

/** Where on-call providers keep sealed secrets, for sealing them again under a new secret key. */
export const ON_CALL_SECRETS: SealedColumns = {
  table: "oncall_providers",
  key: ["space_id", "name"],
  columns: { api_key_sealed: (row) => context(String(row["space_id"]), String(row["name"])) },
};
