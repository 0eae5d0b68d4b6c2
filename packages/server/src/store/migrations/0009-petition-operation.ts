import type { Kysely, Migration } from "kysely";
import { OPERATION_HASH_LABEL, operationOf, TOOL_LABEL } from "../../domain/agents.js";
import { fromJson, toJson } from "../codec.js";
import type { SqlDialect } from "../dialect.js";

/**
 * The operation a petition for one tool call approves, in a column of its own that no update
 * writes (receipts are signed from it). Petitions made before it get their record from their
 * labels, where those still agree with the hash the server stored when it made them.
 */
export function petitionOperationMigration(dialect: SqlDialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable("petitions")
        .addColumn("operation", dialect.jsonType as "text")
        .execute();
      const rows = await db
        .selectFrom("petitions")
        .select(["space_id", "name", "labels"])
        .where(dialect.jsonHasKey("labels", TOOL_LABEL))
        .execute();
      for (const row of rows) {
        const labels = fromJson<Record<string, string>>(row.labels);
        let operation;
        try {
          operation = operationOf(labels);
        } catch {
          continue;
        }
        if (!operation || operation.sha256 !== labels[OPERATION_HASH_LABEL]) continue;
        await db
          .updateTable("petitions")
          .set({ operation: toJson(operation) })
          .where("space_id", "=", row.space_id)
          .where("name", "=", row.name)
          .execute();
      }
    },
  };
}
