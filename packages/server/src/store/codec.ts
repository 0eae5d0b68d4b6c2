/** Converting between column values and domain values, for both engines. */

export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

/** SQLite returns JSON columns as text; PostgreSQL's driver returns jsonb already parsed. */
export function fromJson<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

/** PostgreSQL returns bigint as a string. */
export function toMillis(value: number | string): number {
  return typeof value === "number" ? value : Number(value);
}

export function toMillisOrNull(value: number | string | null): number | null {
  return value === null ? null : toMillis(value);
}
