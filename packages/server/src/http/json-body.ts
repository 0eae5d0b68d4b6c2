import type { FastifyInstance } from "fastify";
import secureJsonParse from "secure-json-parse";
import { DomainError } from "../domain/errors.js";

/**
 * The only body type accepted is JSON. Parsing refuses `__proto__` and `constructor.prototype`
 * keys (prototype pollution) and says where a syntax error is, so the message helps fix the
 * body. Any other content type is answered 415.
 */
export function acceptJsonBodiesOnly(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, parseJson);
  app.addContentTypeParser(/^application\/[\w.+-]+\+json$/, { parseAs: "string" }, parseJson);
}

function parseJson(_request: unknown, body: string | Buffer, done: (error: Error | null, value?: unknown) => void): void {
  const text = String(body);
  if (text.trim() === "") {
    done(new DomainError("INVALID_ARGUMENT", "the body is empty but Content-Type says JSON; send a JSON object"), undefined);
    return;
  }
  try {
    done(null, secureJsonParse.parse(text, null, { protoAction: "error", constructorAction: "error" }));
  } catch (error) {
    const message =
      error instanceof SyntaxError && !/prototype/i.test(error.message)
        ? `the body is not valid JSON: ${error.message}`
        : "the body uses the reserved key __proto__ or constructor.prototype; remove it";
    done(new DomainError("INVALID_ARGUMENT", message), undefined);
  }
}
