import { callIndentWebhook, IndentWebhookError, type IndentWebhookTarget } from "./webhook-call.js";

/**
 * Calls a decision webhook (Indent's GetDecision): POST `{events: [access/request]}`, signed,
 * and reads `{status, claims}`. Any failure (see `callIndentWebhook`) is thrown; the caller
 * treats it as no opinion.
 */
export type DecisionTarget = IndentWebhookTarget;

const MAX_RESPONSE_BYTES = 1024 * 1024;

export async function requestDecision(target: DecisionTarget, requestEvent: unknown, now: Date): Promise<unknown[]> {
  const { claims } = await callIndentWebhook(target, { events: [requestEvent] }, now, MAX_RESPONSE_BYTES);
  if (claims === undefined || claims === null) return [];
  if (!Array.isArray(claims)) throw new IndentWebhookError("its claims are not a list");
  return claims;
}
