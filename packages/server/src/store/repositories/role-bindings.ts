import type { Kysely } from "kysely";
import type { Role } from "../../domain/roles.js";
import type { Database } from "../schema.js";

export interface Binding {
  role: Role;
  member: string;
}

/** Who holds which role in a space. Members are `user:…`, `group:…` or `serviceAccount:…`. */
export class RoleBindingRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(spaceId: string): Promise<Binding[]> {
    const rows = await this.db
      .selectFrom("role_bindings")
      .select(["role", "member"])
      .where("space_id", "=", spaceId)
      .orderBy("role")
      .orderBy("member")
      .execute();
    return rows.map((row) => ({ role: row.role as Role, member: row.member }));
  }

  /** The roles bound to any of `members` (a principal and the groups it is in). */
  async rolesOf(spaceId: string, members: string[]): Promise<Role[]> {
    if (members.length === 0) return [];
    const rows = await this.db
      .selectFrom("role_bindings")
      .select("role")
      .distinct()
      .where("space_id", "=", spaceId)
      .where("member", members.length === 1 ? "=" : "in", members.length === 1 ? members[0]! : members)
      .execute();
    return rows.map((row) => row.role as Role);
  }

  async add(spaceId: string, binding: Binding, now: number): Promise<void> {
    await this.db
      .insertInto("role_bindings")
      .values({ space_id: spaceId, member: binding.member, role: binding.role, created_at: now })
      .onConflict((oc) => oc.columns(["space_id", "member", "role"]).doNothing())
      .execute();
  }

  /** Removes one binding; returns whether it existed. */
  async remove(spaceId: string, binding: Binding): Promise<boolean> {
    const result = await this.db
      .deleteFrom("role_bindings")
      .where("space_id", "=", spaceId)
      .where("member", "=", binding.member)
      .where("role", "=", binding.role)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Every binding of one member, as when its service account is deleted. */
  async removeMember(spaceId: string, member: string): Promise<void> {
    await this.db.deleteFrom("role_bindings").where("space_id", "=", spaceId).where("member", "=", member).execute();
  }

  async replaceAll(spaceId: string, bindings: Binding[], now: number): Promise<void> {
    await this.db.deleteFrom("role_bindings").where("space_id", "=", spaceId).execute();
    if (bindings.length === 0) return;
    await this.db
      .insertInto("role_bindings")
      .values(bindings.map((b) => ({ space_id: spaceId, member: b.member, role: b.role, created_at: now })))
      .onConflict((oc) => oc.columns(["space_id", "member", "role"]).doNothing())
      .execute();
  }
}
