import { sql, type Kysely, type Migration } from "kysely";
import type { SqlDialect } from "../dialect.js";

/**
 * Identity and access: role bindings, groups, service accounts, tokens, signing keys; who
 * created each petition, and an index of petitioners by email (so a member's "my petitions"
 * is an index lookup, not a scan of the space).
 */
export function identityMigration(dialect: SqlDialect): Migration {
  const json = sql.raw(dialect.jsonType);
  const millis = sql.raw(dialect.millisType);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("role_bindings")
        .addColumn("space_id", "text", (c) => c.notNull().references("spaces.id"))
        .addColumn("member", "text", (c) => c.notNull())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("created_at", millis, (c) => c.notNull())
        .addPrimaryKeyConstraint("role_bindings_pk", ["space_id", "member", "role"])
        .addCheckConstraint("role_bindings_role_check", sql`role in ('admin', 'reviewer', 'petitioner-admin', 'member')`)
        .execute();

      await db.schema
        .createTable("space_groups")
        .addColumn("space_id", "text", (c) => c.notNull().references("spaces.id"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("display_name", "text", (c) => c.notNull())
        .addColumn("created_at", millis, (c) => c.notNull())
        .addColumn("updated_at", millis, (c) => c.notNull())
        .addPrimaryKeyConstraint("space_groups_pk", ["space_id", "name"])
        .execute();
      await db.schema
        .createTable("group_members")
        .addColumn("space_id", "text", (c) => c.notNull())
        .addColumn("group_name", "text", (c) => c.notNull())
        .addColumn("email", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("group_members_pk", ["space_id", "group_name", "email"])
        .addForeignKeyConstraint("group_members_group_fk", ["space_id", "group_name"], "space_groups", ["space_id", "name"], (fk) =>
          fk.onDelete("cascade"),
        )
        .execute();
      await db.schema.createIndex("group_members_email").on("group_members").columns(["space_id", "email"]).execute();

      await db.schema
        .createTable("service_accounts")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("space_id", "text", (c) => c.notNull().references("spaces.id"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("display_name", "text", (c) => c.notNull())
        .addColumn("email", "text", (c) => c.notNull())
        .addColumn("labels", json, (c) => c.notNull())
        .addColumn("created_by", json, (c) => c.notNull())
        .addColumn("created_at", millis, (c) => c.notNull())
        .addColumn("updated_at", millis, (c) => c.notNull())
        .addColumn("deleted_at", millis)
        .execute();
      // Names are unique among the space's live accounts; a deleted one's name may be reused.
      await db.schema
        .createIndex("service_accounts_name")
        .on("service_accounts")
        .columns(["space_id", "name"])
        .unique()
        .where(sql.ref("deleted_at"), "is", null)
        .execute();

      await db.schema
        .createTable("tokens")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("space_id", "text", (c) => c.notNull().references("spaces.id"))
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("service_account_id", "text", (c) => c.references("service_accounts.id"))
        .addColumn("subject_email", "text", (c) => c.notNull())
        .addColumn("display_name", "text", (c) => c.notNull())
        .addColumn("scope", "text", (c) => c.notNull())
        .addColumn("secret_digest", "text")
        .addColumn("created_by", json, (c) => c.notNull())
        .addColumn("created_at", millis, (c) => c.notNull())
        .addColumn("expire_at", millis)
        .addColumn("revoked_at", millis)
        .addColumn("last_used_at", millis)
        .addCheckConstraint("tokens_kind_check", sql`kind in ('refresh', 'user')`)
        .execute();
      await db.schema.createIndex("tokens_space").on("tokens").columns(["space_id", "service_account_id", "id"]).execute();

      await db.schema
        .createTable("signing_keys")
        .addColumn("kid", "text", (c) => c.primaryKey())
        .addColumn("alg", "text", (c) => c.notNull())
        .addColumn("private_jwk", "text", (c) => c.notNull())
        .addColumn("public_jwk", "text", (c) => c.notNull())
        .addColumn("created_at", millis, (c) => c.notNull())
        // When it stopped signing; it still verifies until the tokens it signed have expired.
        .addColumn("retired_at", millis)
        .execute();

      await db.schema
        .alterTable("petitions")
        .addColumn("created_by", "text", (c) => c.notNull().defaultTo(""))
        .execute();
      await db.schema
        .createTable("petition_petitioners")
        .addColumn("space_id", "text", (c) => c.notNull())
        .addColumn("email", "text", (c) => c.notNull())
        .addColumn("petition_name", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("petition_petitioners_pk", ["space_id", "email", "petition_name"])
        .addForeignKeyConstraint("petition_petitioners_petition_fk", ["space_id", "petition_name"], "petitions", ["space_id", "name"])
        .execute();
      await db.schema.createIndex("petitions_created_by").on("petitions").columns(["space_id", "created_by", "name"]).execute();
    },
  };
}
