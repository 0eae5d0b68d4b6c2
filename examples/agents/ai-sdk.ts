// A Vercel AI SDK agent whose dangerous tool runs only once a person approves that exact call
// in Greenlight. The model here is scripted so the example runs without an API key; use a real
// one (`openai("gpt-4.1")` from @ai-sdk/openai, say) and nothing else changes.
import { generateText, stepCountIs, tool } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { z } from "zod";
import { GreenlightAPI, withGreenlightTools } from "@greenlight/sdk";

// GREENLIGHT_API_URL, GREENLIGHT_API_TOKEN (the agent's service account) and GREENLIGHT_SPACE.
const client = new GreenlightAPI();

// While a person decides, say so, and how to decide.
const waiting = ({ petition, elapsedMs }: { petition: { name: string }; elapsedMs: number }) =>
  console.error(
    `↳ waiting for approval of ${petition.name} (${Math.round(elapsedMs / 1000)}s; greenlight petitions approve ${petition.name})`,
  );
const projectId = process.env.PROJECT_ID ?? "proj_123";

const tools = withGreenlightTools(
  {
    deleteProject: tool({
      description: "Delete a project and everything in it",
      inputSchema: z.object({ projectId: z.string() }),
      execute: async ({ projectId }) => {
        console.log(`deleting ${projectId}`); // your real side effect goes here
        return { deleted: projectId };
      },
    }),
  },
  // Files a petition for deleteProject with these exact arguments, waits for a reviewer, and
  // checks the signed receipt before running the tool.
  { client, waitMs: 10 * 60_000, onWaiting: waiting },
);

const usage = {
  inputTokens: { total: 0, noCache: 0, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 0, text: 0, reasoning: undefined },
};
const model = new MockLanguageModelV3({
  doGenerate: async ({ prompt }) =>
    prompt.at(-1)?.role === "tool"
      ? { content: [{ type: "text", text: "Finished." }], finishReason: { unified: "stop", raw: "stop" }, usage, warnings: [] }
      : {
          content: [{ type: "tool-call", toolCallId: "1", toolName: "deleteProject", input: JSON.stringify({ projectId }) }],
          finishReason: { unified: "tool-calls", raw: "tool_calls" },
          usage,
          warnings: [],
        },
});

const result = await generateText({ model, tools, prompt: `Delete project ${projectId}; it is unused.`, stopWhen: stepCountIs(3) });
for (const part of result.steps[0]?.content ?? []) {
  if (part.type === "tool-result") console.log("tool result:", JSON.stringify(part.output));
  // Not approved: the model is told why (the reviewer's reason), and nothing was deleted.
  if (part.type === "tool-error") {
    console.log("not approved:", part.error instanceof Error ? part.error.message : String(part.error));
    process.exitCode = 1;
  }
}
