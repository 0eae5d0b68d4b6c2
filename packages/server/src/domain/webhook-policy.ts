import { invalidArgument } from "./errors.js";
import { matchesLabelSelector, type LabelSelector, type Requirement } from "./label-selector.js";
import { ConditionBudget, compileCondition, conditionOutcome, type Condition } from "./policy-conditions.js";
import { conditionPairs, type PolicyInput } from "./policy-evaluation.js";

/**
 * Indent's Webhook Policies: which decision webhooks run for a petition. A policy selects a
 * petition when one of its resources matches the selector (Kubernetes `matchLabels` and
 * `matchExpressions`, over the catalog's labels) and every condition (CEL, as in access
 * policies) holds for that resource and a petitioner.
 */
export interface WebhookPolicySelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

export interface WebhookPolicy {
  spaceId: string;
  name: string;
  displayName: string;
  labels: Record<string, string>;
  selector: WebhookPolicySelector;
  conditions: string[];
  /** Names of the webhooks it runs. */
  webhooks: string[];
  createdAt: number;
  updatedAt: number;
}

export interface CompiledWebhookPolicy {
  name: string;
  selector: LabelSelector;
  conditions: Condition[];
  webhooks: string[];
}

/** Kubernetes' operators, lower-cased. A Map: the operator is the caller's, and `constructor` must find nothing. */
const OPERATORS: ReadonlyMap<string, Requirement["op"]> = new Map([
  ["in", "in"],
  ["notin", "notin"],
  ["exists", "exists"],
  ["doesnotexist", "notexists"],
]);

/** `stored`: compiled for use rather than checked for saving (see `CompileOptions.stored`). */
export function compileWebhookPolicy(
  policy: Pick<WebhookPolicy, "name" | "selector" | "conditions" | "webhooks">,
  field = "policy",
  stored = false,
): CompiledWebhookPolicy {
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(policy.selector.matchLabels ?? {})) requirements.push({ key, op: "eq", value });
  (policy.selector.matchExpressions ?? []).forEach((expression, i) => {
    const at = `${field}.base.selector.matchExpressions[${i}]`;
    const op = OPERATORS.get(expression.operator.toLowerCase());
    if (!op)
      throw invalidArgument(
        `${at}.operator must be In, NotIn, Exists or DoesNotExist, not ${JSON.stringify(expression.operator)}`,
        `${at}.operator`,
      );
    if (op === "in" || op === "notin") {
      if (!expression.values || expression.values.length === 0)
        throw invalidArgument(`${at}.values must list at least one value for ${expression.operator}`, `${at}.values`);
      requirements.push({ key: expression.key, op, values: [...expression.values] });
    } else {
      requirements.push({ key: expression.key, op: op as "exists" | "notexists" });
    }
  });
  requirements.forEach((requirement, i) => {
    if (requirement.key.length === 0 || requirement.key.length > 317) {
      throw invalidArgument(
        `${field}.base.selector has a label key that is empty or longer than 317 characters (requirement ${i + 1})`,
        `${field}.base.selector`,
      );
    }
  });
  return {
    name: policy.name,
    selector: requirements,
    conditions: policy.conditions.map((source, i) =>
      compileCondition(source, `${field}.base.conditions[${i}]`, { owner: `webhook policy "${policy.name}"`, stored }),
    ),
    webhooks: [...policy.webhooks],
  };
}

/** The webhooks the policies select for a petition, and the policies that selected them. */
export function selectWebhooks(
  policies: readonly CompiledWebhookPolicy[],
  input: PolicyInput,
  budget = new ConditionBudget(),
): Map<string, string[]> {
  const selected = new Map<string, string[]>();
  for (const policy of policies) {
    if (!selects(policy, input, budget)) continue;
    for (const webhook of policy.webhooks) selected.set(webhook, [...(selected.get(webhook) ?? []), policy.name]);
  }
  return selected;
}

function selects(policy: CompiledWebhookPolicy, input: PolicyInput, budget: ConditionBudget): boolean {
  for (const { resource, conditionInput } of conditionPairs(input)) {
    if (!matchesLabelSelector(policy.selector, resource.labels)) continue;
    // A condition that cannot be evaluated selects nothing: a webhook's opinion is optional.
    if (policy.conditions.every((condition) => conditionOutcome(condition, conditionInput, budget) === true)) return true;
  }
  return false;
}
