import { DomainError } from "../domain/errors.js";

/**
 * What the engines' own errors mean to the rest of the server, decided here once so that no
 * service looks at a driver's error codes.
 */

interface CodedError {
  code?: unknown;
  constraint?: unknown;
  message?: unknown;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as CodedError | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * A unique or primary-key violation: better-sqlite3's `SQLITE_CONSTRAINT_UNIQUE` /
 * `_PRIMARYKEY`, PostgreSQL's SQLSTATE 23505.
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

/**
 * A transaction that lost a race the database detected: PostgreSQL's serialization failure
 * (40001) or deadlock (40P01). Running it again from the start is the remedy.
 */
export function isSerializationFailure(error: unknown): boolean {
  const code = codeOf(error);
  return code === "40001" || code === "40P01";
}

/** Node's socket errors, and pg's own words when a connection ends or cannot be made in time. */
const CONNECTION_ERRNOS = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"]);
const CONNECTION_MESSAGES = [
  "Connection terminated",
  "timeout exceeded when trying to connect",
  "Client has encountered a connection error",
  "Connection ended unexpectedly",
  "Client was closed and is not queryable",
];

/**
 * The database cannot be reached, or it ended the connection: SQLSTATE class 08 (connection
 * exception), 57P01–57P03 (the server is shutting down or starting), 53300 (too many
 * connections), or a socket error. Not the request's fault, and worth retrying.
 */
export function isConnectionFailure(error: unknown): boolean {
  const code = codeOf(error);
  if (code !== undefined) {
    if (code.startsWith("08") || code === "57P01" || code === "57P02" || code === "57P03" || code === "53300") return true;
    if (CONNECTION_ERRNOS.has(code)) return true;
  }
  const message = (error as CodedError | null)?.message;
  if (typeof message === "string" && CONNECTION_MESSAGES.some((m) => message.includes(m))) return true;
  // A pool that could not connect reports the errors of each address it tried.
  const errors = (error as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) && errors.length > 0 && errors.every(isConnectionFailure);
}

export function databaseUnavailable(cause: unknown): DomainError {
  const error = new DomainError("UNAVAILABLE", "the database is unreachable at the moment; retry in a few seconds");
  (error as { cause?: unknown }).cause = cause;
  return error;
}

/**
 * The error a transaction's caller sees. A unique violation that reaches the end of a
 * transaction means a concurrent request made the same row first (the services look before
 * they insert, so only a race gets here): CONFLICT, as for any lost race. A lost connection
 * is UNAVAILABLE. Domain errors and anything else pass unchanged.
 */
export function toStoreError(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  if (isUniqueViolation(error)) {
    const conflict = new DomainError("CONFLICT", "a concurrent request changed the same data first; read it again and retry");
    (conflict as { cause?: unknown }).cause = error;
    return conflict;
  }
  if (isConnectionFailure(error)) return databaseUnavailable(error);
  return error;
}
