import { sql, type Expression, type RawBuilder, type SqlBool } from "kysely";
import type { LabelSelector, Requirement } from "../domain/label-selector.js";
import type { SqlDialect } from "./dialect.js";

/**
 * A label selector as a SQL condition on a JSON labels column, with the same meaning as
 * `matchesLabelSelector` (the unit tests hold the two to each other). `columnLabels` names
 * labels that the wire shows but the table keeps in a NOT NULL column of their own (a
 * resource's `indent.com/block` is its `name`), so selecting on them works too. It is a Map:
 * the keys are the selector's, and a key such as `constructor` must not find Object's.
 */
export function labelSelectorCondition(
  dialect: SqlDialect,
  column: string,
  selector: LabelSelector,
  columnLabels: ReadonlyMap<string, string> = new Map(),
): Expression<SqlBool> {
  if (selector.length === 0) return sql<SqlBool>`1 = 1`;
  const parts = selector.map((requirement) => requirementCondition(dialect, column, requirement, columnLabels.get(requirement.key)));
  return sql<SqlBool>`(${sql.join(parts, sql` AND `)})`;
}

function requirementCondition(dialect: SqlDialect, column: string, r: Requirement, ownColumn: string | undefined): RawBuilder<SqlBool> {
  const value = ownColumn ? sql<string | null>`${sql.ref(ownColumn)}` : dialect.jsonText(column, r.key);
  const has = ownColumn ? sql<boolean>`1 = 1` : dialect.jsonHasKey(column, r.key);
  switch (r.op) {
    case "exists":
      return sql<SqlBool>`${has}`;
    case "notexists":
      return sql<SqlBool>`(NOT ${has})`;
    case "eq":
      return sql<SqlBool>`(${value} = ${r.value})`;
    case "neq":
      // Kubernetes: `!=` also matches objects without the key.
      return sql<SqlBool>`(${value} IS NULL OR ${value} <> ${r.value})`;
    case "in":
      return sql<SqlBool>`(${value} IN (${sql.join(r.values)}))`;
    case "notin":
      return sql<SqlBool>`(${value} IS NULL OR ${value} NOT IN (${sql.join(r.values)}))`;
    case "gt":
      return sql<SqlBool>`(${dialect.isIntegerText(value)} AND ${dialect.asInteger(value)} > ${r.value})`;
    case "lt":
      return sql<SqlBool>`(${dialect.isIntegerText(value)} AND ${dialect.asInteger(value)} < ${r.value})`;
  }
}
