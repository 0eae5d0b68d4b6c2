/** Converting between column values and domain values, for both engines. */

/**
 * PostgreSQL's jsonb cannot hold the NUL character, so JSON is written with NUL as U+E000
 * followed by "0", and U+E000 itself as U+E000 "E" (both as `\ue000` escapes, so the text
 * stays ASCII there), and read back through the inverse: see `fromJson`, and the PostgreSQL
 * driver, which decodes the documents jsonb hands back already parsed. JSON written before
 * holds no `\ue000` escape (JSON.stringify never writes one) and reads as it always did.
 */
export function toJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (!json.includes("\\u0000") && !json.includes("\uE000")) return json;
  // Escaped backslashes are consumed in pairs, so `\\u0000` (a backslash, then "u0000") stays.
  return json.replace(/\\(\\|u0000)|\uE000/g, (match: string, escaped: string | undefined) =>
    escaped === "\\" ? match : escaped === "u0000" ? "\\ue0000" : "\\ue000E",
  );
}

/** SQLite returns JSON columns as text; PostgreSQL's driver returns jsonb already parsed. */
export function fromJson<T>(value: unknown): T {
  if (typeof value !== "string") return value as T;
  const parsed: unknown = JSON.parse(value);
  return (value.includes("\\ue000") ? decodeNul(parsed) : parsed) as T;
}

/** The inverse of `toJson`'s encoding, on every string of a parsed document. */
export function decodeNul(value: unknown): unknown {
  if (typeof value === "string") {
    return value.includes("\uE000") ? value.replace(/\uE000([0E])/g, (_, c: string) => (c === "0" ? "\u0000" : "\uE000")) : value;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = decodeNul(value[i]);
    return value;
  }
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const record = value as Record<string, unknown>;
    for (const key in record) record[key] = decodeNul(record[key]);
  }
  return value;
}

/** PostgreSQL returns bigint as a string. */
export function toMillis(value: number | string): number {
  return typeof value === "number" ? value : Number(value);
}

export function toMillisOrNull(value: number | string | null): number | null {
  return value === null ? null : toMillis(value);
}
