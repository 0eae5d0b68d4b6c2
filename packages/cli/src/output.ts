import { ApprovalError, GreenlightError } from "@greenlight/sdk";

/** Exit codes: 0 done, 1 refused or failed, 2 the command was used wrongly. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export type Format = "text" | "json";

export function parseFormat(value: string): Format {
  if (value !== "text" && value !== "json") throw new UsageError(`-o must be text or json, not ${JSON.stringify(value)}`);
  return value;
}

/** A mistake in how the command was called (exit 2). */
export class UsageError extends Error {}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Rows as aligned columns under a header. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  process.stdout.write(`${[line(header), ...rows.map(line)].join("\n")}\n`);
}

/** Says what went wrong and how to fix it, on stderr, and gives the exit code. */
export function reportError(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`greenlight: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof ApprovalError) {
    process.stderr.write(`greenlight: ${error.message}\n`);
    return EXIT.failed;
  }
  if (error instanceof GreenlightError) {
    const hint = hints.get(error) ?? HINTS[error.code] ?? "";
    const request = error.requestId ? ` (request ${error.requestId})` : "";
    process.stderr.write(`greenlight: ${error.code}: ${error.message}${request}${hint ? `\n  ${hint}` : ""}\n`);
    return EXIT.failed;
  }
  process.stderr.write(`greenlight: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT.failed;
}

const hints = new WeakMap<GreenlightError, string>();

/** Gives a server's error what to do about it in this command, printed under it in place of its code's usual hint. */
export function withHint(error: GreenlightError, hint: string): GreenlightError {
  hints.set(error, hint);
  return error;
}

const HINTS: Record<string, string> = {
  UNAUTHENTICATED: "check the token: greenlight login --token <token>, or GREENLIGHT_API_TOKEN",
  NETWORK: "is the server running? check the URL: greenlight login --url <url>, or GREENLIGHT_API_URL",
  FORBIDDEN: "your roles in the space do not allow this; ask an admin of the space",
  STEP_UP_REQUIRED: "high-risk petitions are approved only in the web UI, after signing in again there: open the petition's link above",
};

export function shortTime(rfc3339: string | undefined): string {
  return rfc3339 ? rfc3339.replace("T", " ").replace(/\.\d+Z$/, "Z") : "";
}
