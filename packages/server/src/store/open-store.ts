import type { Config } from "../config.js";
import { PostgresStore } from "./postgres-store.js";
import { SqliteStore } from "./sqlite-store.js";
import type { Store } from "./store.js";

/** The store the configuration names: PostgreSQL when DATABASE_URL is set, else SQLite in the data directory. */
export function openStore(config: Config, onError: (error: unknown, what: string) => void): Promise<Store> {
  if (config.database !== null) {
    return PostgresStore.open({
      url: config.database.url,
      poolMax: config.database.poolMax,
      statementTimeoutMs: config.database.statementTimeoutMs,
      dataDir: config.dataDir,
      secretKey: config.secretKey,
      previousSecretKeys: config.secretKeysPrevious,
      onError,
    });
  }
  return SqliteStore.open({
    dataDir: config.dataDir,
    synchronous: config.sqliteSynchronous,
    onError,
    secretKey: config.secretKey,
    previousSecretKeys: config.secretKeysPrevious,
  });
}
