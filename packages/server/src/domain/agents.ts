import { createHash } from "node:crypto";
import { canonicalJson } from "./audit.js";
import { invalidArgument } from "./errors.js";

/**
 * Agents: service accounts marked with `greenlight.dev/agent: "true"`. They petition, for
 * themselves or for the people their `greenlight.dev/acts-for` label names, and never review.
 * The labels below are the server's: set from the authenticated identity, never taken from
 * the request.
 */

/** On a service account: it is an AI agent. */
export const AGENT_MARK_LABEL = "greenlight.dev/agent";
/** On an agent: whom it may petition for: emails, comma-separated, or "*" for anyone. */
export const ACTS_FOR_LABEL = "greenlight.dev/acts-for";
/** On a petition: the agent that made it (its service account's email). */
export const PETITION_AGENT_LABEL = "greenlight.dev/agent";
/** On a petition an agent made for people: their emails, comma-separated. */
export const ON_BEHALF_OF_LABEL = "greenlight.dev/on-behalf-of";
/** On a petition for one operation: the tool, its arguments as JSON, and the server's hash of both. */
export const TOOL_LABEL = "greenlight.dev/tool";
export const ARGUMENTS_LABEL = "greenlight.dev/arguments";
export const OPERATION_HASH_LABEL = "greenlight.dev/operation-sha256";

/** The labels only the server writes. */
const SERVER_LABELS = [PETITION_AGENT_LABEL, ON_BEHALF_OF_LABEL, OPERATION_HASH_LABEL];

export function isAgent(labels: Record<string, string>): boolean {
  return labels[AGENT_MARK_LABEL] === "true";
}

/** Whether the agent's `acts-for` label lets it petition for this email. */
export function mayActFor(agentLabels: Record<string, string>, email: string): boolean {
  const allowed = (agentLabels[ACTS_FOR_LABEL] ?? "")
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  return allowed.includes("*") || allowed.includes(email.toLowerCase());
}

/** SHA-256 (hex) of the canonical JSON of `{tool, arguments}`, as the SDK computes it. */
export function operationHash(tool: string, args: unknown): string {
  return createHash("sha256")
    .update(canonicalJson({ tool, arguments: args }))
    .digest("hex");
}

/**
 * The petition's labels with the server's own set: what a request sent for them is dropped,
 * the operation's hash is computed from the tool and arguments labels, and the agent and the
 * people it acts for are recorded.
 */
export function withServerLabels(
  labels: Record<string, string>,
  agent: { email: string; onBehalfOf: string[] } | undefined,
): Record<string, string> {
  const out = { ...labels };
  for (const key of SERVER_LABELS) delete out[key];
  const tool = out[TOOL_LABEL];
  if (tool !== undefined) {
    const text = out[ARGUMENTS_LABEL] ?? "null";
    let args: unknown;
    try {
      args = JSON.parse(text);
    } catch {
      throw invalidArgument(
        `petition.meta.labels["${ARGUMENTS_LABEL}"] must be the tool's arguments as JSON`,
        `petition.meta.labels["${ARGUMENTS_LABEL}"]`,
      );
    }
    out[OPERATION_HASH_LABEL] = operationHash(tool, args);
  }
  if (agent) {
    out[PETITION_AGENT_LABEL] = agent.email;
    if (agent.onBehalfOf.length > 0) out[ON_BEHALF_OF_LABEL] = agent.onBehalfOf.join(",");
  }
  return out;
}
