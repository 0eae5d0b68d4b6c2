import { callIndentWebhook, IndentWebhookError, type IndentWebhookTarget } from "./webhook-call.js";

/**
 * Calls a pull webhook (Indent's PullUpdate): POST `{kinds, flags}`, signed, and reads
 * `{status?, resources[]}`, the resources the integration found (groups, roles, users…).
 */
export type PullTarget = IndentWebhookTarget;

/** Directories are big: an Okta org's users, with their labels, may run to many megabytes. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export async function requestPull(target: PullTarget, kinds: string[], flags: Record<string, string>, now: Date): Promise<unknown[]> {
  const { resources } = await callIndentWebhook(target, { kinds, flags }, now, MAX_RESPONSE_BYTES);
  if (resources === undefined || resources === null) return [];
  if (!Array.isArray(resources)) throw new IndentWebhookError("its resources are not a list");
  return resources;
}
