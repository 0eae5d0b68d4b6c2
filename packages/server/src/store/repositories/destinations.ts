import type { Kysely } from "kysely";
import type { Destination } from "../../domain/destination.js";
import { toMillis, toMillisOrNull } from "../codec.js";
import { literalLimit } from "../limit.js";
import type { Database } from "../schema.js";
import type { SealedColumns, SecretBox } from "../secret-box.js";

/**
 * The one way destinations are stored (webhooks, event subscriptions, on-call providers, Slack
 * apps; a provisioner's targets next). Every kind's table has the columns of `Destination` (and
 * `name` when a space may have many, `disabled_*` when it can be turned off); a kind describes
 * only its own columns and which of them are sealed, and this reads, writes, seals, re-seals
 * and records health the same way for all.
 */
export type DestinationTableName = "webhooks" | "subscriptions" | "oncall_providers" | "slack_apps";

/** The columns every destination table shares, handled here. */
type CommonColumn =
  | "space_id"
  | "name"
  | "created_at"
  | "updated_at"
  | "last_success_at"
  | "last_error"
  | "last_error_at"
  | "disabled_at"
  | "disabled_reason";
type CommonField = keyof Destination | "name" | "disabledAt" | "disabledReason";
type SealedColumn<Name extends DestinationTableName> = Extract<keyof Database[Name], `${string}_sealed`>;
/** What sealing needs of a kind, whatever its values. */
type Sealing<Name extends DestinationTableName> = Pick<DestinationTable<Name, Destination>, "table" | "sealing" | "named" | "sealed">;

/** How one kind of destination is stored. */
export interface DestinationTable<Name extends DestinationTableName, T extends Destination> {
  table: Name;
  /** What its sealed values are bound to, ahead of the row's space and name: `webhook` seals as `webhook:spc_1/okta/secret`. */
  sealing: string;
  /** Whether a space may have many, each named; false for one a space (the Slack app), found by its space alone. */
  named: boolean;
  /** Whether it can be turned off (`disabled_at`, `disabled_reason`). */
  switchable: boolean;
  /** Every sealed column, with the last part of the context it is bound to (null for a row's only secret). */
  sealed: Record<SealedColumn<Name>, string | null>;
  /** Its own columns, its secrets sealed with `seal`. */
  toRow(value: T, seal: (column: SealedColumn<Name>, plaintext: string) => string): Omit<Database[Name], CommonColumn>;
  /** Its own fields, its secrets opened with `open`. */
  fromRow(row: Database[Name], open: (column: SealedColumn<Name>) => string): Omit<T, CommonField>;
}

/** A destination's row, as the query builder sees any of these tables. */
type AnyRow = Record<string, unknown>;

export class DestinationRepository<Name extends DestinationTableName, T extends Destination> {
  // The table as a plain name: Kysely's types cannot follow a table chosen by a type parameter.
  private readonly rows: Kysely<Record<string, AnyRow>>;
  private readonly table: string;

  constructor(
    db: Kysely<Database>,
    private readonly box: SecretBox,
    private readonly spec: DestinationTable<Name, T>,
  ) {
    this.rows = db as unknown as Kysely<Record<string, AnyRow>>;
    this.table = spec.table;
  }

  /** The space's destination of that name (for a kind a space has one of, the name is not asked). */
  async get(spaceId: string, name?: string): Promise<T | undefined> {
    const row = await this.rows
      .selectFrom(this.table)
      .selectAll()
      .where((eb) => eb.and(this.key(spaceId, name)))
      .executeTakeFirst();
    return row && this.toValue(row);
  }

  /** The space's destinations by name, a page at a time when `page` is given. */
  async list(spaceId: string, page?: { after?: string; limit: number }): Promise<T[]> {
    let q = this.rows.selectFrom(this.table).selectAll().where("space_id", "=", spaceId);
    if (page?.after !== undefined) q = q.where("name", ">", page.after);
    q = q.orderBy("name");
    const rows = await (page ? q.limit(literalLimit(page.limit)) : q).execute();
    return rows.map((row) => this.toValue(row));
  }

  async getMany(spaceId: string, names: string[]): Promise<T[]> {
    if (names.length === 0) return [];
    const rows = await this.rows.selectFrom(this.table).selectAll().where("space_id", "=", spaceId).where("name", "in", names).execute();
    return rows.map((row) => this.toValue(row));
  }

  async insert(value: T): Promise<void> {
    await this.rows.insertInto(this.table).values(this.toRow(value)).execute();
  }

  /** Writes every column but those that name the row and when it was made. */
  async update(value: T): Promise<void> {
    const { space_id, name, created_at, ...changes } = this.toRow(value);
    await this.rows
      .updateTable(this.table)
      .set(changes)
      .where((eb) => eb.and(this.key(String(space_id), name as string | undefined)))
      .execute();
  }

  async delete(spaceId: string, name?: string): Promise<boolean> {
    const result = await this.rows
      .deleteFrom(this.table)
      .where((eb) => eb.and(this.key(spaceId, name)))
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Stops sending to one that said it is gone; an admin turns it back on. */
  async disable(spaceId: string, name: string, reason: string, at: number): Promise<void> {
    if (!this.spec.switchable) throw new Error(`${this.spec.table} cannot be turned off`);
    await this.rows
      .updateTable(this.table)
      .set({ disabled_at: at, disabled_reason: reason })
      .where((eb) => eb.and(this.key(spaceId, name)))
      .execute();
  }

  /** Records how the last call went, without touching the configuration. */
  async recordOutcome(spaceId: string, name: string | undefined, outcome: { at: number; error: string | null }): Promise<void> {
    const health = outcome.error === null ? { last_success_at: outcome.at } : { last_error: outcome.error, last_error_at: outcome.at };
    await this.rows
      .updateTable(this.table)
      .set(health)
      .where((eb) => eb.and(this.key(spaceId, name)))
      .execute();
  }

  /** Some columns of the space's rows, without opening any secret: what routing reads. */
  protected async columnsOf<C extends keyof Database[Name] & string>(
    spaceId: string,
    columns: C[],
  ): Promise<Array<Pick<Database[Name], C>>> {
    const rows = await this.rows.selectFrom(this.table).select(columns).where("space_id", "=", spaceId).execute();
    return rows as unknown as Array<Pick<Database[Name], C>>;
  }

  /** The columns that find a row, and their values. */
  private key(spaceId: string, name: string | undefined): AnyRow {
    return this.spec.named ? { space_id: spaceId, name } : { space_id: spaceId };
  }

  private toRow(value: T): AnyRow {
    const v = value as T & { name?: string; disabledAt?: number | null; disabledReason?: string | null };
    const context = (column: SealedColumn<Name>) => sealingContext(this.spec, value.spaceId, v.name, column);
    return {
      space_id: value.spaceId,
      ...(this.spec.named ? { name: v.name } : {}),
      ...this.spec.toRow(value, (column, plaintext) => this.box.seal(plaintext, context(column))),
      created_at: value.createdAt,
      updated_at: value.updatedAt,
      last_success_at: value.lastSuccessAt,
      last_error: value.lastError,
      last_error_at: value.lastErrorAt,
      ...(this.spec.switchable ? { disabled_at: v.disabledAt, disabled_reason: v.disabledReason } : {}),
    };
  }

  private toValue(raw: AnyRow): T {
    const row = raw as Database[Name] & AnyRow;
    const name = this.spec.named ? String(row["name"]) : undefined;
    const open = (column: SealedColumn<Name>) =>
      this.box.open(String(row[column]), sealingContext(this.spec, String(row["space_id"]), name, column));
    const millisOrNull = (column: string) => toMillisOrNull(row[column] as number | string | null);
    return {
      spaceId: row["space_id"],
      ...(name !== undefined ? { name } : {}),
      ...this.spec.fromRow(row, open),
      createdAt: toMillis(row["created_at"] as number | string),
      updatedAt: toMillis(row["updated_at"] as number | string),
      lastSuccessAt: millisOrNull("last_success_at"),
      lastError: row["last_error"],
      lastErrorAt: millisOrNull("last_error_at"),
      ...(this.spec.switchable ? { disabledAt: millisOrNull("disabled_at"), disabledReason: row["disabled_reason"] } : {}),
    } as unknown as T;
  }
}

/** `webhook:spc_1/okta/secret`: a sealed value opens only in the row, and the column, it was sealed for. */
function sealingContext<Name extends DestinationTableName>(
  spec: Sealing<Name>,
  spaceId: string,
  name: string | undefined,
  column: SealedColumn<Name>,
): string {
  const part = spec.sealed[column];
  return `${spec.sealing}:${[spaceId, ...(spec.named ? [name] : []), ...(part === null ? [] : [part])].join("/")}`;
}

/** Where a kind keeps sealed secrets, for sealing them again under a new secret key. */
export function sealedColumnsOf<Name extends DestinationTableName>(spec: Sealing<Name>): SealedColumns {
  const columns = Object.keys(spec.sealed) as Array<SealedColumn<Name>>;
  return {
    table: spec.table,
    key: spec.named ? ["space_id", "name"] : ["space_id"],
    columns: Object.fromEntries(
      columns.map((column) => [
        column,
        (row: AnyRow) => sealingContext(spec, String(row["space_id"]), spec.named ? String(row["name"]) : undefined, column),
      ]),
    ),
  };
}
