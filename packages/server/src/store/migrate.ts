import { Migrator, type Kysely, type Migration } from "kysely";
import type { SqlDialect } from "./dialect.js";
import { initialMigration } from "./migrations/0001-initial.js";
import { identityMigration } from "./migrations/0002-identity.js";
import { policiesMigration } from "./migrations/0003-policies.js";
import { deliveryMigration } from "./migrations/0004-delivery.js";
import { receiverQueuesMigration } from "./migrations/0005-receiver-queues.js";
import { slackMigration } from "./migrations/0006-slack.js";
import { webSessionsMigration } from "./migrations/0007-web-sessions.js";
import { auditMigration } from "./migrations/0008-audit.js";
import { petitionOperationMigration } from "./migrations/0009-petition-operation.js";
import { sessionTokensMigration } from "./migrations/0010-session-tokens.js";
import { stepUpMigration } from "./migrations/0011-step-up.js";
import { sealedSigningKeysMigration } from "./migrations/0012-sealed-signing-keys.js";
import { auditProvenanceMigration } from "./migrations/0013-audit-provenance.js";
import { grantsByPairMigration } from "./migrations/0014-grants-by-pair.js";

/** Every migration, in order. Names sort in the order they run. */
function migrations(dialect: SqlDialect): Record<string, Migration> {
  return {
    "0001-initial": initialMigration(dialect),
    "0002-identity": identityMigration(dialect),
    "0003-policies": policiesMigration(dialect),
    "0004-delivery": deliveryMigration(dialect),
    "0005-receiver-queues": receiverQueuesMigration,
    "0006-slack": slackMigration(dialect),
    "0007-web-sessions": webSessionsMigration(dialect),
    "0008-audit": auditMigration(dialect),
    "0009-petition-operation": petitionOperationMigration(dialect),
    "0010-session-tokens": sessionTokensMigration,
    "0011-step-up": stepUpMigration(dialect),
    "0012-sealed-signing-keys": sealedSigningKeysMigration(dialect),
    "0013-audit-provenance": auditProvenanceMigration(dialect),
    "0014-grants-by-pair": grantsByPairMigration,
  };
}

/**
 * Brings the schema up to date. Kysely's migrator takes a lock (a table lock on SQLite, an
 * advisory lock on PostgreSQL) so replicas starting together do not run DDL twice.
 */
export async function migrateToLatest(db: Kysely<any>, dialect: SqlDialect): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations(dialect) },
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    const what = failed ? `migration ${failed.migrationName} failed` : "migrations failed";
    throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
