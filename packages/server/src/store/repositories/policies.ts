import { literalLimit } from "../limit.js";
import type { Kysely } from "kysely";
import { fromJson, toJson, toMillis } from "../codec.js";
import type { Database } from "../schema.js";

export interface StoredPolicy {
  version: number;
  /** The document as written; null when this version removed the policy. */
  document: unknown | null;
  createdAt: number;
  createdBy: string;
}

/** The versions of each space's access policy; the newest is in force. */
export class PolicyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async current(spaceId: string): Promise<StoredPolicy | undefined> {
    const row = await this.db
      .selectFrom("policies")
      .selectAll()
      .where("space_id", "=", spaceId)
      .orderBy("version", "desc")
      .limit(literalLimit(1))
      .executeTakeFirst();
    return row && toPolicy(row);
  }

  /** The newest version's number, without reading the document. */
  async currentVersion(spaceId: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom("policies")
      .select("version")
      .where("space_id", "=", spaceId)
      .orderBy("version", "desc")
      .limit(literalLimit(1))
      .executeTakeFirst();
    return row?.version;
  }

  async get(spaceId: string, version: number): Promise<StoredPolicy | undefined> {
    const row = await this.db
      .selectFrom("policies")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("version", "=", version)
      .executeTakeFirst();
    return row && toPolicy(row);
  }

  /** Versions newest first, below `before` when given. */
  async list(spaceId: string, query: { before?: number; limit: number }): Promise<StoredPolicy[]> {
    let q = this.db.selectFrom("policies").selectAll().where("space_id", "=", spaceId);
    if (query.before !== undefined) q = q.where("version", "<", query.before);
    const rows = await q.orderBy("version", "desc").limit(literalLimit(query.limit)).execute();
    return rows.map(toPolicy);
  }

  /** Stores the next version; the primary key refuses a version someone else took first. */
  async insert(spaceId: string, policy: StoredPolicy): Promise<void> {
    await this.db
      .insertInto("policies")
      .values({
        space_id: spaceId,
        version: policy.version,
        document: policy.document === null ? null : toJson(policy.document),
        created_at: policy.createdAt,
        created_by: policy.createdBy,
      })
      .execute();
  }
}

function toPolicy(row: Database["policies"]): StoredPolicy {
  return {
    version: row.version,
    document: row.document === null ? null : fromJson<unknown>(row.document),
    createdAt: toMillis(row.created_at),
    createdBy: row.created_by,
  };
}
