import { actorKey } from "../../domain/actor.js";
import { DomainError, invalidArgument } from "../../domain/errors.js";
import { joinTransaction } from "../../store/store.js";
import type { Context } from "./context.js";

/** What a request answers: a status of the route's and the body its response schema describes. */
export interface Response<Body, Status extends number = number> {
  statusCode: Status;
  body: Body;
}

/** An Idempotency-Key and the fingerprint of the request that carried it. */
export interface IdempotencyKey {
  key: string;
  fingerprint: string;
}

export interface IdempotentResponse<Body, Status extends number = number> extends Response<Body, Status> {
  /** True when this is the stored answer to an earlier request with the same key. */
  replayed: boolean;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * Stripe-style Idempotency-Key handling, scoped to (space, caller). The first request's
 * response is stored in the same transaction as its effects; the same key with the same
 * request (same `fingerprint`) gets that response again, with nothing done twice; the same key
 * with a different request is refused with 422. A request that fails stores nothing (its
 * transaction rolled back), so it can be retried with the same key. Requests with one key are
 * serialised by the store, so one still running is never executed twice.
 */
export async function withIdempotencyKey<Body, Status extends number>({
  ctx,
  idempotency,
  run,
}: {
  ctx: Context;
  idempotency: IdempotencyKey | undefined;
  run: (ctx: Context) => Promise<Response<Body, Status>>;
}): Promise<IdempotentResponse<Body, Status>> {
  return withIdempotencyKeyPrepared({ ctx, idempotency, prepare: async () => undefined, run });
}

/**
 * The same, for a request with work to do before its transaction (network calls, which must
 * not hold a transaction open): `prepare` runs first, outside, unless the key already has a
 * stored answer; `run` gets what it prepared, inside the transaction.
 */
export async function withIdempotencyKeyPrepared<P, Body, Status extends number>({
  ctx,
  idempotency,
  prepare,
  run,
}: {
  ctx: Context;
  idempotency: IdempotencyKey | undefined;
  prepare: (ctx: Context) => Promise<P>;
  run: (ctx: Context, prepared: P) => Promise<Response<Body, Status>>;
}): Promise<IdempotentResponse<Body, Status>> {
  if (idempotency === undefined) return { ...(await run(ctx, await prepare(ctx))), replayed: false };
  const { key, fingerprint } = idempotency;
  if (!KEY_PATTERN.test(key)) {
    throw invalidArgument("the Idempotency-Key header must be 1 to 255 printable ASCII characters, such as a UUID", "Idempotency-Key");
  }
  const principal = actorKey(ctx.actor);
  const replay = (stored: { fingerprint: string; statusCode: number; response: string }): IdempotentResponse<Body, Status> => {
    if (stored.fingerprint !== fingerprint) {
      throw new DomainError(
        "IDEMPOTENCY_KEY_REUSED",
        "this Idempotency-Key was already used for a different request; use a new key for a new request",
      );
    }
    // Stored from this route's own answer, under the same fingerprint.
    return { statusCode: stored.statusCode as Status, body: JSON.parse(stored.response) as Body, replayed: true };
  };
  const seen = await ctx.store.read.idempotency.find(ctx.space.id, principal, key);
  if (seen) return replay(seen);
  const prepared = await prepare(ctx);
  return ctx.store.transaction(async (tx) => {
    const stored = await tx.idempotency.find(ctx.space.id, principal, key);
    if (stored) return replay(stored);
    // The request runs inside this transaction, so its effects and the stored response
    // commit together.
    const response = await run({ ...ctx, store: joinTransaction(ctx.store, tx) }, prepared);
    await tx.idempotency.insert(
      ctx.space.id,
      principal,
      key,
      { fingerprint, statusCode: response.statusCode, response: JSON.stringify(response.body) },
      ctx.clock.now(),
    );
    return { ...response, replayed: false };
  });
}
