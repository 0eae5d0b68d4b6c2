import { Ajv, type Options } from "ajv";
import addFormats from "ajv-formats";
import type { FastifySchemaCompiler } from "fastify";

/**
 * Two validators: bodies are checked strictly as JSON (no type coercion: `"5"` is not a
 * number, and unknown fields are errors, not silently removed); query strings and path
 * parameters are text by nature, so there numbers and booleans are coerced from strings.
 */
const shared: Options = { allErrors: false, strict: false, useDefaults: false };
const bodyAjv = addFormats.default(new Ajv({ ...shared, coerceTypes: false, removeAdditional: false }));
const textAjv = addFormats.default(new Ajv({ ...shared, coerceTypes: "array", removeAdditional: false }));

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === "body" ? bodyAjv : textAjv).compile(schema);
