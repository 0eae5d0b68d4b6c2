import type { FastifyReply, FastifyRequest } from "fastify";
import type { IdempotencyKey, IdempotentResponse } from "../../services/runtime/idempotency.js";
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

/** Sends a response that may be a replay; replays say so in `Idempotent-Replayed`. */
export function sendIdempotent(reply: FastifyReply, result: IdempotentResponse): FastifyReply {
  if (result.replayed) void reply.header("idempotent-replayed", "true");
  return reply.status(result.statusCode).send(result.body);
}
