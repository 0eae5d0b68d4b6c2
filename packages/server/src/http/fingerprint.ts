import { createHash } from "node:crypto";

/**
 * What makes two requests "the same request" for an Idempotency-Key: method, path and body,
 * with object keys sorted so that field order does not matter.
 */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash("sha256").update(method).update("\u0000").update(path).update("\u0000").update(canonicalJson(body)).digest("base64url");
}

export function canonicalJson(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}
