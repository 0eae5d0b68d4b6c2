import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import { toMillis } from "../codec.js";

/** What other repositories need to know of a space: its key and the name the wire shows. */
export interface SpaceRef {
  id: string;
  name: string;
}

export interface SpaceRow {
  id: string;
  name: string;
  displayName: string;
  createdAt: number;
  updatedAt: number;
}

export class SpaceRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async findByName(name: string): Promise<SpaceRow | undefined> {
    const row = await this.db.selectFrom("spaces").selectAll().where("name", "=", name).executeTakeFirst();
    return row && toSpace(row);
  }

  async findById(id: string): Promise<SpaceRow | undefined> {
    const row = await this.db.selectFrom("spaces").selectAll().where("id", "=", id).executeTakeFirst();
    return row && toSpace(row);
  }

  async insert(space: SpaceRow): Promise<void> {
    await this.db
      .insertInto("spaces")
      .values({
        id: space.id,
        name: space.name,
        display_name: space.displayName,
        created_at: space.createdAt,
        updated_at: space.updatedAt,
      })
      .execute();
  }
}

function toSpace(row: Database["spaces"]): SpaceRow {
  return {
    id: row.id,
    name: row.name,
    displayName: row.display_name,
    createdAt: toMillis(row.created_at),
    updatedAt: toMillis(row.updated_at),
  };
}
