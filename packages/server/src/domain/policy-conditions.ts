import { Environment, type ASTNode } from "@marcbachmann/cel-js";
import { invalidArgument } from "./errors.js";

/**
 * Policy conditions are CEL, the condition language of Kubernetes and Google IAM. A condition
 * sees one (petitioner, resource) pair of a petition at a time:
 *
 * - `petitioner`: `{kind, id, email, displayName, labels, groups}` from the space's catalog
 *   and groups (never labels the requester wrote);
 * - `resource`: `{kind, id, email, displayName, labels}`, likewise from the catalog;
 * - `resources`: every resource of the petition, in that shape;
 * - `reason`: the petition's reason;
 * - `request`: `{time}`, when the petition was made (a timestamp: `request.time.getHours("UTC")`);
 * - `requester`: `{isAgent, agent, onBehalfOf}`: whether an AI agent (a service account marked
 *   `greenlight.dev/agent`) made the petition, its email, and the people it acts for (a list);
 * - `onCall`: whether the petitioner is on call with any on-call provider of the space;
 * - `onCallProviders`: the names of the providers that have them on call.
 *
 * On-call status is asked of the providers only when a condition that could match names it.
 */

export interface ConditionInput {
  petitioner: ConditionSubject & { groups: string[] };
  resource: ConditionSubject;
  resources: ConditionSubject[];
  reason: string;
  request: { time: Date };
  requester: RequesterSubject;
  onCall: boolean;
  onCallProviders: string[];
}

/** Who made the petition, as far as policies tell agents from people. */
export interface RequesterSubject {
  isAgent: boolean;
  /** The agent's email; "" when a person or another program asked. */
  agent: string;
  /** The people an agent petitioned for. */
  onBehalfOf: string[];
}

export const NOT_AN_AGENT: RequesterSubject = { isAgent: false, agent: "", onBehalfOf: [] };

export interface ConditionSubject {
  kind: string;
  id: string;
  email: string;
  displayName: string;
  labels: Record<string, string>;
}

export interface Condition {
  source: string;
  /** Whether the condition reads `onCall` or `onCallProviders`. */
  readsOnCall: boolean;
  evaluate(input: ConditionInput): boolean;
}

/** A condition's evaluation failed (a missing label, say); the caller decides what that means. */
export class ConditionError extends Error {
  override readonly name = "ConditionError";
}

const ON_CALL_VARIABLES = new Set(["onCall", "onCallProviders"]);

// One environment for every policy: building one is expensive, parsing against it is not.
const environment = new Environment({ limits: { maxDepth: 32, maxAstNodes: 2000, maxListElements: 200, maxMapEntries: 200 } })
  .registerVariable("petitioner", "map")
  .registerVariable("resource", "map")
  .registerVariable("resources", "list<map>")
  .registerVariable("reason", "string")
  .registerVariable("request", "map")
  .registerVariable("requester", "map")
  .registerVariable("onCall", "bool")
  .registerVariable("onCallProviders", "list<string>");

/**
 * Compiles and type-checks a condition; INVALID_ARGUMENT at `field` with the position of the
 * problem (a column within the expression) when it is not a valid bool-valued CEL expression.
 */
export function compileCondition(source: string, field: string): Condition {
  let parsed: ReturnType<typeof environment.parse>;
  try {
    parsed = environment.parse(source);
  } catch (error) {
    throw invalidArgument(`${field} is not valid CEL: ${describe(error, source)}`, field);
  }
  const checked = parsed.check();
  if (!checked.valid) throw invalidArgument(`${field} is not valid CEL: ${describe(checked.error, source)}`, field);
  if (checked.type !== "bool" && checked.type !== "dyn") {
    throw invalidArgument(`${field} must yield a bool (true or false), but yields ${checked.type}`, field);
  }
  return {
    source,
    readsOnCall: mentions(parsed.ast, ON_CALL_VARIABLES),
    evaluate(input) {
      let value: unknown;
      try {
        value = parsed(input as unknown as Record<string, unknown>);
      } catch (error) {
        throw new ConditionError(describe(error, source));
      }
      if (typeof value !== "boolean") throw new ConditionError(`it yielded ${typeof value}, not a bool`);
      return value;
    },
  };
}

/** "message at column N" from a CEL error, without the multi-line source excerpt it carries. */
function describe(error: unknown, source: string): string {
  const err = error as { message?: string; range?: { start: number }; summary?: string } | undefined;
  const summary = err?.summary ?? err?.message?.split("\n")[0] ?? String(error);
  const start = err?.range?.start;
  if (start === undefined) return summary;
  return `${summary} at column ${start + 1} of ${JSON.stringify(source.length > 80 ? `${source.slice(0, 77)}...` : source)}`;
}

function mentions(node: ASTNode | unknown, names: ReadonlySet<string>): boolean {
  if (Array.isArray(node)) return node.some((child) => mentions(child, names));
  if (node === null || typeof node !== "object") return false;
  const { op, args } = node as { op?: unknown; args?: unknown };
  if (op === "id") return typeof args === "string" && names.has(args);
  return mentions(args, names);
}
