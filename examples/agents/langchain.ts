// A LangChain.js tool that runs only once a person approves that exact call in Greenlight.
// Agents (createAgent, LangGraph's ToolNode) call it as they call any tool; here it is invoked
// with the tool call a model would make.
import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { getErrorKind, GreenlightAPI, withLangChainApproval } from "@greenlight/sdk";

// GREENLIGHT_API_URL, GREENLIGHT_API_TOKEN (the agent's service account) and GREENLIGHT_SPACE.
const client = new GreenlightAPI();

// While a person decides, say so, and how to decide.
const waiting = ({ petition, elapsedMs }: { petition: { name: string }; elapsedMs: number }) =>
  console.error(
    `↳ waiting for approval of ${petition.name} (${Math.round(elapsedMs / 1000)}s; greenlight petitions approve ${petition.name})`,
  );

const rotateKey = withLangChainApproval(
  tool(
    async ({ key }) => {
      console.log(`rotating ${key}`); // your real side effect goes here
      return `rotated ${key}`;
    },
    { name: "rotate_api_key", description: "Rotate an API key", schema: z.object({ key: z.string() }) },
  ),
  { client, waitMs: 10 * 60_000, onWaiting: waiting },
);

try {
  const message = await rotateKey.invoke({
    type: "tool_call",
    id: "call-1",
    name: "rotate_api_key",
    args: { key: process.env.KEY ?? "primary" },
  });
  console.log("tool message:", message.content);
} catch (err) {
  // denied, expired, cancelled, or waiting (not decided in time: the same call asked again finds the same petition)
  console.log(`not approved (${getErrorKind(err)}):`, err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
}
