import { Environment, type ASTNode } from "@marcbachmann/cel-js";
import { childrenOf, type CelNode } from "./cel-ast.js";
import { estimateCost, listOf, mapOf, record, SCALAR, text, type Shape } from "./cel-cost.js";
import { compiledPattern, meterExpression, OutOfBudget, runMetered } from "./cel-meter.js";
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
 * - `extends`: the petition this one extends (asks more time for), "" for a new request;
 * - `onCall`: whether the petitioner is on call with any on-call provider of the space;
 * - `onCallProviders`: the names of the providers that have them on call.
 *
 * On-call status is asked of the providers only when a condition that could match names it.
 * A condition's cost is estimated when it is compiled (`cel-cost.ts`) and counted when it runs
 * (`cel-meter.ts`), so none can hold the event loop.
 */

export interface ConditionInput {
  petitioner: ConditionSubject & { groups: string[] };
  resource: ConditionSubject;
  resources: ConditionSubject[];
  reason: string;
  request: { time: Date };
  requester: RequesterSubject;
  extends: string;
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
  /** Its estimated worst-case cost, in the units the evaluation budget counts. */
  cost: number;
  /** Why it never runs (a stored condition that fails a check added since): it always fails, for this reason. */
  refusal?: string;
  /** Throws ConditionError when it cannot be evaluated, or runs out of `budget`. */
  evaluate(input: ConditionInput, budget?: ConditionBudget): boolean;
}

/**
 * The most one condition may cost, estimated when it is saved and counted when it runs: a few
 * milliseconds of the event loop (a unit is some tens of nanoseconds). A condition that takes
 * longer than the time limit anyway (a slow path the units do not model) is stopped too.
 */
export const CONDITION_COST_LIMIT = 100_000;
export const CONDITION_TIME_LIMIT_MS = 10;
/**
 * What all the conditions evaluated for one petition (every rule, for every petitioner and
 * resource) may spend together, in units and in time. A condition evaluated after either is
 * spent fails, and so counts against access, like any condition that cannot be evaluated.
 */
export const EVALUATION_BUDGET = 1_000_000;
export const EVALUATION_TIME_LIMIT_MS = 50;

/** Units a petition's conditions spend before its deadline is looked at: small evaluations never read the clock. */
const CLOCK_AFTER_UNITS = 10_000;

/**
 * What one evaluation of a policy (or of the webhook policies) for a petition may still spend.
 * Its clock is `performance.now()`: it bounds the event loop's time, not a business time.
 */
export class ConditionBudget {
  spent = 0;
  readonly deadline: number;
  constructor(
    readonly limit: number = EVALUATION_BUDGET,
    timeLimitMs: number = EVALUATION_TIME_LIMIT_MS,
  ) {
    this.deadline = performance.now() + timeLimitMs;
  }

  /** Why no more conditions may be evaluated (its units are spent, or, once it has done real work, its time), if so. */
  refusal(): string | undefined {
    if (this.spent >= this.limit || (this.spent >= CLOCK_AFTER_UNITS && performance.now() >= this.deadline)) return BUDGET_SPENT;
    return undefined;
  }
}

const BUDGET_SPENT = `the conditions before it spent this petition's evaluation budget (${units(EVALUATION_BUDGET)}, ${EVALUATION_TIME_LIMIT_MS} ms)`;

/**
 * How large what a condition reads may be, for the cost estimate: the request limits of the
 * API (100 resources a petition; 256 labels of up to 317 and 4096 characters; a 4096-character
 * reason). A petitioner's groups and a space's on-call providers have no limit of their own;
 * the estimate takes 500 and 100, and the meter stops a condition that meets more.
 */
const SUBJECT = { kind: text(256), id: text(1024), email: text(320), displayName: text(1024), labels: mapOf(256, text(317), text(4096)) };
export const CONDITION_VARIABLES: Readonly<Record<string, Shape>> = {
  petitioner: record({ ...SUBJECT, groups: listOf(500, text(63)) }),
  resource: record(SUBJECT),
  resources: listOf(100, record(SUBJECT)),
  reason: text(4096),
  request: record({ time: SCALAR }),
  requester: record({ isAgent: SCALAR, agent: text(320), onBehalfOf: listOf(100, text(320)) }),
  extends: text(256),
  onCall: SCALAR,
  onCallProviders: listOf(100, text(63)),
};

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
  .registerVariable("extends", "string")
  .registerVariable("onCall", "bool")
  .registerVariable("onCallProviders", "list<string>");

type ParsedCondition = ReturnType<typeof environment.parse>;

/**
 * Parses and type-checks a condition against the conditions' variables, throwing the library's
 * error; not yet metered (`compileCondition` meters what it keeps). Its tree is `parsed.ast`.
 */
export function parseCondition(source: string): { parsed: ParsedCondition; type: string } {
  const parsed = environment.parse(source);
  const checked = parsed.check();
  if (!checked.valid) throw checked.error;
  return { parsed, type: checked.type ?? "dyn" };
}

export interface CompileOptions {
  /** What holds the condition, for messages: `rule "prod-iam"`. */
  owner: string;
  /**
   * A stored policy compiled for use: a condition too costly, or whose pattern RE2 does not
   * read, was saved before those checks and now fails (counting against access) instead of
   * refusing the whole policy.
   */
  stored?: boolean;
}

/**
 * Compiles and type-checks a condition; INVALID_ARGUMENT at `field` with the position of the
 * problem (a column within the expression) when it is not a valid bool-valued CEL expression,
 * and naming the rule when its estimated cost is over the limit.
 */
export function compileCondition(source: string, field: string, options: CompileOptions): Condition {
  let parsed: ParsedCondition;
  let type: string;
  try {
    ({ parsed, type } = parseCondition(source));
  } catch (error) {
    throw invalidArgument(`${field} is not valid CEL: ${describe(error, source)}`, field);
  }
  if (type !== "bool" && type !== "dyn") {
    throw invalidArgument(`${field} must yield a bool (true or false), but yields ${type}`, field);
  }
  const root = parsed.ast as unknown as CelNode;
  const cost = estimateCost(root, CONDITION_VARIABLES);
  const problem = costProblem(cost) ?? patternProblem(root);
  const readsOnCall = mentions(parsed.ast, ON_CALL_VARIABLES);
  if (problem !== undefined && options.stored)
    return failing(source, readsOnCall, cost, `the condition ${problem}; it was saved before this was checked: fix it and save again`);
  if (problem !== undefined) throw invalidArgument(`${field} (${options.owner}) ${problem}`, field);
  // Metered when first evaluated: a policy checked, saved or tried may never run most conditions.
  let metered = false;
  return {
    source,
    readsOnCall,
    cost,
    evaluate(input, budget = new ConditionBudget()) {
      const refused = budget.refusal();
      if (refused !== undefined) throw new ConditionError(refused);
      if (!metered) {
        meterExpression(root);
        metered = true;
      }
      let value: unknown;
      try {
        const limit = Math.min(CONDITION_COST_LIMIT, budget.limit - budget.spent);
        const run = runMetered(limit, CONDITION_TIME_LIMIT_MS, budget.deadline, () => parsed(input as unknown as Record<string, unknown>));
        budget.spent += run.spent;
        value = run.value;
      } catch (error) {
        if (error instanceof OutOfBudget) {
          budget.spent += error.spent;
          throw new ConditionError(error.message);
        }
        throw new ConditionError(describe(error, source));
      }
      if (typeof value !== "boolean") throw new ConditionError(`it yielded ${typeof value}, not a bool`);
      return value;
    },
  };
}

/** "is estimated to cost …" when over the limit. */
function costProblem(cost: number): string | undefined {
  if (cost <= CONDITION_COST_LIMIT) return undefined;
  return (
    `is estimated to cost up to ${units(cost)} per evaluation, over the limit of ${units(CONDITION_COST_LIMIT)}; ` +
    "each comprehension (all, exists, exists_one, map, filter) runs its body once per element, so nesting them multiplies: " +
    "test the resource or petitioner at hand rather than every pair, or compare with `in`"
  );
}

/** A constant `matches` pattern that RE2 does not read (lookarounds and backreferences are not RE2). */
function patternProblem(node: CelNode): string | undefined {
  if (node.op === "rcall" && !node.meta.alternate && !node.meta.macro) {
    const [name, , args] = node.args as [string, CelNode, CelNode[]];
    const pattern = args?.[0];
    if (name === "matches" && pattern?.op === "value" && typeof pattern.args === "string") {
      try {
        compiledPattern(pattern.args);
      } catch (error) {
        return `has a pattern that matches() cannot use: ${(error as Error).message}`;
      }
    }
  }
  for (const child of childrenOf(node)) {
    const problem = patternProblem(child);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** A condition that always fails: it counts against access, and explain shows why. */
function failing(source: string, readsOnCall: boolean, cost: number, why: string): Condition {
  return {
    source,
    readsOnCall,
    cost,
    refusal: why,
    evaluate() {
      throw new ConditionError(why);
    },
  };
}

/**
 * What a condition came to, without throwing when it could not run: true, false, or why not.
 * A petition may meet thousands of conditions after its budget is spent; each is told so here
 * rather than by an exception, whose stack would cost more than the condition.
 */
export function conditionOutcome(condition: Condition, input: () => ConditionInput, budget: ConditionBudget): boolean | string {
  const refused = condition.refusal ?? budget.refusal();
  if (refused !== undefined) return refused;
  try {
    return condition.evaluate(input(), budget);
  } catch (error) {
    if (error instanceof ConditionError) return error.message;
    throw error;
  }
}

/** A condition's source as explanations quote it: the start of a long one. */
export function quoteCondition(source: string): string {
  return source.length > 80 ? `${source.slice(0, 77)}...` : source;
}

function units(n: number): string {
  return `${n >= 1e15 ? n.toExponential(1) : Math.round(n).toLocaleString("en-US")} units`;
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
