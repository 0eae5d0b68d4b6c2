import type { Kysely } from "kysely";
import type { SqlDialect } from "./dialect.js";
import { GrantRepository } from "./repositories/grants.js";
import { IdempotencyRepository } from "./repositories/idempotency.js";
import { PetitionRepository } from "./repositories/petitions.js";
import { ResourceRepository } from "./repositories/resources.js";
import { SettingsRepository } from "./repositories/settings.js";
import { SpaceRepository } from "./repositories/spaces.js";
import type { Database } from "./schema.js";

/** Every repository, bound to one connection or transaction. */
export interface Repositories {
  spaces: SpaceRepository;
  petitions: PetitionRepository;
  grants: GrantRepository;
  resources: ResourceRepository;
  idempotency: IdempotencyRepository;
  settings: SettingsRepository;
}

/** The repositories of one transaction, plus a way to act once it has committed. */
export interface Tx extends Repositories {
  /** Runs `fn` after the transaction commits (never if it rolls back): wake waiters, nudge jobs. */
  afterCommit(fn: () => void): void;
}

export interface Store {
  readonly dialect: SqlDialect;
  /** Repositories that read committed state only. */
  readonly read: Repositories;
  /**
   * Runs `fn` in one transaction: all of its writes commit together or none do, and the
   * returned promise settles only once the commit is durable. A transaction started inside
   * another joins it.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function repositoriesFor(db: Kysely<Database>, dialect: SqlDialect): Repositories {
  return {
    spaces: new SpaceRepository(db),
    petitions: new PetitionRepository(db, dialect),
    grants: new GrantRepository(db),
    resources: new ResourceRepository(db, dialect),
    idempotency: new IdempotencyRepository(db),
    settings: new SettingsRepository(db),
  };
}
