import { sql, type RawBuilder } from "kysely";

/**
 * The few SQL spellings that differ between the engines. Queries are written once against
 * Kysely; where a query needs one of these, it asks the store's dialect. Adding PostgreSQL is
 * adding an implementation of this interface, not rewriting the queries.
 */
export interface SqlDialect {
  readonly name: "sqlite" | "postgres";
  /** Column type for JSON documents. */
  readonly jsonType: "text" | "jsonb";
  /** Column type for millisecond timestamps and durations. */
  readonly millisType: "integer" | "bigint";
  /** The text value of top-level key `key` of a JSON object column, or NULL. */
  jsonText(column: string, key: string): RawBuilder<string | null>;
  /** Whether the JSON object column has top-level key `key`. */
  jsonHasKey(column: string, key: string): RawBuilder<boolean>;
  /** Whether a text expression holds a base-10 integer, so it may be compared as one. */
  isIntegerText(expression: RawBuilder<string | null>): RawBuilder<boolean>;
  /** A text expression as a 64-bit integer. */
  asInteger(expression: RawBuilder<string | null>): RawBuilder<number>;
}

/** A JSON path for one top-level key; label keys hold '.' and '/', so the key is quoted. */
function sqliteKeyPath(key: string): string {
  return `$."${key.replaceAll('"', '\\"')}"`;
}

export const sqliteDialect: SqlDialect = {
  name: "sqlite",
  jsonType: "text",
  millisType: "integer",
  jsonText: (column, key) => sql<string | null>`json_extract(${sql.ref(column)}, ${sqliteKeyPath(key)})`,
  jsonHasKey: (column, key) => sql<boolean>`(json_type(${sql.ref(column)}, ${sqliteKeyPath(key)}) IS NOT NULL)`,
  isIntegerText: (expression) =>
    sql<boolean>`(${expression} <> '' AND ${expression} NOT GLOB '*[^0-9-]*' AND ${expression} NOT GLOB '?*-*' AND ${expression} <> '-')`,
  asInteger: (expression) => sql<number>`CAST(${expression} AS INTEGER)`,
};

/**
 * PostgreSQL: JSON is `jsonb` (read back already parsed, which the codecs accept), times are
 * `bigint` (the store's type parser returns them as numbers). `->>` reads a key as text and
 * `?` tests for a key. An integer check must guard its own cast: PostgreSQL does not promise
 * to evaluate `a AND b` left to right, so `asInteger` is NULL for text that is not one rather
 * than an error. `numeric` compares digit strings of any length, as SQLite's comparison does.
 */
export const postgresDialect: SqlDialect = {
  name: "postgres",
  jsonType: "jsonb",
  millisType: "bigint",
  jsonText: (column, key) => sql<string | null>`(${sql.ref(column)} ->> ${key}::text)`,
  jsonHasKey: (column, key) => sql<boolean>`(${sql.ref(column)} ? ${key}::text)`,
  isIntegerText: (expression) => sql<boolean>`(${expression} ~ '^-?[0-9]+$')`,
  asInteger: (expression) => sql<number>`(CASE WHEN ${expression} ~ '^-?[0-9]+$' THEN CAST(${expression} AS numeric) END)`,
};
