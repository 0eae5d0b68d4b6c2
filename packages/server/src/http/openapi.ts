import type { SwaggerOptions } from "@fastify/swagger";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Document = { paths?: Json; components?: { schemas?: Record<string, Json> } & Record<string, Json> } & Record<string, unknown>;

/**
 * /openapi.json, built by @fastify/swagger from the routes' schemas (`contract/`). Every
 * schema with a `title` is a named shape: it is listed once under `components.schemas` by that
 * name and referenced wherever it is used, so clients (and the SDK's generated types) see
 * `Petition`, `Grant`, … rather than the same shape copied into every route.
 */
export function openApiOptions(version: string): SwaggerOptions {
  return {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Greenlight API",
        version,
        description: "Approvals and just-in-time access, wire-compatible with Indent's v1 API.",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
    transformObject: (document) =>
      nameSharedSchemas(("openapiObject" in document ? document.openapiObject : document.swaggerObject) as Document),
  } as SwaggerOptions;
}

/**
 * Moves each titled schema under the paths into `components.schemas` and refers to it there.
 * Two different schemas with one title are a mistake in the contract, refused here (the SDK's
 * type check builds this document, so the mistake never reaches a client).
 */
export function nameSharedSchemas<D extends Document>(document: D): D {
  const named = new Map<string, { schema: Json; text: string }>();
  const visit = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== "object") return node;
    const out: { [key: string]: Json } = {};
    for (const [key, value] of Object.entries(node)) out[key] = visit(value);
    // In a `properties` map, a field called `title` holds a schema, never a string.
    const title = node["title"];
    if (typeof title !== "string") return out;
    const text = canonical(out);
    const earlier = named.get(title);
    if (earlier && earlier.text !== text) throw new Error(`two different schemas are named ${title} in the API's contract`);
    named.set(title, { schema: out, text });
    return { $ref: `#/components/schemas/${title}` };
  };
  const paths = visit(document.paths ?? {});
  const schemas: Record<string, Json> = { ...document.components?.schemas };
  for (const title of [...named.keys()].sort()) schemas[title] = named.get(title)!.schema;
  return { ...document, paths, components: { ...document.components, schemas } };
}

/** JSON with sorted keys, to compare two schemas whatever order their keys were written in. */
function canonical(value: Json): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key]!)}`).join(",")}}`;
}
