import { literalLimit } from "../limit.js";
import { sql, type Kysely } from "kysely";
import type { LabelSelector } from "../../domain/label-selector.js";
import { BLOCK_LABEL, DEACTIVATED_LABEL, resourceKey, type CatalogResource, type ResourceView } from "../../domain/resource.js";
import { fromJson, toJson, toMillis } from "../codec.js";
import type { SqlDialect } from "../dialect.js";
import { labelSelectorCondition } from "../label-selector-sql.js";
import { prepare } from "../prepared.js";
import type { Database, ResourcesTable } from "../schema.js";

/** The label that the wire shows and the table keeps as a column: a resource's block is its name. */
const COLUMN_LABELS: ReadonlyMap<string, string> = new Map([[BLOCK_LABEL, "name"]]);

export interface ResourceListQuery {
  selector: LabelSelector;
  view?: ResourceView;
  /** Text the id, display name, email or name contains, in any case; "" for any. */
  search?: string;
  /** Only this kind; "" for any. */
  kind?: string;
  after?: string;
  limit: number;
}

// Compiled once per number of identities: every petition creation runs it (see `PreparedQuery`).
const selectByIdentity = prepare<{ spaceId: string; identityKey: string }, ResourcesTable>(["spaceId", "identityKey"], (db, rows) =>
  db
    .selectFrom("resources")
    .selectAll()
    .where("space_id", "=", rows[0]!.spaceId)
    .where(
      "identity_key",
      "in",
      rows.map((row) => row.identityKey),
    ),
);

// Every petition whose petitioner the catalog knows by another id asks it.
const selectPeopleByEmail = prepare<{ spaceId: string; email: string }, ResourcesTable>(["spaceId", "email"], (db, rows) =>
  db
    .selectFrom("resources")
    .selectAll()
    .where("space_id", "=", rows[0]!.spaceId)
    .where(
      sql<string>`lower(email)`,
      "in",
      rows.map((row) => row.email),
    )
    .where(sql<boolean>`lower(kind) LIKE '%user%'`)
    // No ORDER BY in SQL: it would make the planner walk the space's resources by name
    // instead of using the email index.
    .limit(literalLimit(rows.length * 10)),
);

const LIKE_ESCAPE = "\\";

/** Text matched literally by LIKE: its wildcards (`%`, `_`) and the escape itself are escaped. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => LIKE_ESCAPE + c);
}

/** Rows per multi-row insert: eleven columns each keeps a statement well under either engine's limit on parameters. */
const INSERT_CHUNK = 250;

export class ResourceRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  async get(spaceId: string, name: string): Promise<CatalogResource | undefined> {
    const row = await this.db
      .selectFrom("resources")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("name", "=", name)
      .executeTakeFirst();
    return row && toResource(row);
  }

  async getMany(spaceId: string, names: string[]): Promise<CatalogResource[]> {
    if (names.length === 0) return [];
    const rows = await this.db.selectFrom("resources").selectAll().where("space_id", "=", spaceId).where("name", "in", names).execute();
    return rows.map(toResource);
  }

  /** Catalog entries for the given identities (see `resourceKey`), keyed by identity. */
  async findByIdentity(spaceId: string, identityKeys: string[]): Promise<Map<string, CatalogResource>> {
    const found = new Map<string, CatalogResource>();
    if (identityKeys.length === 0) return found;
    const { rows } = await selectByIdentity.execute(
      this.db,
      identityKeys.map((identityKey) => ({ spaceId, identityKey })),
    );
    for (const row of rows) found.set(row.identity_key, toResource(row));
    return found;
  }

  /** People (resources whose kind names a user) with these emails, any case. */
  async findPeopleByEmail(spaceId: string, emails: string[]): Promise<CatalogResource[]> {
    if (emails.length === 0) return [];
    const { rows } = await selectPeopleByEmail.execute(
      this.db,
      emails.map((email) => ({ spaceId, email: email.toLowerCase() })),
    );
    return rows.map(toResource).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** People (resources whose kind names a user) with this id: how a manager named by id is found. */
  async findPeopleById(spaceId: string, id: string): Promise<CatalogResource[]> {
    const rows = await this.db
      .selectFrom("resources")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where("resource_id", "=", id)
      .where(sql<boolean>`lower(kind) LIKE '%user%'`)
      .limit(literalLimit(10))
      .execute();
    return rows.map(toResource);
  }

  async insert(spaceId: string, resource: CatalogResource): Promise<void> {
    await this.db.insertInto("resources").values(toRow(spaceId, resource)).execute();
  }

  /** Inserts many at once, a few hundred rows a statement. */
  async insertMany(spaceId: string, resources: CatalogResource[]): Promise<void> {
    for (let i = 0; i < resources.length; i += INSERT_CHUNK) {
      await this.db
        .insertInto("resources")
        .values(resources.slice(i, i + INSERT_CHUNK).map((r) => toRow(spaceId, r)))
        .execute();
    }
  }

  /** Replaces the resource stored under `name`. */
  async update(spaceId: string, resource: CatalogResource): Promise<void> {
    const { space_id, name, created_at, ...changes } = toRow(spaceId, resource);
    await this.db.updateTable("resources").set(changes).where("space_id", "=", space_id).where("name", "=", name).execute();
  }

  async delete(spaceId: string, names: string[]): Promise<number> {
    if (names.length === 0) return 0;
    const result = await this.db.deleteFrom("resources").where("space_id", "=", spaceId).where("name", "in", names).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async list(spaceId: string, query: ResourceListQuery): Promise<CatalogResource[]> {
    let q = this.db
      .selectFrom("resources")
      .selectAll()
      .where("space_id", "=", spaceId)
      .where(labelSelectorCondition(this.dialect, "labels", query.selector, COLUMN_LABELS));
    if (query.view) {
      // Indent's integrations tell people from things by kind: anything whose kind mentions
      // "user" (or the bot kind) is a person.
      const isPerson = sql<boolean>`(lower(kind) LIKE '%user%' OR lower(kind) = 'indent.v1.bot')`;
      q = query.view === "people" ? q.where(isPerson) : q.where(sql<boolean>`NOT ${isPerson}`);
      if (query.view === "requestable") {
        const deactivated = this.dialect.jsonText("labels", DEACTIVATED_LABEL);
        q = q.where(sql<boolean>`(${deactivated} IS NULL OR ${deactivated} <> 'true')`);
      }
    }
    if (query.search) {
      const pattern = `%${escapeLike(query.search.toLowerCase())}%`;
      const contains = (column: string) => sql<boolean>`lower(${sql.ref(column)}) LIKE ${pattern} ESCAPE ${LIKE_ESCAPE}`;
      q = q.where(sql<boolean>`(${sql.join(["resource_id", "display_name", "email", "name"].map(contains), sql` OR `)})`);
    }
    if (query.kind) q = q.where("kind", "=", query.kind);
    if (query.after !== undefined) q = q.where("name", ">", query.after);
    const rows = await q.orderBy("name").limit(literalLimit(query.limit)).execute();
    return rows.map(toResource);
  }
}

function toRow(spaceId: string, r: CatalogResource): Database["resources"] {
  return {
    space_id: spaceId,
    name: r.name,
    identity_key: resourceKey(r),
    kind: r.kind,
    resource_id: r.id,
    display_name: r.displayName ?? null,
    email: r.email ?? null,
    alt_ids: toJson(r.altIds ?? []),
    labels: toJson(r.labels),
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

function toResource(row: Database["resources"]): CatalogResource {
  const resource: CatalogResource = {
    name: row.name,
    kind: row.kind,
    id: row.resource_id,
    labels: fromJson<Record<string, string>>(row.labels),
    createdAt: toMillis(row.created_at),
    updatedAt: toMillis(row.updated_at),
  };
  if (row.display_name !== null) resource.displayName = row.display_name;
  if (row.email !== null) resource.email = row.email;
  const altIds = fromJson<string[]>(row.alt_ids);
  if (altIds.length > 0) resource.altIds = altIds;
  return resource;
}
