import { tool as langchainTool } from "@langchain/core/tools";
import { generateText, stepCountIs, tool, type ModelMessage } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  answerToolApprovals,
  ApprovalError,
  getErrorKind,
  GreenlightAPI,
  withGreenlightTools,
  withLangChainApproval,
} from "../../src/index.js";
import { startTestServer, until, type TestServer } from "../../../server/test/integration/harness.js";
import { createSpace, userToken } from "../../../server/test/integration/identity-fixtures.js";

/**
 * The agent framework adapters with the real frameworks: the Vercel AI SDK (wrapped tools,
 * and its own `needsApproval` flow answered from Greenlight) and LangChain.js tools. A
 * reviewer decides through the API while the framework waits.
 */

let t: TestServer;
let space: string;
let agent: GreenlightAPI;
let reviewer: GreenlightAPI;

beforeAll(async () => {
  t = await startTestServer();
  space = await createSpace(t);
  agent = new GreenlightAPI({ baseURL: t.url, apiToken: await userToken(t, space, "agent@example.com", ["member"]), spaceName: space });
  reviewer = new GreenlightAPI({ baseURL: t.url, apiToken: await userToken(t, space, "rita@example.com", ["reviewer"]), spaceName: space });
});
afterAll(async () => {
  await t.close();
});

/** Once a petition for `toolName` appears, a reviewer decides it; resolves with its name. */
async function review(
  toolName: string,
  decision: "approve" | "deny",
  reason: string,
): Promise<{ name: string; labels: Record<string, string> }> {
  type Listed = { name: string; meta: { labels: Record<string, string> }; state: { status: { phase: string } } };
  const [petition] = await until(
    async () =>
      ((await t.call("GET", `/v1/spaces/${space}/petitions?pageSize=100`)).body.petitions as Listed[]).filter(
        (p) => p.meta.labels["greenlight.dev/tool"] === toolName && p.state.status.phase === "open",
      ),
    (found) => found.length > 0,
  );
  if (!petition) throw new Error(`no open petition for ${toolName}`);
  if (decision === "approve") await reviewer.petition.approve(petition.name, { duration: "1h", reason });
  else await reviewer.petition.deny(petition.name, reason);
  return { name: petition.name, labels: petition.meta.labels };
}

const usage = {
  inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 1, text: 1, reasoning: undefined },
};

/** A model that calls `toolName` with `input`, then, once it sees a tool result, answers with text. */
function scriptedModel(toolName: string, input: Record<string, unknown>) {
  return new MockLanguageModelV3({
    doGenerate: async (options) => {
      const last = options.prompt.at(-1);
      if (last?.role === "tool") {
        return { content: [{ type: "text", text: "done" }], finishReason: { unified: "stop", raw: "stop" }, usage, warnings: [] };
      }
      return {
        content: [{ type: "tool-call", toolCallId: "call-1", toolName, input: JSON.stringify(input) }],
        finishReason: { unified: "tool-calls", raw: "tool_calls" },
        usage,
        warnings: [],
      };
    },
  });
}

describe("Vercel AI SDK", () => {
  it("withGreenlightTools runs a tool call only after a reviewer approves that exact call", async () => {
    const ran: unknown[] = [];
    const tools = withGreenlightTools(
      {
        deleteProject: tool({
          description: "delete a project",
          inputSchema: z.object({ projectId: z.string() }),
          execute: async ({ projectId }) => {
            ran.push(projectId);
            return { deleted: projectId };
          },
        }),
      },
      { client: agent, waitMs: 20_000 },
    );
    const reviewed = review("deleteProject", "approve", "unused");
    const result = await generateText({
      model: scriptedModel("deleteProject", { projectId: "proj_1" }),
      tools,
      prompt: "clean up",
      stopWhen: stepCountIs(3),
    });
    const petition = await reviewed;
    expect(JSON.parse(petition.labels["greenlight.dev/arguments"]!)).toEqual({ projectId: "proj_1" });
    expect(ran).toEqual(["proj_1"]);
    expect(result.steps[0]!.toolResults.map((r) => r.output)).toEqual([{ deleted: "proj_1" }]);
    expect(result.text).toBe("done");
  });

  it("a denial never runs the tool; the model is given the reviewer's reason", async () => {
    const ran: unknown[] = [];
    const tools = withGreenlightTools(
      {
        dropTable: tool({
          inputSchema: z.object({ table: z.string() }),
          execute: async ({ table }) => {
            ran.push(table);
            return "dropped";
          },
        }),
      },
      { client: agent, waitMs: 20_000 },
    );
    const reviewed = review("dropTable", "deny", "not in production");
    const result = await generateText({
      model: scriptedModel("dropTable", { table: "users" }),
      tools,
      prompt: "drop it",
      stopWhen: stepCountIs(3),
    });
    await reviewed;
    expect(ran).toEqual([]);
    const errors = result.steps[0]!.content.filter((part) => part.type === "tool-error");
    expect(errors).toHaveLength(1);
    const error = (errors[0] as { error: unknown }).error;
    expect(getErrorKind(error)).toBe("denied");
    expect(String((error as Error).message)).toContain("not in production");
  });

  it("answerToolApprovals decides the AI SDK's own needsApproval requests in Greenlight, and the approved call then runs", async () => {
    const ran: unknown[] = [];
    const tools = {
      restartService: tool({
        inputSchema: z.object({ service: z.string() }),
        needsApproval: true,
        execute: async ({ service }) => {
          ran.push(service);
          return `restarted ${service}`;
        },
      }),
    };
    const model = scriptedModel("restartService", { service: "api" });
    const messages: ModelMessage[] = [{ role: "user", content: "restart the api" }];
    const first = await generateText({ model, tools, messages });
    expect(first.content.some((part) => part.type === "tool-approval-request")).toBe(true);
    expect(ran).toEqual([]);

    const reviewed = review("restartService", "approve", "go ahead");
    const { responses, pending } = await answerToolApprovals(first.content, { client: agent, waitMs: 20_000 });
    await reviewed;
    expect(pending).toEqual([]);
    expect(responses).toMatchObject([{ type: "tool-approval-response", approved: true, reason: "go ahead" }]);

    messages.push(...first.response.messages, { role: "tool", content: responses });
    const second = await generateText({ model, tools, messages });
    expect(ran).toEqual(["api"]);
    expect(second.text).toBe("done");
  });

  it("answerToolApprovals answers a denial as not approved, with the reason, and leaves undecided ones pending", async () => {
    const tools = { wipeCache: tool({ inputSchema: z.object({ region: z.string() }), needsApproval: true, execute: async () => "wiped" }) };
    const first = await generateText({ model: scriptedModel("wipeCache", { region: "eu" }), tools, prompt: "wipe" });
    const undecided = await answerToolApprovals(first.content, { client: agent, waitMs: 0 });
    expect(undecided.responses).toEqual([]);
    expect(undecided.pending.map((o) => o.status)).toEqual(["pending"]);

    // Asked again, the same petition is waited on; the reviewer denies it during that wait.
    const answering = answerToolApprovals(first.content, { client: agent, waitMs: 20_000 });
    await until(
      async () => t.server.services.notifier.watcherCount,
      (count) => count > 0,
    );
    const reviewed = await review("wipeCache", "deny", "cache is fine");
    const { responses } = await answering;
    expect(reviewed.name).toBe(undecided.pending[0]!.petition);
    expect(responses).toMatchObject([{ approved: false, reason: "cache is fine" }]);
  });
});

describe("LangChain.js", () => {
  const ran: string[] = [];
  const rotateKey = langchainTool(
    async ({ key }: { key: string }) => {
      ran.push(key);
      return `rotated ${key}`;
    },
    { name: "rotate_key", description: "rotate an API key", schema: z.object({ key: z.string() }) },
  );

  it("runs the tool once approved, whether invoked with arguments or with a model's tool call, and keeps the tool's shape", async () => {
    const guarded = withLangChainApproval(rotateKey, { client: agent, waitMs: 20_000 });
    expect(guarded.name).toBe("rotate_key");
    expect(guarded.description).toBe("rotate an API key");
    const reviewed = review("rotate_key", "approve", "scheduled rotation");
    expect(await guarded.invoke({ key: "primary" })).toBe("rotated primary");
    await reviewed;
    // The same call again goes through at once while the grant lasts, with a receipt signed by
    // a key the adapter has not seen: the server rotated its key in between.
    expect((await t.call("POST", "/v1/auth/keys:rotate")).status).toBe(200);
    const message = await guarded.invoke({ type: "tool_call", id: "tc-1", name: "rotate_key", args: { key: "primary" } });
    expect(message.content).toBe("rotated primary");
    expect(message.tool_call_id).toBe("tc-1");
    expect(ran).toEqual(["primary", "primary"]);
  });

  it("rejects a denied call with an ApprovalError and never runs the tool", async () => {
    const guarded = withLangChainApproval(rotateKey, { client: agent, waitMs: 20_000 });
    const reviewed = review("rotate_key", "deny", "that key is still in use");
    const error = await guarded.invoke({ key: "secondary" }).catch((e: unknown) => e);
    await reviewed;
    expect(error).toBeInstanceOf(ApprovalError);
    expect((error as ApprovalError).kind).toBe("denied");
    expect((error as ApprovalError).message).toContain("that key is still in use");
    expect(ran).not.toContain("secondary");
  });
});
