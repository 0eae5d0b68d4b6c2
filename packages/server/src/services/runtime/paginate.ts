import { createHash } from "node:crypto";
import { decodePageToken, encodePageToken, resolvePageSize } from "../../domain/paging.js";

export interface PageRequest {
  pageSize?: number;
  pageToken?: string;
}

/**
 * One page of a list ordered by a unique key. It reads one item more than the page holds, to
 * know whether another page follows. The page token binds the position to the list's filters
 * (`filters`), so a token cannot be replayed against another list.
 */
export async function paginate<T>(
  request: PageRequest,
  filters: string[],
  read: (after: string | undefined, limit: number) => Promise<T[]>,
  keyOf: (item: T) => string,
): Promise<{ items: T[]; nextPageToken: string }> {
  const limit = resolvePageSize(request.pageSize);
  const fingerprint = createHash("sha256").update(filters.join("\u0000")).digest("base64url").slice(0, 16);
  const after = request.pageToken ? decodePageToken(request.pageToken, fingerprint).after : undefined;
  const page = await read(after, limit + 1);
  const hasMore = page.length > limit;
  const items = hasMore ? page.slice(0, limit) : page;
  return { items, nextPageToken: hasMore ? encodePageToken({ after: keyOf(items[items.length - 1]!), query: fingerprint }) : "" };
}
