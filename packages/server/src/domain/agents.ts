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
 * The operation a petition for one tool call asks to approve, fixed when the petition is made
 * and kept apart from its labels: receipts are signed from this record alone.
 */
export interface PetitionOperation {
  tool: string;
  /** The arguments as canonical JSON: the exact bytes the hash covers and reviewers are shown. */
  arguments: string;
  /** SHA-256 (hex) of the canonical JSON of `{tool, arguments}`. */
  sha256: string;
}

/** The operation the labels name (`greenlight.dev/tool` and `greenlight.dev/arguments`), if any. */
export function operationOf(labels: Record<string, string>): PetitionOperation | null {
  const tool = labels[TOOL_LABEL];
  if (tool === undefined) return null;
  const field = `petition.meta.labels["${ARGUMENTS_LABEL}"]`;
  let args: unknown;
  try {
    args = JSON.parse(labels[ARGUMENTS_LABEL] ?? "null");
  } catch {
    throw invalidArgument(`${field} must be the tool's arguments as JSON`, field);
  }
  return { tool, arguments: canonicalJson(args), sha256: operationHash(tool, args) };
}

/** The labels that show an operation: what reviewers read, from the record the receipt is signed from. */
export function operationLabels(operation: PetitionOperation): Record<string, string> {
  return { [TOOL_LABEL]: operation.tool, [ARGUMENTS_LABEL]: operation.arguments, [OPERATION_HASH_LABEL]: operation.sha256 };
}

/**
 * A new petition's labels with the server's own set: the operation's labels from its record,
 * and the agent and the people it acts for from the agent's identity.
 */
export function withServerLabels(
  labels: Record<string, string>,
  operation: PetitionOperation | null,
  agent: { email: string; onBehalfOf: string[] } | undefined,
): Record<string, string> {
  const out = { ...labels, ...(operation ? operationLabels(operation) : {}) };
  if (agent) {
    out[PETITION_AGENT_LABEL] = agent.email;
    if (agent.onBehalfOf.length > 0) out[ON_BEHALF_OF_LABEL] = agent.onBehalfOf.join(",");
  }
  return out;
}
