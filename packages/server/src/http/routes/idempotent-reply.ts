import type { FastifyReply, FastifyRequest } from "fastify";
import type { IdempotentResponse } from "../../services/idempotency.js";

export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const value = request.headers["idempotency-key"];
  return Array.isArray(value) ? value[0] : value;
}

/** Sends a response that may be a replay; replays say so in `Idempotent-Replayed`. */
export function sendIdempotent(reply: FastifyReply, result: IdempotentResponse): FastifyReply {
  if (result.replayed) void reply.header("idempotent-replayed", "true");
  return reply.status(result.statusCode).send(result.body);
}
