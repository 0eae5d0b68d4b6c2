import Database from "better-sqlite3";
import { join } from "node:path";
import pg from "pg";
import { onPostgres, testDatabaseUrl, type TestServer } from "./harness.js";

/**
 * A connection to a test server's own database, beside the server, on either engine: for
 * tests that do what someone with the database could (tamper with rows, add a trigger).
 * Statements use `?` placeholders on both engines.
 */
export interface ServerDatabase {
  all<T = Record<string, unknown>>(statement: string, params?: unknown[]): Promise<T[]>;
  run(statement: string, params?: unknown[]): Promise<void>;
  close(): Promise<void>;
}

export async function openServerDatabase(server: TestServer): Promise<ServerDatabase> {
  if (onPostgres) {
    const client = new pg.Client({ connectionString: testDatabaseUrl(server.dataDir) });
    await client.connect();
    const numbered = (statement: string) => {
      let n = 0;
      return statement.replace(/\?/g, () => `$${++n}`);
    };
    return {
      all: async <T>(statement: string, params: unknown[] = []) => (await client.query(numbered(statement), params)).rows as T[],
      run: async (statement, params = []) => {
        await client.query(numbered(statement), params);
      },
      close: () => client.end(),
    };
  }
  const db = openBeside(join(server.dataDir, "greenlight.db"));
  return {
    all: async <T>(statement: string, params: unknown[] = []) => db.prepare(statement).all(...params) as T[],
    run: (statement, params = []) =>
      whenFree(() => {
        if (params.length === 0) db.exec(statement);
        else db.prepare(statement).run(...params);
      }),
    close: async () => {
      db.close();
    },
  };
}

/**
 * A SQLite connection to a file a server in this process has open. It does not wait for the
 * lock inside SQLite: that would stop this process's event loop, and with it the server's
 * transaction holding the lock. Writes go through `whenFree` instead.
 */
export function openBeside(file: string): Database.Database {
  const db = new Database(file);
  db.pragma("busy_timeout = 0");
  return db;
}

/** Runs a write once the server beside it is between transactions, giving its event loop turns meanwhile. */
export async function whenFree<T>(write: () => T): Promise<T> {
  for (;;) {
    try {
      return write();
    } catch (error) {
      if ((error as { code?: string }).code !== "SQLITE_BUSY") throw error;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}

/** Runs `statements` on the server's database, one after another. */
export async function onDatabase(server: TestServer, statements: string[]): Promise<void> {
  const db = await openServerDatabase(server);
  try {
    for (const statement of statements) await db.run(statement);
  } finally {
    await db.close();
  }
}
