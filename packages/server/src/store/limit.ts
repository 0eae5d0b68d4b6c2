import { sql, type RawBuilder } from "kysely";

/**
 * A LIMIT written into the SQL rather than bound. SQLite re-plans a statement whose `LIMIT ?`
 * is bound, which cost 15 µs a run here against nothing for a literal; the values are the
 * server's own whole numbers (page sizes, batch sizes), never a caller's text.
 */
export function literalLimit(n: number): RawBuilder<number> {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`a limit must be a whole number, not ${n}`);
  return sql.lit(n);
}
