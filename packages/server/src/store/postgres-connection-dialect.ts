import {
  PostgresDialect,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type PostgresDialectConfig,
  type QueryResult,
  type TransactionSettings,
} from "kysely";
import { decodeNul } from "./codec.js";
import { databaseUnavailable, isConnectionFailure } from "./store-errors.js";

/**
 * Kysely's PostgreSQL dialect with two guarantees added at the driver, under every query:
 *
 * - A lost or unreachable database surfaces as UNAVAILABLE (a retryable 503), whether a read
 *   or a transaction hit it, and while waiting for a connection from the pool. A read outside a
 *   transaction that met a pooled connection the database had closed (it restarted, or ended
 *   idle connections) runs once more on another: the pool may hold several such connections
 *   and drops each only as it learns of it.
 * - A transaction in which any statement failed never reports success. PostgreSQL answers
 *   COMMIT of a failed transaction by rolling it back without an error, so code that caught
 *   a failed statement and carried on would otherwise be told its writes were saved. Commit
 *   throws the first failure instead, and the store decides whether to run the transaction
 *   again.
 */
export class GuardedPostgresDialect extends PostgresDialect {
  constructor(config: PostgresDialectConfig) {
    super(config);
  }

  override createDriver(): Driver {
    return new GuardedDriver(super.createDriver());
  }
}

class GuardedDriver implements Driver {
  private readonly inner = new WeakMap<GuardedConnection, DatabaseConnection>();

  constructor(private readonly driver: Driver) {}

  init(): Promise<void> {
    return this.driver.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    let connection: DatabaseConnection;
    try {
      connection = await this.driver.acquireConnection();
    } catch (error) {
      throw isConnectionFailure(error) ? databaseUnavailable(error) : error;
    }
    const guarded = new GuardedConnection(connection, this.driver);
    this.inner.set(guarded, connection);
    return guarded;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const guarded = connection as GuardedConnection;
    guarded.failure = undefined;
    await this.driver.beginTransaction(this.unwrap(connection), settings);
    guarded.inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const guarded = connection as GuardedConnection;
    if (guarded.failure !== undefined) throw guarded.failure;
    await this.driver.commitTransaction(this.unwrap(connection));
    guarded.inTransaction = false;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const guarded = connection as GuardedConnection;
    guarded.inTransaction = false;
    try {
      await this.driver.rollbackTransaction(this.unwrap(connection));
    } catch (error) {
      // The connection is gone, and the transaction with it; the pool discards the client.
      if (!isConnectionFailure(error) && !isConnectionFailure((error as { cause?: unknown }).cause)) throw error;
    }
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.driver.releaseConnection(this.unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.driver.destroy();
  }

  private unwrap(connection: DatabaseConnection): DatabaseConnection {
    return this.inner.get(connection as GuardedConnection) ?? connection;
  }
}

class GuardedConnection implements DatabaseConnection {
  inTransaction = false;
  /** The first statement that failed in the open transaction. */
  failure: unknown;

  constructor(
    private readonly connection: DatabaseConnection,
    /** Where a read that met a closed connection finds another. */
    private readonly driver: Driver,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await runDecoded<R>(this.connection, query);
    } catch (error) {
      if (this.inTransaction) this.failure ??= error;
      else if (isConnectionFailure(error) && query.query.kind === "SelectQueryNode") return this.readElsewhere<R>(query);
      throw isConnectionFailure(error) ? databaseUnavailable(error) : error;
    }
  }

  private async readElsewhere<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // A turn of the event loop first, so the pool hears of the other connections closed with this one.
    await new Promise((resolve) => setImmediate(resolve));
    let other: DatabaseConnection;
    try {
      other = await this.driver.acquireConnection();
    } catch (error) {
      throw isConnectionFailure(error) ? databaseUnavailable(error) : error;
    }
    try {
      return await runDecoded<R>(other, query);
    } catch (error) {
      throw isConnectionFailure(error) ? databaseUnavailable(error) : error;
    } finally {
      await this.driver.releaseConnection(other);
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.connection.streamQuery<R>(query, chunkSize);
  }
}

/** Runs the query with its text parameters encoded and its rows decoded (see below). */
async function runDecoded<R>(connection: DatabaseConnection, query: CompiledQuery): Promise<QueryResult<R>> {
  const parameters = query.parameters.some(hasEscapable) ? query.parameters.map(encodeText) : query.parameters;
  const result = await connection.executeQuery<R>(parameters === query.parameters ? query : { ...query, parameters });
  for (const row of result.rows) decodeRow(row as Record<string, unknown>);
  return result;
}

/**
 * PostgreSQL's text cannot hold the NUL character, which the server's own keys use as a
 * separator (`resourceKey`, and the dedupe keys made of them) and which SQLite stores as is.
 * Text parameters are therefore written with NUL as U+E000 "0" (and U+E000 itself as U+E000
 * "E", so the mapping is reversible), and text columns are read back through the inverse.
 * The strings inside jsonb documents are decoded the same way (`toJson` writes them so).
 * Equality and uniqueness are unchanged; only such strings' sort order differs.
 */
const ESCAPE = "\uE000";
const ESCAPABLE = /[\u0000\uE000]/;

function hasEscapable(value: unknown): boolean {
  return typeof value === "string" && ESCAPABLE.test(value);
}

function encodeText(value: unknown): unknown {
  if (typeof value !== "string" || !ESCAPABLE.test(value)) return value;
  return value.replace(/[\u0000\uE000]/g, (c) => (c === "\u0000" ? `${ESCAPE}0` : `${ESCAPE}E`));
}

function decodeRow(row: Record<string, unknown>): void {
  for (const key in row) row[key] = decodeNul(row[key]);
}
