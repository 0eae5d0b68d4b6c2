import { closeSync, fdatasync, fdatasyncSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import BetterSqlite3 from "better-sqlite3";
import { Kysely } from "kysely";
import { lockDataDir } from "./data-dir-lock.js";
import { sqliteDialect } from "./dialect.js";
import { migrateToLatest } from "./migrate.js";
import { SqliteConnectionDialect } from "./sqlite-connection-dialect.js";
import { toStoreError } from "./store-errors.js";
import type { Database } from "./schema.js";
import { loadSecretKey, SecretBox } from "./secret-box.js";
import { repositoriesFor, type Repositories, type Store, type Tx } from "./store.js";

export interface SqliteStoreOptions {
  dataDir: string;
  /**
   * `full` syncs the log to disk on every commit, so acknowledged writes survive power loss;
   * `normal` survives a crashed or killed process but may lose the last commits on power loss.
   */
  synchronous: "full" | "normal";
  /** Called when a function registered with `afterCommit` throws. */
  onError?: (error: unknown, what: string) => void;
  /** The key that seals stored secrets; by default `secret.key` in the data directory. */
  secretKey?: Buffer | null;
  /** Keys that sealed them before, which still open what they sealed. */
  previousSecretKeys?: readonly Buffer[];
}

const fdatasyncAsync = promisify(fdatasync);

/** Transactions committed together at most; bounds the wait of the first one in a batch. */
const MAX_BATCH = 32;
const MAX_BATCH_MS = 5;

interface Job {
  fn: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Ran = { job: Job; ok: true; value: unknown; hooks: Array<() => void> } | { job: Job; ok: false; error: unknown };

/**
 * The embedded store: one SQLite file in WAL mode under the data directory, with one writer
 * connection and one reader connection.
 *
 * Writes are serialised through a queue and committed in groups: while one transaction runs,
 * others wait; when the queue is empty (or a batch is full) the group commits with one sync.
 * Each transaction runs inside a savepoint, so one that fails is undone alone. No caller is
 * answered before its commit is durable, and readers use their own connection, which sees
 * only committed data.
 *
 * better-sqlite3 is synchronous, so a transaction runs start to finish without letting the
 * event loop read another request. A batch therefore starts on the next turn of the event loop
 * (every request that has arrived by then joins it), and before committing it gives the loop
 * another turn, and keeps doing so while each turn brings more work. Under no load a
 * transaction waits two turns of the loop; under load one disk sync serves many transactions.
 */
export class SqliteStore implements Store {
  readonly dialect = sqliteDialect;
  readonly base: Store = this;
  readonly read: Repositories;
  private readonly writeRepos: Repositories;
  private readonly queue: Job[] = [];
  /** Set while a drain loop runs; cleared in the same synchronous step that finds the queue empty. */
  private draining = false;
  private drained: Promise<void> = Promise.resolve();
  private closed = false;
  /**
   * Counts for metrics and tests: transactions that committed, the commits that carried them,
   * and the syncs of the log to disk that made them durable (`synchronous: "full"` only).
   */
  readonly stats = { transactions: 0, commits: 0, syncs: 0 };

  /** The write-ahead log, opened once it exists, when commits are synced by this store. */
  private logFd: number | undefined;
  /** Committed transactions waiting for the next sync of the log, and the sync running now. */
  private readonly unsynced: Ran[] = [];
  private isSyncing = false;
  private syncDone: Promise<void> = Promise.resolve();

  private constructor(
    private readonly writer: BetterSqlite3.Database,
    private readonly writeDb: Kysely<Database>,
    private readonly readDb: Kysely<Database>,
    private readonly releaseLock: () => void,
    private readonly onError: (error: unknown, what: string) => void,
    /** The log to sync after each commit, for `synchronous: "full"`; undefined for `normal`. */
    private readonly logPath: string | undefined,
    box: SecretBox,
  ) {
    this.read = repositoriesFor(readDb, sqliteDialect, box);
    this.writeRepos = repositoriesFor(writeDb, sqliteDialect, box);
  }

  static async open(options: SqliteStoreOptions): Promise<SqliteStore> {
    mkdirSync(options.dataDir, { recursive: true });
    const releaseLock = lockDataDir(options.dataDir);
    const path = join(options.dataDir, "greenlight.db");
    let writer: BetterSqlite3.Database | undefined;
    let reader: BetterSqlite3.Database | undefined;
    try {
      writer = new BetterSqlite3(path);
      writer.pragma("journal_mode = WAL");
      // SQLite itself never waits for the disk on commit: with `full`, the store syncs the log
      // after each group commit, off the main thread, before it answers anyone (see
      // `syncLog`); with `normal`, the log is synced only when SQLite checkpoints it.
      writer.pragma("synchronous = NORMAL");
      writer.pragma("busy_timeout = 5000");
      writer.pragma("foreign_keys = ON");
      // A deleted row's bytes are zeroed in the pages a write rewrites anyway (no extra I/O), so
      // a secret deleted in the clear does not linger in the file; see `scrubDeleted`.
      writer.pragma("secure_delete = FAST");
      const writeDb = new Kysely<Database>({ dialect: new SqliteConnectionDialect(writer) });
      await migrateToLatest(writeDb, sqliteDialect);

      reader = new BetterSqlite3(path, { readonly: true });
      reader.pragma("busy_timeout = 5000");
      const readDb = new Kysely<Database>({ dialect: new SqliteConnectionDialect(reader) });
      const onError = options.onError ?? ((error, what) => console.error(what, error));
      const logPath = options.synchronous === "full" ? `${path}-wal` : undefined;
      const box = new SecretBox(loadSecretKey(options.secretKey ?? null, options.dataDir), options.previousSecretKeys);
      return new SqliteStore(writer, writeDb, readDb, releaseLock, onError, logPath, box);
    } catch (error) {
      reader?.close();
      writer?.close();
      releaseLock();
      throw error;
    }
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error("the store is closed"));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (value: unknown) => void, reject: (error) => reject(toStoreError(error)) });
      if (!this.draining) {
        this.draining = true;
        this.drained = nextTurn().then(() => this.drain());
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.drained;
    await this.syncDone;
    await this.readDb.destroy();
    await this.writeDb.destroy();
    if (this.logFd !== undefined) closeSync(this.logFd);
    this.releaseLock();
  }

  /**
   * Checkpoints the write-ahead log into the database file and truncates it, so rows deleted
   * (and zeroed, with `secure_delete`) are gone from both files, not only from the queries: run
   * after removing secrets that were stored in the clear. Waits for the writes under way.
   */
  async scrubDeleted(): Promise<void> {
    await this.drained;
    await this.syncDone;
    const [result] = this.writer.pragma("wal_checkpoint(TRUNCATE)") as Array<{ busy: number }>;
    if (result?.busy) this.onError(new Error("a reader held the write-ahead log"), "scrubbing deleted rows from the database files");
  }

  private async drain(): Promise<void> {
    try {
      await this.commitBatches();
    } catch (error) {
      // Only BEGIN or ROLLBACK themselves can land here: the database is locked by another
      // program or unusable. Fail what waits, and keep serving: the next write tries again.
      for (const job of this.queue.splice(0)) job.reject(error);
      this.draining = false;
      this.onError(error, "the database refused a transaction");
      try {
        if (this.writer.inTransaction) this.writer.exec("ROLLBACK");
      } catch (rollbackError) {
        this.onError(rollbackError, "rolling back failed");
      }
    }
  }

  private async commitBatches(): Promise<void> {
    for (;;) {
      if (this.queue.length === 0) {
        this.draining = false;
        return;
      }
      const batch: Ran[] = [];
      const started = performance.now();
      const hasRoom = () => batch.length < MAX_BATCH && performance.now() - started < MAX_BATCH_MS;
      // Whether the last turn given to the event loop brought more work: while it does, more
      // is likely on its way, so the batch keeps collecting (within its bounds).
      let workArriving = true;
      this.writer.exec("BEGIN IMMEDIATE");
      while (this.queue.length > 0 || (workArriving && hasRoom())) {
        if (this.queue.length === 0) {
          await nextTurn();
          workArriving = this.queue.length > 0;
          continue;
        }
        if (!hasRoom()) break;
        const ran = await this.runOne(this.queue.shift()!);
        if (!ran.ok && !this.writer.inTransaction) {
          // SQLite abandoned the whole transaction (an I/O error, a full disk): the batch's
          // earlier work is gone with it, so none of it may be reported as done.
          for (const earlier of batch) earlier.job.reject(ran.error);
          ran.job.reject(ran.error);
          batch.length = 0;
          this.writer.exec("BEGIN IMMEDIATE");
          continue;
        }
        batch.push(ran);
      }
      try {
        this.writer.exec("COMMIT");
      } catch (error) {
        for (const ran of batch) ran.job.reject(error);
        if (this.writer.inTransaction) this.writer.exec("ROLLBACK");
        continue;
      }
      this.stats.commits += 1;
      this.stats.transactions += batch.filter((ran) => ran.ok).length;
      this.whenDurable(batch);
    }
  }

  /**
   * Settles a committed batch once it is durable. With `synchronous: "full"` that is once the
   * write-ahead log has been synced to disk after the commit (what SQLite's `synchronous =
   * FULL` does inside COMMIT), but here the sync runs on libuv's thread pool while the next
   * batches run and commit, and one sync covers every batch committed before it started: the
   * disk's latency no longer stops the event loop, and a slow sync makes the next one serve
   * more commits. The log is a file that SQLite keeps while a connection is open; syncing any
   * descriptor of it flushes every write made to it. Readers may see a commit while it is
   * being synced; only a power loss in that moment could take back what they saw, and no
   * writer has been told it succeeded.
   */
  private whenDurable(batch: Ran[]): void {
    if (this.logPath === undefined) {
      for (const ran of batch) this.settle(ran);
      return;
    }
    this.unsynced.push(...batch);
    if (this.isSyncing) return;
    if (this.queue.length === 0) {
      // Nothing else is waiting to be written: a sync on this thread answers sooner than one
      // handed to the thread pool, and holds up no other commit.
      this.syncLogNow();
      return;
    }
    this.isSyncing = true;
    this.syncDone = this.syncLog();
  }

  private syncLogNow(): void {
    const covered = this.unsynced.splice(0);
    try {
      fdatasyncSync(this.logFile());
    } catch (error) {
      this.syncFailed(covered, error);
      return;
    }
    this.synced(covered);
  }

  private async syncLog(): Promise<void> {
    while (this.unsynced.length > 0) {
      const covered = this.unsynced.splice(0);
      try {
        await fdatasyncAsync(this.logFile());
      } catch (error) {
        this.syncFailed(covered, error);
        continue;
      }
      this.synced(covered);
    }
    this.isSyncing = false;
  }

  private logFile(): number {
    return (this.logFd ??= openSync(this.logPath!, "r+"));
  }

  private synced(covered: Ran[]): void {
    this.stats.syncs += 1;
    for (const ran of covered) this.settle(ran);
  }

  /** The commits may or may not be on disk: nobody may be told they are. */
  private syncFailed(covered: Ran[], error: unknown): void {
    for (const ran of covered) ran.job.reject(error);
    this.onError(error, "syncing the database log to disk failed");
  }

  private async runOne(job: Job): Promise<Ran> {
    const hooks: Array<() => void> = [];
    const tx: Tx = { ...this.writeRepos, afterCommit: (fn) => hooks.push(fn) };
    this.writer.exec("SAVEPOINT tx");
    try {
      const value = await job.fn(tx);
      this.writer.exec("RELEASE tx");
      return { job, ok: true, value, hooks };
    } catch (error) {
      if (this.writer.inTransaction) {
        this.writer.exec("ROLLBACK TO tx");
        this.writer.exec("RELEASE tx");
      }
      return { job, ok: false, error };
    }
  }

  private settle(ran: Ran): void {
    if (!ran.ok) {
      ran.job.reject(ran.error);
      return;
    }
    for (const hook of ran.hooks) {
      try {
        hook();
      } catch (error) {
        this.onError(error, "an after-commit action failed");
      }
    }
    ran.job.resolve(ran.value);
  }
}

/** Resolves after the event loop has had a turn to read sockets and run timers. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
