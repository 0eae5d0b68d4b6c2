import { invalidArgument } from "./errors.js";

/**
 * Page tokens are opaque to clients: the sort key of the last item returned, bound to the
 * list query that produced it so a token cannot be replayed against another query.
 */
export interface PageCursor {
  /** The last item's sort key (an id). */
  after: string;
  /** A digest of the query's filters. */
  query: string;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

export function encodePageToken(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.after, cursor.query])).toString("base64url");
}

export function decodePageToken(token: string, query: string): PageCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== "string" || typeof parsed[1] !== "string") {
    throw invalidArgument(
      "pageToken is not a token this server issued; pass the nextPageToken of the previous page, or leave it empty for the first page",
      "pageToken",
    );
  }
  if (parsed[1] !== query) {
    throw invalidArgument(
      "pageToken belongs to a list with other filters; repeat the same filters as the first page, or start again without a pageToken",
      "pageToken",
    );
  }
  return { after: parsed[0], query };
}

export function resolvePageSize(pageSize: number | undefined): number {
  if (pageSize === undefined || pageSize === 0) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 0 || pageSize > MAX_PAGE_SIZE) {
    throw invalidArgument(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE} (0 or absent means ${DEFAULT_PAGE_SIZE})`, "pageSize");
  }
  return pageSize;
}
