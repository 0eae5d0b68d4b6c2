import type { CompiledQuery, Compilable, Kysely, QueryResult } from "kysely";
import type { Database } from "./schema.js";

/**
 * A query that Kysely builds and compiles once per connection and per row count, and that
 * later runs with new values bound to the same SQL.
 *
 * Building a query with Kysely's builder and compiling it costs more than SQLite takes to run
 * it: 15–25 µs against 5–15 µs for a point read or a one-row insert. The statements every
 * petition write runs therefore go through this. The query is built once with a placeholder
 * in place of every value; compiling it shows where each placeholder landed among the SQL's
 * parameters, and each later run puts the caller's values in those places. Parameters that
 * are not placeholders (constants the query itself holds) keep their compiled values.
 *
 * The builder must use values as plain values (`=`, `values`, `set`, one item of an `in`
 * list), never in a way that changes the SQL (`is null`, a whole list): the number of rows is
 * what may change the SQL, and each count is compiled once. A query may read a value from its
 * first row only (a space id shared by all rows).
 */
export class PreparedQuery<Row extends object, Result> {
  private readonly compiled = new WeakMap<Kysely<Database>, Map<number, Template<Result>>>();

  constructor(
    private readonly keys: ReadonlyArray<keyof Row & string>,
    private readonly build: (db: Kysely<Database>, rows: Row[]) => Compilable<Result>,
  ) {}

  /** Runs the query for these rows (one row for a read or an update). */
  execute(db: Kysely<Database>, rows: Row[]): Promise<QueryResult<Result>> {
    const template = this.templateFor(db, rows.length);
    const parameters = template.slots.map((slot) =>
      slot.kind === "value" ? (rows[slot.row] as Record<string, unknown>)[slot.key] : slot.constant,
    );
    return db.executeQuery<Result>({ ...template.query, parameters });
  }

  /** Runs a read for one row of parameters and returns its rows. */
  async rows(db: Kysely<Database>, params: Row): Promise<Result[]> {
    return (await this.execute(db, [params])).rows;
  }

  private templateFor(db: Kysely<Database>, count: number): Template<Result> {
    let byCount = this.compiled.get(db);
    if (!byCount) {
      byCount = new Map();
      this.compiled.set(db, byCount);
    }
    let template = byCount.get(count);
    if (!template) {
      template = this.compile(db, count);
      byCount.set(count, template);
    }
    return template;
  }

  private compile(db: Kysely<Database>, count: number): Template<Result> {
    const placeholders = Array.from(
      { length: count },
      (_, row) => Object.fromEntries(this.keys.map((key) => [key, placeholder(row, key)])) as Row,
    );
    const query = this.build(db, placeholders).compile();
    const slots = query.parameters.map((parameter): Slot => {
      const found = typeof parameter === "string" ? PLACEHOLDER.exec(parameter) : null;
      return found ? { kind: "value", row: Number(found[1]), key: found[2]! } : { kind: "constant", constant: parameter };
    });
    const used = new Set(slots.flatMap((slot) => (slot.kind === "value" ? [slot.key] : [])));
    const unused = this.keys.filter((key) => !used.has(key));
    if (unused.length > 0) {
      // A value the builder dropped or turned into SQL would be silently ignored at run time.
      throw new Error(`a prepared query must use each of its values as a parameter (${unused.join(", ")} unused): ${query.sql}`);
    }
    return { query, slots };
  }
}

interface Template<Result> {
  query: CompiledQuery<Result>;
  slots: Slot[];
}

type Slot = { kind: "value"; row: number; key: string } | { kind: "constant"; constant: unknown };

const PLACEHOLDER = /^\u0000prepared:(\d+):(.+)\u0000$/;

function placeholder(row: number, key: string): string {
  return `\u0000prepared:${row}:${key}\u0000`;
}

/** A prepared query over values named by `keys`; see `PreparedQuery`. */
export function prepare<Row extends object, Result>(
  keys: ReadonlyArray<keyof Row & string>,
  build: (db: Kysely<Database>, rows: Row[]) => Compilable<Result>,
): PreparedQuery<Row, Result> {
  return new PreparedQuery(keys, build);
}
