import { requestApproval, type ApprovalOutcome, type WaitOptions } from "../agent-approval.js";
import { GreenlightAPI } from "../client.js";
import { ApprovalError, type ErrorKind } from "../errors.js";
import { ReceiptError, verifyReceipt, type PublicJwk } from "../receipt.js";

/** How an agent framework's tool calls are routed to Greenlight. */
export interface ToolApprovalOptions {
  /** The client to ask with; by default one configured from the environment. */
  client?: GreenlightAPI;
  /** How long one call waits for a decision, in ms (default 10 minutes). */
  waitMs?: number;
  /** What reviewers read about a call; by default the tool's name and its arguments. */
  describe?: (tool: string, args: unknown) => { what: string; why?: string };
  /** How long an approval should last, as a Go duration ("15m"); the reviewer decides in the end. */
  duration?: string;
  /** Check the approval receipt against the server's keys before running the tool (default true). */
  verifyReceipt?: boolean;
  /** Called while a call waits for a decision (after 2 s, then each time the wait has doubled), for progress lines. */
  onWaiting?: WaitOptions["onWaiting"];
}

const keyCache = new WeakMap<GreenlightAPI, Promise<{ keys: PublicJwk[] }>>();

/**
 * Asks for approval of one tool call and waits; resolves with the outcome once granted (and
 * its receipt verified), and rejects with an `ApprovalError` otherwise: `denied`, `expired`,
 * `cancelled`, or `waiting` (not decided in time; the same call asked again finds the same
 * petition, and goes through at once when granted).
 */
export async function guardToolCall(
  tool: string,
  args: unknown,
  options: ToolApprovalOptions,
  signal?: AbortSignal,
): Promise<ApprovalOutcome> {
  const client = options.client ?? new GreenlightAPI();
  const text = options.describe?.(tool, args) ?? { what: `run ${tool}`, why: `arguments: ${preview(args)}` };
  const outcome = await requestApproval(
    { ...text, operation: { tool, arguments: args }, ...(options.duration ? { duration: options.duration } : {}) },
    {
      client,
      waitMs: options.waitMs ?? 600_000,
      ...(signal ? { signal } : {}),
      ...(options.onWaiting ? { onWaiting: options.onWaiting } : {}),
    },
  );
  if (outcome.status !== "granted") throw new ApprovalError(kindOf(outcome), outcome.message);
  if (options.verifyReceipt ?? true) {
    if (!outcome.receipt) throw new ApprovalError("unknown", `petition ${outcome.petition} was granted but the server gave no receipt`);
    const expected = { space: client.spaceName, tool, arguments: args };
    let keys = keyCache.get(client);
    if (!keys) keyCache.set(client, (keys = client.signingKeys()));
    try {
      await verifyReceipt(outcome.receipt, { ...expected, keys: await keys });
    } catch (error) {
      if (!(error instanceof ReceiptError && error.reason === "unknown-key")) throw error;
      // The server may have rotated its key since the keys were fetched: fetch them again, once.
      keyCache.set(client, (keys = client.signingKeys()));
      await verifyReceipt(outcome.receipt, { ...expected, keys: await keys });
    }
  }
  return outcome;
}

function kindOf(outcome: ApprovalOutcome): ErrorKind {
  switch (outcome.status) {
    case "pending":
      return "waiting";
    case "timed_out":
    case "expired":
      return "expired";
    case "cancelled":
      return "cancelled";
    default:
      return "denied";
  }
}

function preview(args: unknown): string {
  const json = JSON.stringify(args) ?? "null";
  return json.length > 500 ? `${json.slice(0, 500)}…` : json;
}
