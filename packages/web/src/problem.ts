import { GreenlightError } from "@greenlight/sdk";

/**
 * What to tell a person when a call fails: the server's message (it says what went wrong and
 * what to do), with the field at fault when the server names one.
 */
export function problemOf(error: unknown): string {
  if (error instanceof GreenlightError) {
    const field = error.field && !error.message.includes(error.field) ? ` (${error.field})` : "";
    return `${error.message}${field}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Whether the server refused because the caller's roles do not allow it. */
export function isForbidden(error: unknown): boolean {
  return error instanceof GreenlightError && (error.status === 403 || error.code === "FORBIDDEN");
}
