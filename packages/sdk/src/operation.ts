import { canonicalJson } from "./audit.js";
import type { NamedResource } from "./types.js";

/** The label that names the tool of an operation petition. */
export const TOOL_LABEL = "greenlight.dev/tool";
/** The label that holds the operation's arguments, as canonical JSON. */
export const ARGUMENTS_LABEL = "greenlight.dev/arguments";
/** The label the server sets to the operation's hash; a receipt binds it. */
export const OPERATION_HASH_LABEL = "greenlight.dev/operation-sha256";

/** One call of a tool: what an agent is about to do. */
export interface Operation {
  tool: string;
  arguments: unknown;
}

/**
 * The SHA-256 (hex) of the canonical JSON of `{tool, arguments}`: what the server stores on
 * a petition made for the operation, and what a receipt for it carries.
 *
 * @example
 * const hash = await operationHash({ tool: "delete_project", arguments: { id: "proj_1" } });
 */
export async function operationHash(operation: Operation): Promise<string> {
  const text = canonicalJson({ tool: operation.tool, arguments: plain(operation.arguments) });
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/**
 * What to petition for to approve one operation: an `action` resource named by the tool and
 * the hash (so other arguments need their own approval), and the labels from which the server
 * computes and stores the operation's hash. Reviewers see the arguments in the labels.
 *
 * @example
 * const request = await operationRequest({ tool: "delete_project", arguments: { id: "proj_1" } });
 * await approval({ ...request, reason: "clean up" });
 */
export async function operationRequest(operation: Operation): Promise<{ resources: NamedResource[]; labels: Record<string, string> }> {
  const hash = await operationHash(operation);
  const args = canonicalJson(plain(operation.arguments));
  return {
    resources: [
      {
        kind: "action",
        id: `${operation.tool}:${hash.slice(0, 32)}`,
        displayName: operation.tool,
        labels: { [TOOL_LABEL]: operation.tool },
      },
    ],
    labels: { [TOOL_LABEL]: operation.tool, [ARGUMENTS_LABEL]: args },
  };
}

/** The arguments as JSON would carry them (undefined fields dropped, dates as strings). */
function plain(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) ?? "null") as unknown;
}
