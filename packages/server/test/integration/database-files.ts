import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { adminQuery, onPostgres, testDatabaseName, testDatabaseUrl } from "./harness.js";

/**
 * The database of a test server's data directory as someone holding a copy of it sees it:
 * its rows (PostgreSQL) or its files (SQLite), without the server's secret key.
 */

const SQLITE_FILES = ["greenlight.db", "greenlight.db-wal"];

/**
 * Runs one statement on the database of `dataDir` and returns its rows. Parameters are written
 * `?` for both engines.
 */
export async function queryDatabase(dataDir: string, statement: string, params: unknown[] = []): Promise<Array<Record<string, any>>> {
  if (onPostgres) {
    let n = 0;
    const client = new pg.Client({ connectionString: testDatabaseUrl(dataDir) });
    await client.connect();
    try {
      return (
        await client.query(
          statement.replace(/\?/g, () => `$${++n}`),
          params,
        )
      ).rows;
    } finally {
      await client.end();
    }
  }
  const db = new BetterSqlite3(join(dataDir, "greenlight.db"));
  try {
    const prepared = db.prepare(statement);
    return prepared.reader ? (prepared.all(...params) as Array<Record<string, any>>) : (prepared.run(...params), []);
  } finally {
    db.close();
  }
}

/**
 * Everything the database holds, as text to search: on SQLite the bytes of its files (the
 * write-ahead log too, so no page is missed), on PostgreSQL every row of every table.
 */
export async function dumpDatabase(dataDir: string): Promise<string> {
  if (!onPostgres) {
    return SQLITE_FILES.map((file) => join(dataDir, file))
      .filter((path) => existsSync(path))
      .map((path) => readFileSync(path).toString("latin1"))
      .join("\n");
  }
  const tables = await queryDatabase(dataDir, "select tablename from pg_tables where schemaname = 'public'");
  const dumps = await Promise.all(
    tables.map(async ({ tablename }) =>
      (await queryDatabase(dataDir, `select row_to_json(t)::text as row from "${tablename}" t`)).map((r) => r.row).join("\n"),
    ),
  );
  return dumps.join("\n");
}

/** Copies the database of a stopped server's data directory to another data directory, without its secret key. */
export async function copyDatabase(fromDir: string, toDir: string): Promise<void> {
  if (onPostgres) {
    await adminQuery(`CREATE DATABASE ${testDatabaseName(toDir)} TEMPLATE ${testDatabaseName(fromDir)}`);
    return;
  }
  for (const file of SQLITE_FILES) if (existsSync(join(fromDir, file))) copyFileSync(join(fromDir, file), join(toDir, file));
}

/** Whether a table exists in the database of `dataDir`. */
export async function hasTable(dataDir: string, table: string): Promise<boolean> {
  const rows = onPostgres
    ? await queryDatabase(dataDir, "select 1 from pg_tables where schemaname = 'public' and tablename = ?", [table])
    : await queryDatabase(dataDir, "select 1 from sqlite_master where type = 'table' and name = ?", [table]);
  return rows.length > 0;
}
