import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { SealedColumns, SecretBox } from "../secret-box.js";
import { AUDIT_KEY_SECRETS } from "./audit.js";
import { ON_CALL_SECRETS } from "./oncall-providers.js";
import { SIGNING_KEY_SECRETS } from "./signing-keys.js";
import { SLACK_SECRETS } from "./slack-apps.js";
import { SUBSCRIPTION_SECRETS } from "./subscriptions.js";
import { WEBHOOK_SECRETS } from "./webhooks.js";

/**
 * Every column that keeps a secret sealed. A sign-in's PKCE verifier (`web_logins`) is left
 * out: it lives ten minutes, and one sealed with a previous key still opens meanwhile.
 */
export const SEALED_SECRETS: readonly SealedColumns[] = [
  SIGNING_KEY_SECRETS,
  AUDIT_KEY_SECRETS,
  WEBHOOK_SECRETS,
  SUBSCRIPTION_SECRETS,
  ON_CALL_SECRETS,
  SLACK_SECRETS,
];

/** The sealed secrets of every table at once, for changing the key they are sealed with. */
export class SealedSecretRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
  ) {}

  /**
   * Seals again with the current key every value a previous key sealed, row by row; returns
   * how many values. A value that no key opens fails it, naming where the value belongs.
   */
  async resealAll(): Promise<number> {
    let resealed = 0;
    // The tables are named by the list above, not by input; Kysely cannot type a table chosen at run time.
    const db = this.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    for (const { table, key, columns } of SEALED_SECRETS) {
      for (const row of await db.selectFrom(table).selectAll().execute()) {
        const changes: Record<string, string> = {};
        for (const [column, contextOf] of Object.entries(columns)) {
          const sealed = String(row[column]);
          const context = contextOf(row);
          if (!this.box.opensWithCurrentKey(sealed, context)) changes[column] = this.box.seal(this.box.open(sealed, context), context);
        }
        if (Object.keys(changes).length === 0) continue;
        let update = db.updateTable(table).set(changes);
        for (const column of key) update = update.where(column, "=", row[column]);
        await update.execute();
        resealed += Object.keys(changes).length;
      }
    }
    return resealed;
  }
}
