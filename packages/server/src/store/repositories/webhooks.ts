import { literalLimit } from "../limit.js";
import type { Kysely } from "kysely";
import type { Webhook, WebhookBot, WebhookHandler, WebhookHeader } from "../../domain/webhook.js";
import { fromJson, toJson, toMillis, toMillisOrNull } from "../codec.js";
import type { Database } from "../schema.js";
import type { SealedColumns, SecretBox } from "../secret-box.js";

/** Webhooks of each space; signing secrets and header values are sealed at rest. */
export class WebhookRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
  ) {}

  async get(spaceId: string, name: string): Promise<Webhook | undefined> {
    const row = await this.db
      .selectFrom("webhooks")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("name", "=", name)
      .executeTakeFirst();
    return row && this.toWebhook(row);
  }

  async list(spaceId: string, query: { after?: string; limit: number }): Promise<Webhook[]> {
    let q = this.db.selectFrom("webhooks").selectAll().where("space_id", "=", spaceId);
    if (query.after !== undefined) q = q.where("name", ">", query.after);
    const rows = await q.orderBy("name").limit(literalLimit(query.limit)).execute();
    return rows.map((row) => this.toWebhook(row));
  }

  async getMany(spaceId: string, names: string[]): Promise<Webhook[]> {
    if (names.length === 0) return [];
    const rows = await this.db.selectFrom("webhooks").selectAll().where("space_id", "=", spaceId).where("name", "in", names).execute();
    return rows.map((row) => this.toWebhook(row));
  }

  async insert(webhook: Webhook): Promise<void> {
    await this.db.insertInto("webhooks").values(this.toRow(webhook)).execute();
  }

  async update(webhook: Webhook): Promise<void> {
    const { space_id, name, created_at, ...changes } = this.toRow(webhook);
    await this.db.updateTable("webhooks").set(changes).where("space_id", "=", space_id).where("name", "=", name).execute();
  }

  async delete(spaceId: string, name: string): Promise<boolean> {
    const result = await this.db.deleteFrom("webhooks").where("space_id", "=", spaceId).where("name", "=", name).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** What events are routed by: every webhook's name, handlers and state, without opening its secrets. */
  async listTargets(spaceId: string): Promise<Array<Pick<Webhook, "name" | "handlers" | "dryRun" | "disabledAt">>> {
    const rows = await this.db
      .selectFrom("webhooks")
      .select(["name", "handlers", "dry_run", "disabled_at"])
      .where("space_id", "=", spaceId)
      .execute();
    return rows.map((row) => ({
      name: row.name,
      handlers: fromJson<WebhookHandler[]>(row.handlers),
      dryRun: Boolean(row.dry_run),
      disabledAt: toMillisOrNull(row.disabled_at),
    }));
  }

  /** Stops sending to a receiver that said it is gone; an admin turns it back on with PATCH. */
  async disable(spaceId: string, name: string, reason: string, at: number): Promise<void> {
    await this.db
      .updateTable("webhooks")
      .set({ disabled_at: at, disabled_reason: reason })
      .where("space_id", "=", spaceId)
      .where("name", "=", name)
      .execute();
  }

  /** Records how the last call went, without touching the configuration. */
  async recordOutcome(spaceId: string, name: string, outcome: { at: number; error: string | null }): Promise<void> {
    await this.db
      .updateTable("webhooks")
      .set(outcome.error === null ? { last_success_at: outcome.at } : { last_error: outcome.error, last_error_at: outcome.at })
      .where("space_id", "=", spaceId)
      .where("name", "=", name)
      .execute();
  }

  private toRow(w: Webhook): Database["webhooks"] {
    return {
      space_id: w.spaceId,
      name: w.name,
      display_name: w.displayName,
      url: w.url,
      method: w.method,
      headers_sealed: this.box.seal(JSON.stringify(w.headers), context(w.spaceId, w.name, "headers")),
      secret_sealed: this.box.seal(w.secret, context(w.spaceId, w.name, "secret")),
      dry_run: w.dryRun ? 1 : 0,
      labels: toJson(w.labels),
      handlers: toJson(w.handlers),
      bot: toJson(w.bot),
      created_at: w.createdAt,
      updated_at: w.updatedAt,
      last_success_at: w.lastSuccessAt,
      last_error: w.lastError,
      last_error_at: w.lastErrorAt,
      disabled_at: w.disabledAt,
      disabled_reason: w.disabledReason,
    };
  }

  private toWebhook(row: Database["webhooks"]): Webhook {
    return {
      spaceId: row.space_id,
      name: row.name,
      displayName: row.display_name,
      url: row.url,
      method: row.method,
      headers: JSON.parse(this.box.open(row.headers_sealed, context(row.space_id, row.name, "headers"))) as Record<string, WebhookHeader>,
      secret: this.box.open(row.secret_sealed, context(row.space_id, row.name, "secret")),
      dryRun: Boolean(row.dry_run),
      labels: fromJson<Record<string, string>>(row.labels),
      handlers: fromJson<WebhookHandler[]>(row.handlers),
      bot: fromJson<WebhookBot>(row.bot),
      createdAt: toMillis(row.created_at),
      updatedAt: toMillis(row.updated_at),
      lastSuccessAt: toMillisOrNull(row.last_success_at),
      lastError: row.last_error,
      lastErrorAt: toMillisOrNull(row.last_error_at),
      disabledAt: toMillisOrNull(row.disabled_at),
      disabledReason: row.disabled_reason,
    };
  }
}

function context(spaceId: string, name: string, what: string): string {
  return `webhook:${spaceId}/${name}/${what}`;
}

/** Where webhooks keep sealed secrets, for sealing them again under a new secret key. */
export const WEBHOOK_SECRETS: SealedColumns = {
  table: "webhooks",
  key: ["space_id", "name"],
  columns: {
    headers_sealed: (row) => context(String(row["space_id"]), String(row["name"]), "headers"),
    secret_sealed: (row) => context(String(row["space_id"]), String(row["name"]), "secret"),
  },
};
