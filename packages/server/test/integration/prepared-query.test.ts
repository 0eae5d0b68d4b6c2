import { rmSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database, SpacesTable } from "../../src/store/schema.js";
import { prepare } from "../../src/store/prepared.js";
import { SqliteConnectionDialect } from "../../src/store/sqlite-connection-dialect.js";
import { tempDataDir } from "./harness.js";

let dataDir: string;
let db: Kysely<Database>;

beforeEach(async () => {
  dataDir = tempDataDir();
  db = new Kysely<Database>({ dialect: new SqliteConnectionDialect(new BetterSqlite3(join(dataDir, "prepared.db"))) });
  await sql`create table spaces (id text primary key, name text not null, display_name text not null, created_at integer not null, updated_at integer not null)`.execute(
    db,
  );
});
afterEach(async () => {
  await db.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

const insertSpaces = prepare<SpacesTable, unknown>(["id", "name", "display_name", "created_at", "updated_at"], (db, rows) =>
  db.insertInto("spaces").values(rows),
);
const spacesNamed = prepare<{ name: string }, SpacesTable>(["name"], (db, rows) =>
  db
    .selectFrom("spaces")
    .selectAll()
    .where(
      "name",
      "in",
      rows.map((row) => row.name),
    )
    .orderBy("name"),
);
const row = (name: string, at: number | string = 1): SpacesTable => ({
  id: `spc_${name}`,
  name,
  display_name: name,
  created_at: at,
  updated_at: at,
});

describe("PreparedQuery", () => {
  it("binds each run's own values into the SQL compiled once", async () => {
    await insertSpaces.execute(db, [row("a", 1)]);
    await insertSpaces.execute(db, [row("b", 2)]);
    expect(await spacesNamed.rows(db, { name: "a" })).toEqual([row("a", 1)]);
    expect(await spacesNamed.rows(db, { name: "b" })).toEqual([row("b", 2)]);
    expect(await spacesNamed.rows(db, { name: "missing" })).toEqual([]);
  });

  it("compiles a statement for each number of rows", async () => {
    await insertSpaces.execute(db, [row("c"), row("d"), row("e")]);
    await insertSpaces.execute(db, [row("f")]);
    const { rows } = await spacesNamed.execute(db, [{ name: "f" }, { name: "c" }, { name: "e" }]);
    expect(rows.map((r) => r.name)).toEqual(["c", "e", "f"]);
    expect((await spacesNamed.execute(db, [{ name: "d" }, { name: "x" }])).rows.map((r) => r.name)).toEqual(["d"]);
  });

  it("binds values that look like SQL as values", async () => {
    const hostile = "x'); drop table spaces; --";
    await insertSpaces.execute(db, [row(hostile)]);
    expect(await spacesNamed.rows(db, { name: hostile })).toHaveLength(1);
  });

  it("keeps the constants the query itself holds", async () => {
    const named = prepare<{ name: string }, { id: string }>(["name"], (db, [p]) =>
      db.selectFrom("spaces").select("id").where("name", "=", p!.name).where("created_at", "=", 7),
    );
    await insertSpaces.execute(db, [row("g", 7), row("h", 8)]);
    expect(await named.rows(db, { name: "g" })).toEqual([{ id: "spc_g" }]);
    expect(await named.rows(db, { name: "h" })).toEqual([]);
  });

  it("refuses a query that does not use one of its values as a parameter", async () => {
    const careless = prepare<{ name: string; unused: string }, SpacesTable>(["name", "unused"], (db, [p]) =>
      db.selectFrom("spaces").selectAll().where("name", "=", p!.name),
    );
    await expect(careless.rows(db, { name: "a", unused: "b" })).rejects.toThrow(/unused unused/);
  });
});
