import { mkdirSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { Kysely, sql } from "kysely";
import pg from "pg";
import { DomainError } from "../domain/errors.js";
import { postgresDialect } from "./dialect.js";
import { migrateToLatest } from "./migrate.js";
import { GuardedPostgresDialect } from "./postgres-connection-dialect.js";
import type { Database } from "./schema.js";
import { notePetitionChanges, notificationPayloads, PETITIONS_CHANNEL, PetitionListener } from "./postgres-notifications.js";
import { loadSecretKey, SecretBox } from "./secret-box.js";
import { isSerializationFailure, isUniqueViolation, toStoreError } from "./store-errors.js";
import { repositoriesFor, type Repositories, type Store, type Tx } from "./store.js";

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** Connections kept at most. */
  poolMax: number;
  /** The longest a statement may run, and a transaction may sit idle, before PostgreSQL ends it. */
  statementTimeoutMs: number;
  /** How long to wait for a connection (a new one, or a free one from the pool) before failing. */
  connectTimeoutMs?: number;
  /** Where `secret.key` lives when `secretKey` is not given. */
  dataDir: string;
  secretKey?: Buffer | null;
  /** Keys that sealed stored secrets before `secretKey`, which still open what they sealed. */
  previousSecretKeys?: readonly Buffer[];
  /** Called when a function registered with `afterCommit` throws, or an idle connection fails. */
  onError?: (error: unknown, what: string) => void;
}

/** Runs of one transaction at most, the first included, before its caller is told it conflicted. */
const MAX_ATTEMPTS = 12;
/** Unique violations a transaction may meet before one is taken as a real duplicate. */
const MAX_UNIQUE_RETRIES = 4;
const BACKOFF_BASE_MS = 2;
const BACKOFF_MAX_MS = 200;

/** One number for the migration lock, so replicas of any version agree on it. */
const MIGRATION_LOCK_KEY = 0x67_6c_6d_69_67; // "glmig"

const INT8_OID = 20;

/** bigint columns hold milliseconds and counts, all far below 2^53: numbers, not strings. */
const TYPES = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID && format !== "binary"
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

/**
 * The store on PostgreSQL, for several replicas on one database.
 *
 * Services assume transactions behave as if run one after another, as they do on SQLite.
 * Each server's own transactions take turns, but those of other replicas run at the same
 * time, at SERIALIZABLE isolation, which promises that outcome or an error (SQLSTATE 40001,
 * or 40P01 for a deadlock; a unique violation may be one too): such a transaction is run
 * again from the start after a short random pause, up to `MAX_ATTEMPTS` times, and the
 * after-commit actions of an attempt that failed are dropped with it. Reads outside
 * transactions see committed data through the pool and never wait for a turn.
 */
export class PostgresStore implements Store {
  readonly dialect = postgresDialect;
  readonly base: Store = this;
  readonly read: Repositories;
  private closed = false;
  /** Tells this server's notifications from other replicas'. */
  private readonly origin = randomUUID();
  private listener: PetitionListener | undefined;
  /**
   * This server's transactions take turns, as on SQLite. Nearly every write extends its
   * space's audit chain, so concurrent writers in a space collide and all but one run again:
   * measured here with 8 writers in one space, taking turns was 1.6 times as fast as running
   * together with re-runs, and needed none. Replicas still run concurrently with each other,
   * which SERIALIZABLE with re-runs keeps correct; reads never wait for a turn.
   */
  private readonly turns = new Lane();
  /** Counts for metrics and tests: transactions committed, and runs repeated after a conflict. */
  readonly stats = { transactions: 0, retries: 0 };

  private constructor(
    private readonly url: string,
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
    private readonly onError: (error: unknown, what: string) => void,
  ) {
    this.read = repositoriesFor(db, postgresDialect, box);
  }

  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const onError = options.onError ?? ((error, what) => console.error(what, error));
    const timeoutMs = Math.max(1, Math.round(options.statementTimeoutMs));
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolMax,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: "greenlight",
      types: TYPES,
      // Startup parameters of every connection, not statements run after it connects: a
      // connection that failed between connecting and such a statement would never be
      // returned to the pool, which would then wait for it forever when it ends.
      statement_timeout: timeoutMs,
      idle_in_transaction_session_timeout: timeoutMs,
    });
    // A connection that fails while idle in the pool (the database restarted) is dropped by
    // the pool; without a listener the error would end the process.
    pool.on("error", (error) => onError(error, "an idle database connection failed"));
    // A connection that fails while checked out reports it to the query it was running (which
    // fails with UNAVAILABLE); the error the client emits as well must not end the process.
    pool.on("connect", (client) => client.on("error", () => undefined));
    const db = new Kysely<Database>({
      dialect: new GuardedPostgresDialect({ pool }),
    });
    try {
      await migrateUnderLock(pool, db);
      let key = options.secretKey ?? null;
      if (!key) {
        mkdirSync(options.dataDir, { recursive: true });
        key = loadSecretKey(null, options.dataDir);
      }
      return new PostgresStore(options.url, db, new SecretBox(key, options.previousSecretKeys), onError);
    } catch (error) {
      await db.destroy();
      throw error;
    }
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    let uniqueFailures = 0;
    for (let attempt = 1; ; attempt++) {
      if (this.closed) throw new Error("the store is closed");
      const hooks: Array<() => void> = [];
      let value: T;
      const run = () =>
        this.db
          .transaction()
          .setIsolationLevel("serializable")
          .execute(async (trx) => {
            const repos = repositoriesFor(trx, postgresDialect, this.box);
            const changed = notePetitionChanges(repos);
            const result = await fn({ ...repos, afterCommit: (hook) => hooks.push(hook) });
            // Delivered to every listening replica if, and only when, this commits.
            for (const payload of notificationPayloads(this.origin, changed)) {
              await sql`SELECT pg_notify(${PETITIONS_CHANNEL}, ${payload})`.execute(trx);
            }
            return result;
          });
      try {
        value = await this.turns.run(run);
      } catch (error) {
        // A unique violation can be a lost race too (two transactions that both found seq 20
        // free): PostgreSQL reports it as one only when the loser had read the key itself.
        // Run again a few times; a real duplicate fails the same way and becomes CONFLICT.
        const retryable = isSerializationFailure(error) || (isUniqueViolation(error) && (uniqueFailures += 1) < MAX_UNIQUE_RETRIES);
        if (!retryable) throw toStoreError(error);
        if (attempt >= MAX_ATTEMPTS) {
          throw new DomainError("CONFLICT", "the change kept conflicting with concurrent changes to the same data; retry it");
        }
        this.stats.retries += 1;
        await sleep(backoffMs(attempt));
        continue;
      }
      this.stats.transactions += 1;
      for (const hook of hooks) {
        try {
          hook();
        } catch (error) {
          this.onError(error, "an after-commit action failed");
        }
      }
      return value;
    }
  }

  /**
   * Calls `onChange` for each petition another replica changes, from a connection of its own
   * that LISTENs for the notifications their commits send. Notifications sent while that
   * connection is down are lost, so after it reconnects `onReconnect` is called: whoever waits
   * must read the state again.
   */
  listenForPetitionChanges(onChange: (spaceId: string, name: string) => void, onReconnect: () => void): void {
    this.listener ??= new PetitionListener(this.url, this.origin, onChange, onReconnect, this.onError);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.listener?.close();
    await this.db.destroy();
  }
}

/**
 * Brings the schema up to date while holding a session advisory lock, on a connection of its
 * own: replicas starting together take turns, and the ones after the first find nothing to do
 * (two running DDL at once would fail on duplicate tables).
 */
async function migrateUnderLock(pool: pg.Pool, db: Kysely<Database>): Promise<void> {
  const lock = await pool.connect();
  let broken: Error | undefined;
  try {
    await lock.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      await migrateToLatest(db, postgresDialect);
    } finally {
      await lock.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } catch (error) {
    broken = error instanceof Error ? error : new Error(String(error));
    throw toStoreError(error);
  } finally {
    lock.release(broken);
  }
}

/** Runs functions one at a time, in the order they arrive. */
class Lane {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Full jitter over an exponential bound: racing transactions spread out instead of colliding again. */
function backoffMs(attempt: number): number {
  return Math.random() * Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
