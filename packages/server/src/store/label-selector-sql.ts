import { sql, type Expression, type RawBuilder, type SqlBool } from "kysely";
import type { LabelSelector, Requirement } from "../domain/label-selector.js";
import type { SqlDialect } from "./dialect.js";

/**
 * A label selector as a SQL condition on a JSON labels column, with the same meaning as
 * `matchesLabelSelector` (the unit tests hold the two to each other).
 */
export function labelSelectorCondition(dialect: SqlDialect, column: string, selector: LabelSelector): Expression<SqlBool> {
  if (selector.length === 0) return sql<SqlBool>`1 = 1`;
  const parts = selector.map((requirement) => requirementCondition(dialect, column, requirement));
  return sql<SqlBool>`(${sql.join(parts, sql` AND `)})`;
}

function requirementCondition(dialect: SqlDialect, column: string, r: Requirement): RawBuilder<SqlBool> {
  const value = dialect.jsonText(column, r.key);
  const has = dialect.jsonHasKey(column, r.key);
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
