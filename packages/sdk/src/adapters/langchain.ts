import { guardToolCall, type ToolApprovalOptions } from "./guard.js";

/** The part of a LangChain.js tool this adapter uses (typed structurally: no dependency on `@langchain/core`). */
export interface LangChainToolLike {
  name: string;
  invoke(input: never, config?: never): Promise<unknown>;
}

/**
 * A LangChain.js tool (`tool()`, `StructuredTool`, `DynamicStructuredTool`) whose calls run
 * only once a person approved that exact call in Greenlight. It is the same tool in every
 * other way (name, schema, description; `bindTools` and agents use it as before). A call not
 * granted rejects with an `ApprovalError`; LangGraph's `ToolNode` gives the model its message.
 *
 * @example
 * import { tool } from "@langchain/core/tools";
 * import { withLangChainApproval } from "@greenlight/sdk";
 * const deleteProject = withLangChainApproval(tool(async ({ id }) => db.delete(id), { name: "delete_project", schema }));
 * await deleteProject.invoke({ id: "proj_1" }); // waits for a reviewer, then deletes
 */
export function withLangChainApproval<T extends LangChainToolLike>(tool: T, options: ToolApprovalOptions = {}): T {
  const invoke = tool.invoke as (input: unknown, config?: { signal?: AbortSignal }) => Promise<unknown>;
  const guarded = Object.create(tool) as T;
  Object.defineProperty(guarded, "invoke", {
    value: async function (this: T, input: unknown, config?: { signal?: AbortSignal }) {
      await guardToolCall(tool.name, argumentsOf(input), options, config?.signal);
      return invoke.call(this, input, config);
    },
  });
  return guarded;
}

/** A tool is invoked with its arguments, or with a model's tool call that carries them. */
function argumentsOf(input: unknown): unknown {
  if (typeof input === "object" && input !== null && (input as { type?: unknown }).type === "tool_call" && "args" in input) {
    return (input as { args: unknown }).args;
  }
  return input;
}
