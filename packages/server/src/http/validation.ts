import { Ajv, type Options, type ValidateFunction } from "ajv";
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

/**
 * Each route's validator is compiled when the route is first called, not when the server
 * starts: compiling every route's schemas up front took most of a second of a start, and a
 * server restarted with nothing changed should answer within moments. Fastify reads a failed
 * validation's `errors` from the function it was given, so the wrapper carries them over.
 */
export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  let compiled: ValidateFunction | undefined;
  const validate = (data: unknown): boolean => {
    compiled ??= (httpPart === "body" ? bodyAjv : textAjv).compile(schema);
    const valid = compiled(data);
    validate.errors = compiled.errors;
    return valid;
  };
  validate.errors = undefined as ValidateFunction["errors"];
  return validate;
};
