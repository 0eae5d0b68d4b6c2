import { sql, type Kysely } from "kysely";
import { toMillis } from "../codec.js";
import type { Database } from "../schema.js";

/** Counts for `/metrics`, read at scrape time. Each is one indexed or grouped count. */
export class MetricsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async openPetitions(): Promise<number> {
    const row = await this.db
      .selectFrom("petitions")
      .select(sql<number | string>`count(*)`.as("n"))
      .where("phase", "=", "open")
      .where("deleted_at", "is", null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Grants still waiting on an integration, or whose integration gave up. */
  async grantsByProvisioning(): Promise<Array<{ provisioning: string; count: number }>> {
    const rows = await this.db
      .selectFrom("grants")
      .select(["provisioning", sql<number | string>`count(*)`.as("n")])
      .where("provisioning", "in", ["applying", "apply_failed", "revoking", "revoke_failed"])
      .groupBy("provisioning")
      .execute();
    return rows.map((r) => ({ provisioning: r.provisioning, count: Number(r.n) }));
  }

  /** Deliveries waiting or failed, per kind of receiver. */
  async deliveriesByStatus(): Promise<Array<{ kind: string; status: string; count: number }>> {
    const rows = await this.db
      .selectFrom("outbox")
      .select(["target_kind", "status", sql<number | string>`count(*)`.as("n")])
      .where("status", "in", ["pending", "failed"])
      .groupBy(["target_kind", "status"])
      .execute();
    return rows.map((r) => ({ kind: r.target_kind, status: r.status, count: Number(r.n) }));
  }

  /** Per audit chain: how many events it holds past its last signed checkpoint. */
  async auditCheckpointLag(): Promise<Array<{ space: string; lag: number }>> {
    const rows = await this.db.selectFrom("audit_chains").select(["space_name", "head_seq", "checkpoint_seq"]).execute();
    return rows.map((r) => ({ space: r.space_name || "(server)", lag: toMillis(r.head_seq) - toMillis(r.checkpoint_seq) }));
  }
}
