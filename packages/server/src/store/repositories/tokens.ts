import { literalLimit } from "../limit.js";
import type { Kysely } from "kysely";
import type { TokenKind, TokenRecord } from "../../domain/identity.js";
import type { Resource } from "../../domain/resource.js";
import { fromJson, toJson, toMillis, toMillisOrNull } from "../codec.js";
import type { Database } from "../schema.js";

export interface TokenListQuery {
  serviceAccountId?: string;
  includeRevoked: boolean;
  after?: string;
  limit: number;
}

export class TokenRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** A token by id, in any space: authentication finds the space from the token. */
  async get(id: string): Promise<TokenRecord | undefined> {
    const row = await this.db.selectFrom("tokens").selectAll().where("id", "=", id).executeTakeFirst();
    return row && toToken(row);
  }

  async list(spaceId: string, query: TokenListQuery): Promise<TokenRecord[]> {
    let q = this.db.selectFrom("tokens").selectAll().where("space_id", "=", spaceId);
    if (query.serviceAccountId !== undefined) q = q.where("service_account_id", "=", query.serviceAccountId);
    if (!query.includeRevoked) q = q.where("revoked_at", "is", null);
    if (query.after !== undefined) q = q.where("id", ">", query.after);
    const rows = await q.orderBy("id").limit(literalLimit(query.limit)).execute();
    return rows.map(toToken);
  }

  async insert(token: TokenRecord): Promise<void> {
    await this.db
      .insertInto("tokens")
      .values({
        id: token.id,
        space_id: token.spaceId,
        kind: token.kind,
        service_account_id: token.serviceAccountId,
        subject_email: token.subjectEmail,
        display_name: token.displayName,
        scope: token.scope,
        secret_digest: token.secretDigest,
        created_by: toJson(token.createdBy),
        created_at: token.createdAt,
        expire_at: token.expireAt,
        revoked_at: token.revokedAt,
        last_used_at: token.lastUsedAt,
        session_id: token.sessionId ?? null,
      })
      .execute();
  }

  /** Revokes one token of the space; returns whether a live one was revoked. */
  async revoke(spaceId: string, id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable("tokens")
      .set({ revoked_at: now })
      .where("space_id", "=", spaceId)
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async revokeAllOf(spaceId: string, serviceAccountId: string, now: number): Promise<void> {
    await this.db
      .updateTable("tokens")
      .set({ revoked_at: now })
      .where("space_id", "=", spaceId)
      .where("service_account_id", "=", serviceAccountId)
      .where("revoked_at", "is", null)
      .execute();
  }

  /** Revokes the live tokens a browser session was given, in whichever spaces; returns them. */
  async revokeAllOfSession(sessionId: string, now: number): Promise<Array<{ id: string; spaceId: string }>> {
    const rows = await this.db
      .updateTable("tokens")
      .set({ revoked_at: now })
      .where("session_id", "=", sessionId)
      .where("revoked_at", "is", null)
      .returning(["id", "space_id"])
      .execute();
    return rows.map((row) => ({ id: row.id, spaceId: row.space_id }));
  }

  async markUsed(id: string, now: number): Promise<void> {
    await this.db.updateTable("tokens").set({ last_used_at: now }).where("id", "=", id).execute();
  }
}

function toToken(row: Database["tokens"]): TokenRecord {
  return {
    id: row.id,
    spaceId: row.space_id,
    kind: row.kind as TokenKind,
    serviceAccountId: row.service_account_id,
    subjectEmail: row.subject_email,
    displayName: row.display_name,
    scope: row.scope,
    secretDigest: row.secret_digest,
    createdBy: fromJson<Resource>(row.created_by),
    createdAt: toMillis(row.created_at),
    expireAt: toMillisOrNull(row.expire_at),
    revokedAt: toMillisOrNull(row.revoked_at),
    lastUsedAt: toMillisOrNull(row.last_used_at),
    ...(row.session_id === null ? {} : { sessionId: row.session_id }),
  };
}
