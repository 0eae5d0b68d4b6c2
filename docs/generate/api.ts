import { Anchors, code, codeList, fullStop, heading, link, page, sentences, slug, table, text } from "./markdown.js";

/** A JSON Schema as the OpenAPI document has it. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  description?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  propertyNames?: Schema;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  maxProperties?: number;
  pattern?: string;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}

interface Content {
  content?: Record<string, { schema?: Schema }>;
  description?: string;
  required?: boolean;
}

interface Operation {
  summary?: string;
  description?: string;
  operationId?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: Content;
  responses?: Record<string, Content>;
  security?: Record<string, string[]>[];
}

export interface OpenApiDocument {
  info?: { title?: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components?: {
    schemas?: Record<string, Schema>;
    securitySchemes?: Record<string, { type: string; scheme?: string; description?: string }>;
  };
  security?: Record<string, string[]>[];
}

/** An operation of the document, where it is on the page. */
interface PlacedOperation {
  method: string;
  path: string;
  group: string;
  anchor: string;
  operation: Operation;
}

export const HTTP_METHODS = ["get", "put", "post", "patch", "delete", "head", "options", "trace"];

/** The order of the groups on the page, the work of the API first; any other group follows, by name. */
const GROUP_ORDER = [
  "petitions",
  "claims",
  "grants",
  "resources",
  "policies",
  "roles",
  "spaces",
  "service accounts",
  "tokens",
  "webhooks",
  "slack",
  "audit",
  "auth",
  "system",
];

/** The answer fastify-swagger gives a response that names none: it says nothing. */
const PLACEHOLDER_DESCRIPTION = "Default Response";

const SCHEMA_PREFIX = "#/components/schemas/";
const ERROR_SCHEMA = "Error";

const INTRO =
  "Greenlight's HTTP API, operation by operation, with the shapes of what each takes and answers, as the server's " +
  "OpenAPI document describes them (a running server serves the same document at `/openapi.json`). Operations are " +
  "grouped by what they work on; bodies are JSON; the shapes they name are under [Schemas](#schemas) at the end.";

/** The HTTP API reference, from the OpenAPI document the server builds from its routes (`openApiDocument()`). */
export function renderApiReference(document: OpenApiDocument): string {
  const anchors = new Anchors();
  const schemas = document.components?.schemas ?? {};
  const placed = placeOperations(document);
  const commonErrors = mostCommonErrors(placed);
  const groups = [...new Set(placed.map((op) => op.group))];

  const body = [
    heading(2, "Authentication", anchors.add("authentication")),
    ...authentication(document),
    heading(2, "Errors", anchors.add("errors")),
    ...errors(schemas, commonErrors),
    ...groups.flatMap((group) => [
      heading(2, text(capitalize(group)), anchors.add(slug(group))),
      ...placed.filter((op) => op.group === group).flatMap((op) => operationSection(op, document, commonErrors, anchors)),
    ]),
    heading(2, "Schemas", anchors.add("schemas")),
    ...Object.keys(schemas)
      .sort()
      .flatMap((name) => schemaSection(name, schemas[name]!, anchors)),
  ];
  return page({
    title: "HTTP API",
    source: "the server's OpenAPI document (openApiDocument() in packages/server/src/http/openapi-document.ts)",
    generator: "docs/generate/api.ts",
    intro: INTRO,
    body,
  });
}

/** Every operation with its group and anchor, in the order of the page. */
function placeOperations(document: OpenApiDocument): PlacedOperation[] {
  const placed = Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => item[method]).map((method) => {
      const operation = item[method]!;
      const group = operation.tags?.[0] ?? groupOfPath(path);
      return { method, path, group, anchor: slug(operation.operationId ?? `${method} ${path}`), operation };
    }),
  );
  const rank = (group: string) => (GROUP_ORDER.includes(group) ? GROUP_ORDER.indexOf(group) : GROUP_ORDER.length);
  // Within a group the document's order stays: the order the server registers its routes in.
  return placed.sort((a, b) => rank(a.group) - rank(b.group) || (rank(a.group) === GROUP_ORDER.length ? byName(a.group, b.group) : 0));
}

/** An untagged operation's group: what it works on, such as `petitions` in /v1/spaces/{space}/petitions/{petition}. */
function groupOfPath(path: string): string {
  const segments = path
    .split("/")
    .filter(Boolean)
    .map((segment) => segment.replace(/:.*$/, ""));
  const rest = segments[0] === "v1" ? segments.slice(1) : segments;
  const inSpace = rest[0] === "spaces" && rest.length > 2 ? rest.slice(2) : rest;
  return inSpace[0] ?? "system";
}

function authentication(document: OpenApiDocument): string[] {
  const schemes = Object.entries(document.components?.securitySchemes ?? {}).sort(([a], [b]) => byName(a, b));
  return [
    "Each operation's **Auth** line names the credentials it takes, from the schemes below; **none** means the document " +
      "names none for it: the operation is public, or checks something else, such as a browser session or a signature, as its summary says.",
    ...schemes.map(([name, scheme]) => {
      const how =
        scheme.type === "http" && scheme.scheme === "bearer"
          ? "an `Authorization: Bearer …` header with a token"
          : `${text(scheme.type)}${scheme.scheme ? ` (${text(scheme.scheme)})` : ""}`;
      return `- ${code(name)}: ${how}${scheme.description ? `: ${text(scheme.description)}` : ""}.`;
    }),
  ];
}

/** The statuses of an operation's failures that answer with the error envelope. */
function errorStatuses(operation: Operation): string[] {
  return Object.entries(operation.responses ?? {})
    .filter(([status, response]) => status >= "400" && refName(bodySchema(response)) === ERROR_SCHEMA)
    .map(([status]) => status);
}

/** The set of failures most operations list, described once under Errors rather than at each. */
function mostCommonErrors(placed: readonly PlacedOperation[]): string[] {
  const counts = new Map<string, number>();
  for (const { operation } of placed) {
    const key = errorStatuses(operation).join(",");
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const [key] = [...counts].sort(([a, x], [b, y]) => y - x || byName(a, b))[0] ?? [""];
  return key ? key.split(",") : [];
}

function errors(schemas: Record<string, Schema>, common: readonly string[]): string[] {
  const envelope = schemas[ERROR_SCHEMA];
  return [
    ...(envelope
      ? [
          `A request that fails is answered with a status of 400 or more and a body of one shape, ${link(ERROR_SCHEMA, schemaAnchor(ERROR_SCHEMA))}:`,
          ...schemaBlock(envelope),
        ]
      : ["A request that fails is answered with a status of 400 or more."]),
    common.length > 0
      ? `Most operations may fail with any of ${codeList(common)}; they say **Errors: the usual ones**. Others list theirs.`
      : "",
  ].filter(Boolean);
}

function operationSection(op: PlacedOperation, document: OpenApiDocument, commonErrors: readonly string[], anchors: Anchors): string[] {
  const { operation } = op;
  const blocks = [
    heading(3, `${op.method.toUpperCase()} ${code(op.path)}`, anchors.add(op.anchor)),
    operation.summary ? fullStop(text(operation.summary)) : "",
    operation.description ? text(operation.description) : "",
    `**Auth:** ${authOf(operation, document)}`,
  ];
  const parameters = sortedParameters(op.path, operation.parameters ?? []);
  if (parameters.length > 0)
    blocks.push(
      "**Parameters**",
      table(
        ["Name", "In", "Type", "Required", "Description"],
        parameters.map((p) => [code(p.name), p.in, typeOf(p.schema ?? {}), p.required ? "yes" : "", notes(p.schema ?? {}, p.description)]),
      ),
    );
  if (operation.requestBody) {
    const [mediaType = "application/json", content] = Object.entries(operation.requestBody.content ?? {})[0] ?? [];
    const required = operation.requestBody.required ? "required" : "optional";
    blocks.push(...bodyBlocks(`**Request body** (${code(mediaType)}, ${required})`, content?.schema));
  }
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    if (errorStatuses(operation).includes(status)) continue;
    const [mediaType, content] = Object.entries(response.content ?? {})[0] ?? [];
    const said = response.description;
    const described = said && said !== PLACEHOLDER_DESCRIPTION && said !== content?.schema?.description ? [text(said)] : [];
    blocks.push(...bodyBlocks(`**Response ${status}**${mediaType ? ` (${code(mediaType)})` : ""}`, content?.schema), ...described);
  }
  const failures = errorStatuses(operation);
  if (failures.length > 0) {
    const usual = failures.join(",") === commonErrors.join(",");
    blocks.push(
      `**Errors:** ${usual ? link("the usual ones", "errors") : `${codeList(failures)} (${link("the error envelope", "errors")})`}`,
    );
  }
  return blocks.filter(Boolean);
}

function authOf(operation: Operation, document: OpenApiDocument): string {
  const requirements = operation.security ?? document.security ?? [];
  const names = [...new Set(requirements.flatMap((requirement) => Object.keys(requirement)))];
  return names.length === 0 ? "none" : names.map((name) => link(name, "authentication")).join(" or ");
}

/** Path parameters first, in the order the path names them; then the others in the document's order. */
function sortedParameters(path: string, parameters: readonly Parameter[]): Parameter[] {
  const at = (p: Parameter) => (p.in === "path" ? path.indexOf(`{${p.name}}`) : Number.MAX_SAFE_INTEGER);
  return [...parameters].sort((a, b) => at(a) - at(b));
}

function schemaSection(name: string, schema: Schema, anchors: Anchors): string[] {
  return [
    heading(3, text(name), anchors.add(schemaAnchor(name))),
    ...(name === ERROR_SCHEMA ? [`The error envelope: see ${link("Errors", "errors")}.`] : schemaBlock(schema)),
  ];
}

function schemaAnchor(name: string): string {
  return `schema-${slug(name)}`;
}

/**
 * A schema as blocks of the page: a link to a named one; a table of an object's fields, with the
 * fields of the objects inside it under dotted names; or, for a choice of shapes, each in turn.
 */
function schemaBlock(schema: Schema): string[] {
  const intro = schema.description ? [text(schema.description)] : [];
  if (schema.$ref) return [refLink(schema), ...intro];
  if (isChoiceOfShapes(schema)) {
    const variants = variantsOf(schema);
    const orNull = variants.length < (schema.anyOf ?? schema.oneOf)!.length ? ["Or `null`."] : [];
    if (variants.length === 1) return [...intro, ...schemaBlock(variants[0]!), ...orNull];
    const tag = variantTag(variants);
    return [
      ...intro,
      ...variants.flatMap((variant, i) => {
        if (tag) return [when(variant, tag), ...schemaBlock(variant)];
        const lead = `${i === 0 ? "Either" : "Or"} ${withArticle(typeOf(variant))}`;
        if (hasFields(variant)) return [`${lead}:`, ...schemaBlock(variant)];
        const said = notes(variant);
        return [`${lead}${said ? `: ${said}` : "."}`];
      }),
      ...orNull,
    ];
  }
  if (hasFields(schema)) {
    const rows = fieldRows(schema, "");
    return [...intro, rows.length > 0 ? table(["Field", "Type", "Required", "Description"], rows) : "An object with no fields."];
  }
  const said = notes(schema);
  return [`${capitalize(typeOf(schema))}${said ? `: ${said}` : "."}`];
}

/** An operation's request or response body: `lead`, then the body's schema, on the same line when it is short. */
function bodyBlocks(lead: string, schema: Schema | undefined): string[] {
  if (!schema) return [`${lead}: the document describes no body.`];
  if (schema.$ref && !schema.description) return [`${lead}: ${refLink(schema)}`];
  if (!schema.$ref && !hasFields(schema) && !isChoiceOfShapes(schema)) {
    const said = notes(schema);
    return [`${lead}: ${typeOf(schema)}${said ? ` — ${said}` : ""}`];
  }
  return [`${lead}:`, ...schemaBlock(schema)];
}

/** Rows of the fields of an object and of the objects in it, named `a.b`, `a[].b` (in a list) and `a.*.b` (in a map). */
function fieldRows(schema: Schema, prefix: string, condition = ""): string[][] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([name, field]) => [
    [code(prefix + name), typeOf(field), required.has(name) ? "yes" : "", [condition, notes(field)].filter(Boolean).join(" ")],
    ...nestedRows(field, prefix + name, condition),
  ]);
}

function nestedRows(field: Schema, name: string, condition: string): string[][] {
  if (hasFields(field)) return fieldRows(field, `${name}.`, condition);
  if (field.type === "array" && field.items) return nestedRows(field.items, `${name}[]`, condition);
  if (typeof field.additionalProperties === "object" && !field.properties)
    return nestedRows(field.additionalProperties, `${name}.*`, condition);
  const variants = variantsOf(field).filter(hasFields);
  if (variants.length <= 1) return variants.flatMap((variant) => fieldRows(variant, `${name}.`, condition));
  const tag = variantTag(variants);
  return variants.flatMap((variant, i) =>
    fieldRows(variant, `${name}.`, tag ? when(variant, tag) : `Shape ${i + 1} of ${variants.length}:`),
  );
}

/** Whether a schema is a choice between shapes, rather than between a few values of one type. */
function isChoiceOfShapes(schema: Schema): boolean {
  const choice = schema.anyOf ?? schema.oneOf;
  return choice !== undefined && !enumOfChoice(choice);
}

/** The alternatives of a choice of shapes, null left out (typeOf says "or null"); the schema itself when it is no choice. */
function variantsOf(schema: Schema): Schema[] {
  const choice = schema.anyOf ?? schema.oneOf;
  return choice ? choice.filter((variant) => variant.type !== "null") : [schema];
}

/** The field that tells the alternatives apart, when there is one: it has one value in each, a different one. */
function variantTag(variants: readonly Schema[]): string | undefined {
  return Object.keys(variants[0]?.properties ?? {}).find((field) => {
    const values = variants.map((variant) => singleValue(variant.properties?.[field]));
    return values.every((value) => value !== undefined) && new Set(values.map((value) => JSON.stringify(value))).size === values.length;
  });
}

function when(variant: Schema, tag: string): string {
  return `When ${code(tag)} is ${codeList([singleValue(variant.properties?.[tag])])}:`;
}

function singleValue(schema: Schema | undefined): unknown {
  return schema?.const ?? (schema?.enum?.length === 1 ? schema.enum[0] : undefined);
}

function withArticle(type: string): string {
  if (/^(integer|object|array|any)\b/.test(type)) return `an ${type}`;
  if (/^(string|number|boolean|map)\b/.test(type)) return `a ${type}`;
  return type;
}

function hasFields(schema: Schema): boolean {
  return !schema.$ref && !schema.anyOf && !schema.oneOf && schema.properties !== undefined;
}

/** A schema's type in a few words, named schemas as links. */
function typeOf(schema: Schema): string {
  if (schema.$ref) return refLink(schema);
  if (schema.const !== undefined) return code(JSON.stringify(schema.const));
  const choice = schema.anyOf ?? schema.oneOf;
  if (choice) {
    if (enumOfChoice(choice)) return typeOf(choice[0]!);
    return [...new Set(choice.map(typeOf))].join(" or ");
  }
  if (schema.allOf) return schema.allOf.map(typeOf).join(" and ");
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length === 0) return schema.properties ? "object" : "any";
  return types
    .map((type) => {
      if (type === "array") return schema.items ? `array of ${typeOf(schema.items)}` : "array";
      if (type === "object" && !schema.properties && typeof schema.additionalProperties === "object")
        return `map of ${typeOf(schema.additionalProperties)}`;
      if (type === "string" && schema.format) return `string (${text(schema.format)})`;
      return type;
    })
    .join(" or ");
}

/** The values a schema allows, when it names them. */
function valuesOf(schema: Schema): unknown[] | undefined {
  const choice = schema.anyOf ?? schema.oneOf;
  return schema.enum ?? (choice ? enumOfChoice(choice) : undefined);
}

/** The values of a choice whose every alternative is one value, as TypeBox writes a union of literals. */
function enumOfChoice(choice: readonly Schema[]): unknown[] | undefined {
  const values = choice.map(singleValue);
  return values.every((value) => value !== undefined) ? values : undefined;
}

/** What a schema says beyond its type: its description, values, default and limits. */
function notes(schema: Schema, description = schema.description): string {
  const parts = description ? [text(description)] : [];
  const values = valuesOf(schema);
  if (values) parts.push(values.length === 1 ? `Always ${codeList(values)}.` : `One of ${codeList(values)}.`);
  const itemValues = schema.items && valuesOf(schema.items);
  if (itemValues) parts.push(`Each ${codeList(itemValues)}.`);
  if (schema.default !== undefined) parts.push(`Default ${code(JSON.stringify(schema.default))}.`);
  const limits = [
    range(schema.minLength, schema.maxLength, "characters"),
    range(schema.minimum, schema.maximum, ""),
    range(schema.minItems, schema.maxItems, "items"),
    range(undefined, schema.maxProperties, "entries"),
    schema.pattern ? `matching ${code(schema.pattern)}` : "",
    schema.propertyNames ? keyLimits(schema.propertyNames) : "",
  ].filter(Boolean);
  if (limits.length > 0) parts.push(`${capitalize(limits.join("; "))}.`);
  return sentences(parts);
}

function keyLimits(names: Schema): string {
  const limits = [range(names.minLength, names.maxLength, "characters"), names.pattern ? `matching ${code(names.pattern)}` : ""].filter(
    Boolean,
  );
  return limits.length > 0 ? `keys ${limits.join(", ")}` : "";
}

function range(min: number | undefined, max: number | undefined, unit: string): string {
  const of = unit ? ` ${unit}` : "";
  if (min !== undefined && max !== undefined) return min === max ? `exactly ${min}${of}` : `${min} to ${max}${of}`;
  if (max !== undefined) return `at most ${max}${of}`;
  if (min !== undefined && min > 0) return `at least ${min}${of}`;
  if (min !== undefined && !unit) return `at least ${min}`;
  return "";
}

function bodySchema(response: Content): Schema | undefined {
  return Object.values(response.content ?? {})[0]?.schema;
}

/** A link to the named schema `schema` refers to, under Schemas. */
function refLink(schema: Schema): string {
  const name = refName(schema);
  if (name === undefined) throw new Error(`${schema.$ref} is not a schema of the document's components`);
  return link(name, schemaAnchor(name));
}

function refName(schema: Schema | undefined): string | undefined {
  return schema?.$ref?.startsWith(SCHEMA_PREFIX) ? schema.$ref.slice(SCHEMA_PREFIX.length) : undefined;
}

/** Names in a fixed order, whatever the locale. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function capitalize(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}
