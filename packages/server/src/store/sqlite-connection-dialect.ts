import type BetterSqlite3 from "better-sqlite3";
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from "kysely";

/** Prepared statements kept per connection; preparing costs more than running a point query. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely over one better-sqlite3 connection, without the connection mutex of Kysely's own
 * SQLite dialect.
 *
 * better-sqlite3 runs each statement to completion synchronously, so queries on one connection
 * cannot interleave and need no lock. Kysely's mutex serialises them anyway, and every release
 * wakes every waiter: with a thousand concurrent reads (long-poll waiters re-reading a
 * petition that was just decided) that is a million wake-ups and hundreds of milliseconds.
 * Without the mutex, Kysely's own `transaction()` would no longer be isolated from concurrent
 * queries, so the store never uses it: `SqliteStore` runs transactions itself, one at a time.
 * (Migrations do use it, before the store takes any other query.)
 */
export class SqliteConnectionDialect implements Dialect {
  constructor(private readonly db: BetterSqlite3.Database) {}

  createAdapter() {
    return new SqliteAdapter();
  }

  createDriver(): Driver {
    return new UnlockedDriver(new CachingConnection(this.db), () => this.db.close());
  }

  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }

  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
}

class UnlockedDriver implements Driver {
  constructor(
    private readonly connection: CachingConnection,
    private readonly close: () => void,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin"));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    this.close();
  }
}

class CachingConnection implements DatabaseConnection {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly db: BetterSqlite3.Database) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.prepare(query.sql);
    const parameters = query.parameters as unknown[];
    if (statement.reader) return Promise.resolve({ rows: statement.all(parameters) as R[] });
    const { changes } = statement.run(parameters);
    return Promise.resolve({ numAffectedRows: BigInt(changes), rows: [] });
  }

  // Kysely's interface asks for a generator; this one refuses before yielding anything.
  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("streaming queries are not used by this store");
  }

  private prepare(sql: string): BetterSqlite3.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      // Oldest first out: a Map iterates in insertion order.
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.delete(this.statements.keys().next().value!);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
