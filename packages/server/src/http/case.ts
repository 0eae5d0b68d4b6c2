import { invalidArgument } from "../domain/errors.js";

/**
 * Indent's gateway accepted snake_case as well as camelCase field names (grpc-gateway does),
 * so request bodies and query strings are converted to camelCase before validation. Map
 * fields hold user data whose keys must stay as written (`labels`, `flags`), so their keys
 * are left alone. Nesting is bounded: no Indent shape is deeper than a few levels, and a
 * hostile body must not exhaust the stack.
 */
const MAP_FIELDS = new Set(["labels", "flags", "headers", "matchLabels"]);
const MAX_DEPTH = 32;

export function camelizeKeys(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw invalidArgument(`the request body nests deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) return value.map((item) => camelizeKeys(item, depth + 1));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const name = toCamel(key);
    // A camelCase spelling wins over a snake_case one of the same field.
    if (name !== key && Object.hasOwn(value, name)) continue;
    out[name] = MAP_FIELDS.has(name) ? copyMap(child, depth + 1) : camelizeKeys(child, depth + 1);
  }
  return out;
}

function copyMap(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return camelizeKeys(value, depth);
  return { ...value };
}

/** `page_size` → `pageSize`; a leading underscore (`_original`) is kept. */
export function toCamel(key: string): string {
  if (!key.includes("_")) return key;
  const lead = /^_*/.exec(key)![0];
  return lead + key.slice(lead.length).replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}
