/**
 * The closed list of failures the service reports. Every layer throws `DomainError`; the HTTP
 * layer maps each code to one status in one table (`http/errors.ts`), so the compiler checks
 * that every code has an answer.
 */
export type ErrorCode =
  | "INVALID_ARGUMENT"
  /** A change would send stored secrets to a new destination: the request must send them again. */
  | "SECRET_REQUIRED"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "INVALID_TRANSITION"
  | "SELF_REVIEW"
  /** The action needs a recent strong sign-in by a person (a high-risk approval); the message says how to get one. */
  | "STEP_UP_REQUIRED"
  | "IDEMPOTENCY_KEY_REUSED"
  | "IDEMPOTENCY_KEY_IN_USE"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "RATE_LIMITED"
  | "UNAVAILABLE"
  | "INTERNAL";

export class DomainError extends Error {
  override readonly name = "DomainError";

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The input field at fault, as a JSON path such as `petition.resources[0].kind`. */
    readonly field?: string,
  ) {
    super(message);
  }
}

export function invalidArgument(message: string, field?: string): DomainError {
  return new DomainError("INVALID_ARGUMENT", message, field);
}

export function notFound(message: string): DomainError {
  return new DomainError("NOT_FOUND", message);
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
