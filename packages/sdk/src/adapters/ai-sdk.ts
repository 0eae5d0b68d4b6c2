import { requestApproval, type ApprovalOutcome } from "../agent-approval.js";
import { GreenlightAPI } from "../client.js";
import { guardToolCall, type ToolApprovalOptions } from "./guard.js";

/** The part of a Vercel AI SDK tool these adapters use (typed structurally: no dependency on `ai`). */
export interface AiSdkToolLike {
  execute?: (input: never, options: never) => unknown;
}

/**
 * Wraps AI SDK tools so that each call runs only once a person approved that exact call in
 * Greenlight: `execute` files a petition for the tool and its arguments, waits for the
 * decision, checks the receipt, then runs. A call not granted fails with an `ApprovalError`,
 * which the AI SDK hands the model as the tool's error (with the reviewer's reason).
 *
 * @example
 * import { generateText } from "ai";
 * import { withGreenlightTools } from "@greenlight/sdk";
 * const tools = withGreenlightTools({ deleteProject }, { waitMs: 5 * 60_000 });
 * await generateText({ model, tools, prompt: "delete the unused projects" });
 */
export function withGreenlightTools<TOOLS extends Record<string, AiSdkToolLike>>(
  tools: TOOLS,
  options: ToolApprovalOptions & { only?: Array<keyof TOOLS & string> } = {},
): TOOLS {
  const out: Record<string, AiSdkToolLike> = {};
  for (const [name, tool] of Object.entries(tools)) {
    const execute = tool.execute as ((input: unknown, execOptions: { abortSignal?: AbortSignal }) => unknown) | undefined;
    if (!execute || (options.only && !options.only.includes(name))) {
      out[name] = tool;
      continue;
    }
    out[name] = {
      ...tool,
      execute: async (input: unknown, execOptions: { abortSignal?: AbortSignal }) => {
        await guardToolCall(name, input, options, execOptions?.abortSignal);
        return execute.call(tool, input, execOptions);
      },
    } as AiSdkToolLike;
  }
  return out as TOOLS;
}

/** An AI SDK `tool-approval-request` part (from `result.content` or a stream). */
export interface ToolApprovalRequestLike {
  type: "tool-approval-request";
  approvalId: string;
  toolCall: { toolName: string; input: unknown };
}

/** What goes back to the AI SDK in a `{ role: "tool" }` message. */
export interface ToolApprovalResponseLike {
  type: "tool-approval-response";
  approvalId: string;
  approved: boolean;
  reason?: string;
}

/**
 * The AI SDK's own tool approval (`needsApproval: true`), decided in Greenlight: for each
 * `tool-approval-request` in `parts`, files a petition for the tool and its arguments and
 * waits; returns the responses for the decided ones (approved only if granted, with the
 * reviewer's reason) to send back as a tool message, and the outcomes still pending, to ask
 * about again later (asking again finds the same petitions).
 *
 * @example
 * const result = await generateText({ model, tools, messages });
 * const { responses } = await answerToolApprovals(result.content);
 * messages.push(...result.response.messages, { role: "tool", content: responses });
 * await generateText({ model, tools, messages }); // runs the approved calls
 */
export async function answerToolApprovals(
  parts: ReadonlyArray<{ type: string }>,
  options: Omit<ToolApprovalOptions, "verifyReceipt"> = {},
): Promise<{ responses: ToolApprovalResponseLike[]; pending: ApprovalOutcome[] }> {
  const client = options.client ?? new GreenlightAPI();
  const requests = parts.filter((part): part is ToolApprovalRequestLike => part.type === "tool-approval-request");
  const outcomes = await Promise.all(
    requests.map(async (request) => {
      const { toolName, input } = request.toolCall;
      const text = options.describe?.(toolName, input) ?? { what: `run ${toolName}`, why: `arguments: ${JSON.stringify(input)}` };
      const outcome = await requestApproval(
        { ...text, operation: { tool: toolName, arguments: input }, ...(options.duration ? { duration: options.duration } : {}) },
        { client, waitMs: options.waitMs ?? 600_000, receipt: false, ...(options.onWaiting ? { onWaiting: options.onWaiting } : {}) },
      );
      return { request, outcome };
    }),
  );
  const responses: ToolApprovalResponseLike[] = [];
  const pending: ApprovalOutcome[] = [];
  for (const { request, outcome } of outcomes) {
    if (outcome.status === "pending") {
      pending.push(outcome);
      continue;
    }
    responses.push({
      type: "tool-approval-response",
      approvalId: request.approvalId,
      approved: outcome.status === "granted",
      reason: outcome.reason ?? outcome.message,
    });
  }
  return { responses, pending };
}
