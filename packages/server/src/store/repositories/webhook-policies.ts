import type { Kysely } from "kysely";
import type { WebhookPolicy, WebhookPolicySelector } from "../../domain/webhook-policy.js";
import { fromJson, toJson, toMillis } from "../codec.js";
import type { Database } from "../schema.js";

/** Indent's Webhook Policies: which decision webhooks run for which petitions. */
export class WebhookPolicyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(spaceId: string, name: string): Promise<WebhookPolicy | undefined> {
    const row = await this.db
      .selectFrom("webhook_policies")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("name", "=", name)
      .executeTakeFirst();
    return row && toPolicy(row);
  }

  async list(spaceId: string): Promise<WebhookPolicy[]> {
    const rows = await this.db.selectFrom("webhook_policies").selectAll().where("space_id", "=", spaceId).orderBy("name").execute();
    return rows.map(toPolicy);
  }

  async insert(policy: WebhookPolicy): Promise<void> {
    await this.db.insertInto("webhook_policies").values(toRow(policy)).execute();
  }

  async update(policy: WebhookPolicy): Promise<void> {
    const { space_id, name, created_at, ...changes } = toRow(policy);
    await this.db.updateTable("webhook_policies").set(changes).where("space_id", "=", space_id).where("name", "=", name).execute();
  }

  async delete(spaceId: string, name: string): Promise<boolean> {
    const result = await this.db.deleteFrom("webhook_policies").where("space_id", "=", spaceId).where("name", "=", name).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

function toRow(p: WebhookPolicy): Database["webhook_policies"] {
  return {
    space_id: p.spaceId,
    name: p.name,
    display_name: p.displayName,
    labels: toJson(p.labels),
    selector: toJson(p.selector),
    conditions: toJson(p.conditions),
    webhooks: toJson(p.webhooks),
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

function toPolicy(row: Database["webhook_policies"]): WebhookPolicy {
  return {
    spaceId: row.space_id,
    name: row.name,
    displayName: row.display_name,
    labels: fromJson<Record<string, string>>(row.labels),
    selector: fromJson<WebhookPolicySelector>(row.selector),
    conditions: fromJson<string[]>(row.conditions),
    webhooks: fromJson<string[]>(row.webhooks),
    createdAt: toMillis(row.created_at),
    updatedAt: toMillis(row.updated_at),
  };
}
