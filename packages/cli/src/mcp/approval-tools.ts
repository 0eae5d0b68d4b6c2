import { checkApproval, GreenlightError, requestApproval, type ApprovalOutcome, type GreenlightAPI } from "@greenlight/sdk";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { CallToolResult, ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

export interface ApprovalToolOptions {
  /** The Greenlight client every tool call goes through. */
  client: GreenlightAPI;
  /** How long a call waits for a decision when it names no wait, in ms. */
  defaultWaitMs: number;
  /** The longest wait a call may ask for, in ms. */
  maxWaitMs: number;
  /**
   * While a call waits, how often to send progress notifications (when the client asked for
   * them with a progress token), so clients that reset their timeout on progress keep waiting.
   */
  progressEveryMs: number;
  version: string;
}

const STATUSES = ["granted", "denied", "expired", "timed_out", "cancelled", "pending"] as const;

/** What request_approval and check_approval answer: the outcome, and how to go on. */
const outcomeShape = {
  status: z.enum(STATUSES).describe("granted | denied | expired | timed_out | cancelled | pending (not decided yet)"),
  petition: z.string().describe("the petition's name; pass it to check_approval to keep waiting"),
  space: z.string(),
  reason: z.string().optional().describe("the reviewer's (or policy's) reason"),
  decidedBy: z.array(z.string()),
  expireTime: z.string().optional().describe("when granted access ends (RFC 3339)"),
  receipt: z.string().optional().describe("a signed approval receipt (JWT) for the exact tool and arguments, when granted"),
  resume: z
    .object({ tool: z.literal("check_approval"), petition: z.string(), createsNewPetition: z.literal(false) })
    .optional()
    .describe("when pending: call check_approval with this petition to keep waiting; it does not create a second petition"),
  message: z.string(),
};

const waitSeconds = z.number().int().min(0).optional().describe("how long to wait for a decision, in seconds, before answering pending");

/**
 * An MCP server whose tools ask Greenlight for approval: `request_approval` (files a petition
 * and waits up to a bound), `check_approval` (the outcome of one filed before, waiting again),
 * and `list_my_grants`. Every answer is structured content an agent can branch on.
 */
export function approvalServer(options: ApprovalToolOptions): McpServer {
  const server = new McpServer({ name: "greenlight", version: options.version });
  const waitMsOf = (seconds: number | undefined) =>
    Math.min(seconds === undefined ? options.defaultWaitMs : seconds * 1000, options.maxWaitMs);

  server.registerTool(
    "request_approval",
    {
      title: "Request approval",
      description:
        "Ask a person to approve something before you do it, and wait for the decision. Pass the exact tool and arguments you will run to get a receipt bound to them. Answers granted, denied (with the reviewer's reason), expired, timed_out, cancelled, or pending (then call check_approval with the petition; asking again never files a second request).",
      inputSchema: {
        what: z.string().min(1).max(1000).describe("what you want to do, in words a reviewer reads"),
        why: z.string().max(3000).optional().describe("why it is needed"),
        resources: z
          .array(z.object({ kind: z.string().min(1), id: z.string().min(1), displayName: z.string().optional() }))
          .optional()
          .describe("what access is asked for; an action named after `what` (or `tool`) when left out"),
        duration: z.string().optional().describe('how long the approval should last, as a duration such as "30m" or "2h"'),
        tool: z.string().min(1).optional().describe("the tool you will call once approved"),
        arguments: z.record(z.string(), z.unknown()).optional().describe("the exact arguments you will call it with"),
        onBehalfOf: z.string().email().optional().describe("the person you act for, when your token lets you act for them"),
        waitSeconds,
      },
      outputSchema: outcomeShape,
      annotations: { readOnlyHint: false, idempotentHint: true, openWorldHint: true },
    },
    async (input, extra) =>
      answer(extra, options.progressEveryMs, () =>
        requestApproval(
          {
            what: input.what,
            ...(input.why ? { why: input.why } : {}),
            ...(input.resources ? { resources: input.resources } : {}),
            ...(input.duration ? { duration: input.duration } : {}),
            ...(input.tool ? { operation: { tool: input.tool, arguments: input.arguments ?? {} } } : {}),
            ...(input.onBehalfOf ? { petitioners: [{ kind: "user", email: input.onBehalfOf }] } : {}),
          },
          { client: options.client, waitMs: waitMsOf(input.waitSeconds), signal: extra.signal },
        ),
      ),
  );

  server.registerTool(
    "check_approval",
    {
      title: "Check approval",
      description:
        "The current outcome of a request made with request_approval, by its petition name; waits again up to waitSeconds while it is pending. Never files a new request.",
      inputSchema: { petition: z.string().min(1).describe("the petition name request_approval answered"), waitSeconds },
      outputSchema: outcomeShape,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async (input, extra) =>
      answer(extra, options.progressEveryMs, () =>
        checkApproval(input.petition, { client: options.client, waitMs: waitMsOf(input.waitSeconds), signal: extra.signal }),
      ),
  );

  server.registerTool(
    "list_my_grants",
    {
      title: "List my grants",
      description: "The access currently granted to you (active grants): what, since when and until when.",
      inputSchema: {},
      outputSchema: {
        grants: z.array(
          z.object({
            grant: z.string(),
            petition: z.string(),
            resource: z.object({ kind: z.string(), id: z.string().optional(), displayName: z.string().optional() }),
            startTime: z.string(),
            expireTime: z.string().optional(),
          }),
        ),
      },
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async () => {
      try {
        const { grants } = await options.client.grant.list({ status: "active", pageSize: 100 });
        const structured = {
          grants: grants.map((grant) => ({
            grant: grant.name,
            petition: grant.petitionName,
            resource: {
              kind: grant.resource.kind,
              ...(grant.resource.id ? { id: grant.resource.id } : {}),
              ...(grant.resource.displayName ? { displayName: grant.resource.displayName } : {}),
            },
            startTime: grant.startTime,
            ...(grant.expireTime ? { expireTime: grant.expireTime } : {}),
          })),
        };
        return { content: [{ type: "text", text: JSON.stringify(structured) }], structuredContent: structured };
      } catch (error) {
        return failure(error);
      }
    },
  );
  return server;
}

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

async function answer(extra: Extra, progressEveryMs: number, run: () => Promise<ApprovalOutcome>): Promise<CallToolResult> {
  const progressToken = extra._meta?.progressToken;
  let ticks = 0;
  const timer =
    progressToken === undefined
      ? undefined
      : setInterval(() => {
          ticks += 1;
          extra
            .sendNotification({
              method: "notifications/progress",
              params: {
                progressToken,
                progress: ticks,
                message: `waiting for a reviewer (${Math.round((ticks * progressEveryMs) / 1000)}s)`,
              },
            })
            .catch(() => undefined);
        }, progressEveryMs);
  try {
    const outcome = await run();
    const structured = {
      ...outcome,
      ...(outcome.status === "pending"
        ? { resume: { tool: "check_approval" as const, petition: outcome.petition, createsNewPetition: false as const } }
        : {}),
    };
    return { content: [{ type: "text", text: JSON.stringify(structured) }], structuredContent: structured };
  } catch (error) {
    return failure(error);
  } finally {
    clearInterval(timer);
  }
}

/** A failed call (not a decision): the server's message, so the model can fix its input. */
function failure(error: unknown): CallToolResult {
  const text =
    error instanceof GreenlightError
      ? `Greenlight refused the request (${error.code}): ${error.message}`
      : `the approval could not be asked for: ${error instanceof Error ? error.message : String(error)}`;
  return { content: [{ type: "text", text }], isError: true };
}
