import type { FastifyRequest } from "fastify";
import type { Context } from "../../services/runtime/context.js";
import { withIdempotencyKey, type IdempotencyKey, type IdempotentResponse } from "../../services/runtime/idempotency.js";
import { requestFingerprint } from "../fingerprint.js";

/**
 * The request's Idempotency-Key and what makes the request itself (method, path, body), or
 * undefined when it sent no key. `method` is the one the fingerprint records, so verbs that
 * mean the same (PUT and POST of resources:bulkUpdate) count as the same request.
 */
export function idempotencyOf(request: FastifyRequest, method: string): IdempotencyKey | undefined {
  const header = request.headers["idempotency-key"];
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined) return undefined;
  return { key, fingerprint: requestFingerprint(method, request.url, request.body) };
}

/**
 * Says of an answer that is a replay that it is one (`Idempotent-Replayed`); the route then
 * sends it as it sends any answer, typed and serialized by its response schema.
 */
export function markReplay(reply: { header(name: string, value: string): unknown }, result: { replayed: boolean }): void {
  if (result.replayed) reply.header("idempotent-replayed", "true");
}

/**
 * Runs a write under the request's Idempotency-Key, answering `statusCode` with what `write`
 * returns (or the stored answer to an earlier request with the key), and marks a replay.
 */
export async function idempotentWrite<Body, Status extends number>(
  request: FastifyRequest,
  reply: { header(name: string, value: string): unknown },
  ctx: Context,
  method: string,
  statusCode: Status,
  write: (ctx: Context) => Promise<Body>,
): Promise<IdempotentResponse<Body, Status>> {
  const result = await withIdempotencyKey({
    ctx,
    idempotency: idempotencyOf(request, method),
    run: async (inner) => ({ statusCode, body: await write(inner) }),
  });
  markReplay(reply, result);
  return result;
}
