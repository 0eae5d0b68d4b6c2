import { sql, type InsertResult, type Kysely, type RawBuilder, type SqlBool, type UpdateResult } from "kysely";
import {
  auditBody,
  canonicalJson,
  GENESIS_HASH,
  hashAuditText,
  type AuditBody,
  type AuditEntry,
  type AuditWriter,
  type StoredAuditRow,
} from "../../domain/audit.js";
import { DomainError } from "../../domain/errors.js";
import type { Resource } from "../../domain/resource.js";
import { toMillis, toMillisOrNull } from "../codec.js";
import { literalLimit } from "../limit.js";
import { prepare } from "../prepared.js";
import type { AuditChainsTable, AuditEventResourcesTable, AuditEventsTable, Database } from "../schema.js";
import type { SealedColumns, SecretBox } from "../secret-box.js";

export interface AuditChain {
  spaceId: string;
  spaceName: string;
  headSeq: number;
  headHash: string;
  baseSeq: number;
  basePrevHash: string;
  retentionMs: number | null;
  checkpointSeq: number;
  checkpointAt: number;
}

export interface AuditQuery {
  actor?: string;
  /** Only events the server wrote, or only those applications wrote through inputs. */
  writer?: AuditWriter;
  resource?: string;
  /** An event name, or a prefix ending in `*` (`access/*`). */
  event?: string;
  /** An event name, or a prefix ending in `*`, to leave out. */
  excludeEvent?: string;
  requestId?: string;
  startTime?: number;
  endTime?: number;
}

export interface AuditCheckpoint {
  spaceId: string;
  seq: number;
  hash: string;
  signedAt: number;
  kid: string;
  jws: string;
}

const selectChain = prepare<{ spaceId: string }, AuditChainsTable>(["spaceId"], (db, [p]) =>
  db.selectFrom("audit_chains").selectAll().where("space_id", "=", p!.spaceId),
);
const insertEvents = prepare<AuditEventsTable, InsertResult>(
  ["space_id", "seq", "id", "event", "actor_key", "request_id", "created_at", "prev_hash", "hash", "body", "writer", "received_at"],
  (db, rows) => db.insertInto("audit_events").values(rows),
);
const insertResourceKeys = prepare<AuditEventResourcesTable, InsertResult>(["space_id", "resource_key", "seq"], (db, rows) =>
  db.insertInto("audit_event_resources").values(rows),
);
const advanceHead = prepare<{ spaceId: string; seq: number; hash: string; previous: number; now: number }, UpdateResult>(
  ["spaceId", "seq", "hash", "previous", "now"],
  (db, [p]) =>
    db
      .updateTable("audit_chains")
      .set({ head_seq: p!.seq, head_hash: p!.hash, updated_at: p!.now })
      .where("space_id", "=", p!.spaceId)
      .where("head_seq", "=", p!.previous),
);

/** What the actor filter matches: the email, lower-cased, else the id, else the kind. */
export function actorKeyOf(actor: Resource): string {
  return actor.email?.toLowerCase() ?? actor.id ?? actor.kind;
}

/** What the resource filter matches: each resource's id and lower-cased email. */
function resourceKeysOf(resources: Resource[]): string[] {
  const keys = new Set<string>();
  for (const r of resources) {
    if (r.id) keys.add(r.id);
    if (r.email) keys.add(r.email.toLowerCase());
  }
  return [...keys];
}

/**
 * The audit log's tables. `append` is the only writer of events: it extends the space's chain
 * inside the caller's transaction, so an event commits with its change or not at all, and
 * moves the head by compare-and-set, so two writers can never fork a chain.
 */
export class AuditRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
  ) {}

  /** Extends the space's chain; a chain's first event takes the space's name from `space` or, without one, from the spaces table. */
  async append(space: { id: string; name?: string }, entries: AuditEntry[], now: number): Promise<AuditBody[]> {
    if (entries.length === 0) return [];
    const [chain] = await selectChain.rows(this.db, { spaceId: space.id });
    const spaceName =
      chain?.space_name ??
      space.name ??
      (await this.db.selectFrom("spaces").select("name").where("id", "=", space.id).executeTakeFirst())?.name ??
      "";
    const startSeq = chain ? toMillis(chain.head_seq) : 0;
    let seq = startSeq;
    let prevHash = chain ? chain.head_hash : GENESIS_HASH;
    const bodies: AuditBody[] = [];
    const rows: AuditEventsTable[] = [];
    const resourceRows: AuditEventResourcesTable[] = [];
    for (const entry of entries) {
      seq += 1;
      const body = auditBody(entry, spaceName, seq, prevHash, now);
      const text = canonicalJson(body);
      const hash = hashAuditText(text);
      rows.push({
        space_id: space.id,
        seq,
        id: entry.id,
        event: entry.event,
        actor_key: actorKeyOf(entry.actor),
        request_id: entry.requestId,
        created_at: entry.timestamp,
        prev_hash: prevHash,
        hash,
        body: text,
        writer: body.provenance!.writer,
        received_at: now,
      });
      for (const key of resourceKeysOf(entry.resources)) resourceRows.push({ space_id: space.id, resource_key: key, seq });
      bodies.push(body);
      prevHash = hash;
    }
    // The head moves first: a writer racing for the same position then fails on the chain's
    // row (a serialization failure, retried) rather than on an event's key.
    if (chain) {
      const moved = await advanceHead.execute(this.db, [{ spaceId: space.id, seq, hash: prevHash, previous: startSeq, now }]);
      if (Number(moved.numAffectedRows ?? 0) !== 1) throw new DomainError("CONFLICT", "the audit log moved on meanwhile; try again");
    } else {
      await this.db
        .insertInto("audit_chains")
        .values({
          space_id: space.id,
          space_name: spaceName,
          head_seq: seq,
          head_hash: prevHash,
          base_seq: 1,
          base_prev_hash: GENESIS_HASH,
          retention_ms: null,
          checkpoint_seq: 0,
          checkpoint_at: now,
          updated_at: now,
        })
        .execute();
    }
    await insertEvents.execute(this.db, rows);
    if (resourceRows.length > 0) await insertResourceKeys.execute(this.db, resourceRows);
    return bodies;
  }

  async chain(spaceId: string): Promise<AuditChain | undefined> {
    const [row] = await selectChain.rows(this.db, { spaceId });
    return row && toChain(row);
  }

  async listChains(): Promise<AuditChain[]> {
    return (await this.db.selectFrom("audit_chains").selectAll().orderBy("space_id").execute()).map(toChain);
  }

  async setRetention(spaceId: string, retentionMs: number | null, now: number): Promise<void> {
    await this.db.updateTable("audit_chains").set({ retention_ms: retentionMs, updated_at: now }).where("space_id", "=", spaceId).execute();
  }

  /**
   * Events matching `query` in seq order: oldest first from `fromSeq` (export, verification),
   * or newest first before `beforeSeq` (search). The log is read a page at a time this way.
   */
  async rows(
    spaceId: string,
    query: AuditQuery,
    page: { order: "asc"; fromSeq: number; limit: number; toSeq?: number } | { order: "desc"; beforeSeq?: number; limit: number },
  ): Promise<StoredAuditRow[]> {
    let q = this.db
      .selectFrom("audit_events as e")
      .select(["e.seq", "e.hash", "e.prev_hash", "e.event", "e.writer", "e.received_at", "e.body"])
      .where("e.space_id", "=", spaceId);
    if (query.writer) q = q.where("e.writer", "=", query.writer);
    if (query.actor) q = q.where("e.actor_key", "=", query.actor.includes("@") ? query.actor.toLowerCase() : query.actor);
    if (query.event) q = q.where(eventCondition(query.event));
    if (query.excludeEvent) q = q.where(sql<SqlBool>`NOT ${eventCondition(query.excludeEvent)}`);
    if (query.requestId) q = q.where("e.request_id", "=", query.requestId);
    if (query.startTime !== undefined) q = q.where("e.created_at", ">=", query.startTime);
    if (query.endTime !== undefined) q = q.where("e.created_at", "<", query.endTime);
    if (query.resource) {
      const key = query.resource.includes("@") ? query.resource.toLowerCase() : query.resource;
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom("audit_event_resources as r")
            .select("r.seq")
            .where("r.space_id", "=", spaceId)
            .where("r.resource_key", "=", key)
            .whereRef("r.seq", "=", "e.seq"),
        ),
      );
    }
    if (page.order === "asc") {
      q = q.where("e.seq", ">=", page.fromSeq);
      if (page.toSeq !== undefined) q = q.where("e.seq", "<=", page.toSeq);
    } else if (page.beforeSeq !== undefined) q = q.where("e.seq", "<", page.beforeSeq);
    const rows = await q.orderBy("e.seq", page.order).limit(literalLimit(page.limit)).execute();
    return rows.map((row) => ({
      seq: toMillis(row.seq),
      hash: row.hash,
      prevHash: row.prev_hash,
      event: row.event,
      writer: row.writer,
      receivedAt: toMillis(row.received_at),
      body: row.body,
    }));
  }

  /** The hash of event `seq`, if the chain still holds it. */
  async hashAt(spaceId: string, seq: number): Promise<string | undefined> {
    const row = await this.db
      .selectFrom("audit_events")
      .select("hash")
      .where("space_id", "=", spaceId)
      .where("seq", "=", seq)
      .executeTakeFirst();
    return row?.hash;
  }

  /**
   * Removes the oldest events, all received before `before`, keeping the chain verifiable from
   * the first event kept. It goes by when the server received them, never by the time an event
   * claims, so an application's back-dated event cannot take the history before it along; and
   * it stops at the first event received since, even if a later one looks older.
   */
  async prune(spaceId: string, before: number, now: number): Promise<{ removed: number; fromSeq: number; toSeq: number } | undefined> {
    const chain = await this.chain(spaceId);
    if (!chain) return undefined;
    const firstKept = await this.db
      .selectFrom("audit_events")
      .select("seq")
      .where("space_id", "=", spaceId)
      .where("received_at", ">=", before)
      .orderBy("seq", "asc")
      .limit(1)
      .executeTakeFirst();
    // The newest event is never pruned: the chain's head must stay in the log.
    const upTo = Math.min(firstKept ? toMillis(firstKept.seq) - 1 : chain.headSeq, chain.headSeq - 1);
    if (upTo < chain.baseSeq) return undefined;
    const boundary = await this.db
      .selectFrom("audit_events")
      .select("hash")
      .where("space_id", "=", spaceId)
      .where("seq", "=", upTo)
      .executeTakeFirstOrThrow();
    await this.db.deleteFrom("audit_event_resources").where("space_id", "=", spaceId).where("seq", "<=", upTo).execute();
    const removed = await this.db.deleteFrom("audit_events").where("space_id", "=", spaceId).where("seq", "<=", upTo).executeTakeFirst();
    await this.db
      .updateTable("audit_chains")
      .set({ base_seq: upTo + 1, base_prev_hash: boundary.hash, updated_at: now })
      .where("space_id", "=", spaceId)
      .execute();
    return { removed: Number(removed.numDeletedRows), fromSeq: chain.baseSeq, toSeq: upTo };
  }

  async insertCheckpoint(checkpoint: AuditCheckpoint): Promise<void> {
    await this.db
      .insertInto("audit_checkpoints")
      .values({
        space_id: checkpoint.spaceId,
        seq: checkpoint.seq,
        hash: checkpoint.hash,
        signed_at: checkpoint.signedAt,
        kid: checkpoint.kid,
        jws: checkpoint.jws,
      })
      .onConflict((oc) => oc.columns(["space_id", "seq"]).doNothing())
      .execute();
    await this.db
      .updateTable("audit_chains")
      .set({ checkpoint_seq: checkpoint.seq, checkpoint_at: checkpoint.signedAt })
      .where("space_id", "=", checkpoint.spaceId)
      // Another replica may have signed a later one meanwhile.
      .where("checkpoint_seq", "<", checkpoint.seq)
      .execute();
  }

  /** Checkpoints newest first before `beforeSeq`, or oldest first after `afterSeq` (verification). */
  async listCheckpoints(
    spaceId: string,
    page: { beforeSeq?: number; limit: number } | { order: "asc"; afterSeq: number; limit: number },
  ): Promise<AuditCheckpoint[]> {
    let q = this.db.selectFrom("audit_checkpoints").selectAll().where("space_id", "=", spaceId);
    if ("order" in page) q = q.where("seq", ">", page.afterSeq).orderBy("seq", "asc");
    else {
      if (page.beforeSeq !== undefined) q = q.where("seq", "<", page.beforeSeq);
      q = q.orderBy("seq", "desc");
    }
    return (await q.limit(literalLimit(page.limit)).execute()).map(toCheckpoint);
  }

  /** The checkpoint of the chain at `seq`, if there is one. */
  async checkpointAt(spaceId: string, seq: number): Promise<AuditCheckpoint | undefined> {
    const row = await this.db
      .selectFrom("audit_checkpoints")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("seq", "=", seq)
      .executeTakeFirst();
    return row && toCheckpoint(row);
  }

  /** The keys that sign checkpoints, the one in use (the first made) first. */
  async signingKeys(): Promise<Array<{ kid: string; publicJwk: string; privateJwk: string; createdAt: number }>> {
    const rows = await this.db.selectFrom("audit_keys").selectAll().orderBy("created_at").orderBy("kid").execute();
    return rows.map((row) => ({
      kid: row.kid,
      publicJwk: row.public_jwk,
      privateJwk: this.box.open(row.private_jwk_sealed, auditKeyContext(row.kid)),
      createdAt: toMillis(row.created_at),
    }));
  }

  async insertSigningKey(key: { kid: string; publicJwk: string; privateJwk: string; createdAt: number }): Promise<void> {
    await this.db
      .insertInto("audit_keys")
      .values({
        kid: key.kid,
        public_jwk: key.publicJwk,
        private_jwk_sealed: this.box.seal(key.privateJwk, auditKeyContext(key.kid)),
        created_at: key.createdAt,
      })
      .onConflict((oc) => oc.column("kid").doNothing())
      .execute();
  }
}

function toChain(row: AuditChainsTable): AuditChain {
  return {
    spaceId: row.space_id,
    spaceName: row.space_name,
    headSeq: toMillis(row.head_seq),
    headHash: row.head_hash,
    baseSeq: toMillis(row.base_seq),
    basePrevHash: row.base_prev_hash,
    retentionMs: toMillisOrNull(row.retention_ms),
    checkpointSeq: toMillis(row.checkpoint_seq),
    checkpointAt: toMillis(row.checkpoint_at),
  };
}

function toCheckpoint(row: Database["audit_checkpoints"]): AuditCheckpoint {
  return {
    spaceId: row.space_id,
    seq: toMillis(row.seq),
    hash: row.hash,
    signedAt: toMillis(row.signed_at),
    kid: row.kid,
    jws: row.jws,
  };
}

function auditKeyContext(kid: string): string {
  return `audit-key:${kid}`;
}

/** Where the checkpoint key is kept sealed, for sealing it again under a new secret key. */
export const AUDIT_KEY_SECRETS: SealedColumns = {
  table: "audit_keys",
  key: ["kid"],
  columns: { private_jwk_sealed: (row) => auditKeyContext(String(row["kid"])) },
};

/** The event named, or (ending in `*`) any event starting with the rest. */
function eventCondition(event: string): RawBuilder<SqlBool> {
  const column = sql.ref("e.event");
  if (!event.endsWith("*")) return sql<SqlBool>`(${column} = ${event})`;
  // A prefix by its length: no LIKE wildcards to escape, and no collation to get wrong.
  const prefix = event.slice(0, -1);
  return sql<SqlBool>`(substr(${column}, 1, ${prefix.length}) = ${prefix})`;
}
