import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { DomainError, isDomainError, type ErrorCode } from "../domain/errors.js";
import { StepUpRequired } from "../domain/step-up.js";

/** One status per error code; the compiler checks every code has one. */
export const STATUS: Record<ErrorCode, number> = {
  INVALID_ARGUMENT: 400,
  SECRET_REQUIRED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  SELF_REVIEW: 403,
  // RFC 9470: the token is valid, the authentication behind it is not enough (with a WWW-Authenticate challenge).
  STEP_UP_REQUIRED: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  IDEMPOTENCY_KEY_IN_USE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; requestId: string; field?: string };
}

export function errorEnvelope(error: DomainError, requestId: string): ErrorEnvelope {
  const body: ErrorEnvelope = { error: { code: error.code, message: error.message, requestId } };
  if (error.field !== undefined) body.error.field = error.field;
  return body;
}

/**
 * Every failure leaves through here, once: domain errors keep their code; Fastify's own
 * (validation, bad JSON, body too large, wrong content type) become domain errors with a
 * message that says what to fix; anything else is logged with the request id and answered
 * as INTERNAL without internals.
 */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  const domain = toDomainError(error);
  if (domain.code === "INTERNAL") request.log.error({ err: error }, "unhandled error");
  const status = STATUS[domain.code];
  if (domain instanceof StepUpRequired) void reply.header("www-authenticate", stepUpChallenge(domain));
  void reply
    .status(status)
    .type("application/json")
    .send(errorEnvelope(domain, String(request.id)));
}

function toDomainError(error: FastifyError | Error): DomainError {
  if (isDomainError(error)) return error;
  const fastify = error as FastifyError & {
    validation?: Array<{ instancePath: string; message?: string; params?: Record<string, unknown> }>;
    validationContext?: string;
  };
  if (fastify.validation && fastify.validation.length > 0)
    return validationError(fastify.validation[0]!, fastify.validationContext ?? "body");
  switch (fastify.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new DomainError("PAYLOAD_TOO_LARGE", "the request body is larger than this server accepts (GREENLIGHT_MAX_BODY_BYTES)");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new DomainError("UNSUPPORTED_MEDIA_TYPE", "send the body as JSON with Content-Type: application/json");
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new DomainError("INVALID_ARGUMENT", "the Content-Length header does not match the body");
    case "FST_ERR_BAD_URL":
      return new DomainError(
        "INVALID_ARGUMENT",
        "the URL has a malformed percent-encoding; encode each path segment with encodeURIComponent",
      );
    case "FST_ERR_MAX_PARAM_LENGTH":
      return new DomainError("INVALID_ARGUMENT", "a path segment of the URL is longer than 256 characters; names are shorter than that");
  }
  if (typeof fastify.statusCode === "number" && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    return new DomainError(fastify.statusCode === 404 ? "NOT_FOUND" : "INVALID_ARGUMENT", error.message);
  }
  return new DomainError("INTERNAL", "the server failed to handle this request; quote the requestId when reporting it");
}

function validationError(
  issue: { instancePath: string; message?: string; params?: Record<string, unknown> },
  context: string,
): DomainError {
  const path = issue.instancePath.split("/").filter(Boolean);
  const extra = issue.params?.additionalProperty;
  if (typeof extra === "string") {
    const where = [context, ...path].join(".");
    return new DomainError(
      "INVALID_ARGUMENT",
      `${where} has an unknown field "${extra}"; remove it or check its spelling`,
      [...path, extra].join("."),
    );
  }
  const missing = issue.params?.missingProperty;
  if (typeof missing === "string") {
    return new DomainError("INVALID_ARGUMENT", `${[context, ...path, missing].join(".")} is required`, [...path, missing].join("."));
  }
  const field = path.join(".");
  return new DomainError("INVALID_ARGUMENT", `${[context, ...path].join(".")} ${issue.message ?? "is not valid"}`, field || undefined);
}

/** RFC 9470's challenge: what kind of authentication is missing, and how recent it must be. */
function stepUpChallenge(error: StepUpRequired): string {
  return `Bearer error="insufficient_user_authentication", error_description="a recent sign-in with the identity provider or a passkey is required", max_age=${error.maxAgeSeconds}`;
}
