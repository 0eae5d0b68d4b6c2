import { literalLimit } from "../limit.js";
import type { Kysely } from "kysely";
import { toMillis } from "../codec.js";
import { prepare } from "../prepared.js";
import type { Database } from "../schema.js";

export interface Group {
  name: string;
  displayName: string;
  /** Emails, lower-cased, sorted. */
  members: string[];
  createdAt: number;
  updatedAt: number;
}

// Every request of a person and every petition asks it (see `PreparedQuery`).
const selectGroupNames = prepare<{ spaceId: string; email: string }, { group_name: string }>(["spaceId", "email"], (db, [p]) =>
  db.selectFrom("group_members").select("group_name").where("space_id", "=", p!.spaceId).where("email", "=", p!.email),
);

/** Named sets of people in a space, bound to roles as `group:<name>`. */
export class GroupRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(spaceId: string, name: string): Promise<Group | undefined> {
    const row = await this.db
      .selectFrom("space_groups")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("name", "=", name)
      .executeTakeFirst();
    if (!row) return undefined;
    return toGroup(row, await this.membersOf(spaceId, [name]));
  }

  async list(spaceId: string, query: { after?: string; limit: number }): Promise<Group[]> {
    let q = this.db.selectFrom("space_groups").selectAll().where("space_id", "=", spaceId);
    if (query.after !== undefined) q = q.where("name", ">", query.after);
    const rows = await q.orderBy("name").limit(literalLimit(query.limit)).execute();
    const members = await this.membersOf(
      spaceId,
      rows.map((r) => r.name),
    );
    return rows.map((row) => toGroup(row, members));
  }

  /** The names of every group of the space. */
  async allNames(spaceId: string): Promise<string[]> {
    const rows = await this.db.selectFrom("space_groups").select("name").where("space_id", "=", spaceId).execute();
    return rows.map((row) => row.name);
  }

  /** The names of the groups `email` is in. */
  async namesFor(spaceId: string, email: string): Promise<string[]> {
    const rows = await selectGroupNames.rows(this.db, { spaceId, email });
    return rows.map((row) => row.group_name);
  }

  async insert(spaceId: string, group: Group): Promise<void> {
    await this.db
      .insertInto("space_groups")
      .values({
        space_id: spaceId,
        name: group.name,
        display_name: group.displayName,
        created_at: group.createdAt,
        updated_at: group.updatedAt,
      })
      .execute();
    await this.insertMembers(spaceId, group.name, group.members);
  }

  async update(spaceId: string, group: Group): Promise<void> {
    await this.db
      .updateTable("space_groups")
      .set({ display_name: group.displayName, updated_at: group.updatedAt })
      .where("space_id", "=", spaceId)
      .where("name", "=", group.name)
      .execute();
    await this.db.deleteFrom("group_members").where("space_id", "=", spaceId).where("group_name", "=", group.name).execute();
    await this.insertMembers(spaceId, group.name, group.members);
  }

  /** Deletes the group and its memberships; returns whether it existed. */
  async delete(spaceId: string, name: string): Promise<boolean> {
    await this.db.deleteFrom("group_members").where("space_id", "=", spaceId).where("group_name", "=", name).execute();
    const result = await this.db.deleteFrom("space_groups").where("space_id", "=", spaceId).where("name", "=", name).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  private async insertMembers(spaceId: string, name: string, emails: string[]): Promise<void> {
    if (emails.length === 0) return;
    await this.db
      .insertInto("group_members")
      .values(emails.map((email) => ({ space_id: spaceId, group_name: name, email })))
      .execute();
  }

  private async membersOf(spaceId: string, names: string[]): Promise<Map<string, string[]>> {
    const members = new Map<string, string[]>(names.map((name) => [name, []]));
    if (names.length === 0) return members;
    const rows = await this.db
      .selectFrom("group_members")
      .select(["group_name", "email"])
      .where("space_id", "=", spaceId)
      .where("group_name", "in", names)
      .orderBy("group_name")
      .orderBy("email")
      .execute();
    for (const row of rows) members.get(row.group_name)?.push(row.email);
    return members;
  }
}

function toGroup(row: Database["space_groups"], members: Map<string, string[]>): Group {
  return {
    name: row.name,
    displayName: row.display_name,
    members: members.get(row.name) ?? [],
    createdAt: toMillis(row.created_at),
    updatedAt: toMillis(row.updated_at),
  };
}
