import type { Kysely } from "kysely";
import type { Webhook, WebhookBot, WebhookHandler, WebhookHeader } from "../../domain/webhook.js";
import { fromJson, toJson, toMillisOrNull } from "../codec.js";
import type { Database } from "../schema.js";
import type { SecretBox } from "../secret-box.js";
import { DestinationRepository, sealedColumnsOf, type DestinationTable } from "./destinations.js";

/** A webhook's own columns; its signing secret and header values (which may be credentials) are sealed. */
const WEBHOOKS: DestinationTable<"webhooks", Webhook> = {
  table: "webhooks",
  sealing: "webhook",
  named: true,
  switchable: true,
  sealed: { headers_sealed: "headers", secret_sealed: "secret" },
  toRow: (w, seal) => ({
    display_name: w.displayName,
    url: w.url,
    method: w.method,
    headers_sealed: seal("headers_sealed", JSON.stringify(w.headers)),
    secret_sealed: seal("secret_sealed", w.secret),
    dry_run: w.dryRun ? 1 : 0,
    labels: toJson(w.labels),
    handlers: toJson(w.handlers),
    bot: toJson(w.bot),
  }),
  fromRow: (row, open) => ({
    displayName: row.display_name,
    url: row.url,
    method: row.method,
    headers: JSON.parse(open("headers_sealed")) as Record<string, WebhookHeader>,
    secret: open("secret_sealed"),
    dryRun: Boolean(row.dry_run),
    labels: fromJson<Record<string, string>>(row.labels),
    handlers: fromJson<WebhookHandler[]>(row.handlers),
    bot: fromJson<WebhookBot>(row.bot),
  }),
};

/** Webhooks of each space. */
export class WebhookRepository extends DestinationRepository<"webhooks", Webhook> {
  constructor(db: Kysely<Database>, box: SecretBox) {
    super(db, box, WEBHOOKS);
  }

  /** What events are routed by: every webhook's name, handlers and state, without opening its secrets. */
  async listTargets(spaceId: string): Promise<Array<Pick<Webhook, "name" | "handlers" | "dryRun" | "disabledAt">>> {
    const rows = await this.columnsOf(spaceId, ["name", "handlers", "dry_run", "disabled_at"]);
    return rows.map((row) => ({
      name: row.name,
      handlers: fromJson<WebhookHandler[]>(row.handlers),
      dryRun: Boolean(row.dry_run),
      disabledAt: toMillisOrNull(row.disabled_at),
    }));
  }
}

/** Where webhooks keep sealed secrets, for sealing them again under a new secret key. */
export const WEBHOOK_SECRETS = sealedColumnsOf(WEBHOOKS);
