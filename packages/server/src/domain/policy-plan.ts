import type { GrantLimits } from "./grant-expiry.js";
import { builtInReview, type CompiledPolicy, type CompiledRule, type EscalationPlan, type NotifyTargets, type StepPlan } from "./policy.js";

/**
 * What a petition needs, fixed when it is created: the steps to satisfy (all of them), the
 * limits of the grant, who is told and when it times out. A later change of the policy does not
 * change a petition already made.
 */
export interface ReviewPlan {
  policyVersion: number | null;
  /** Rules that matched any pair, in policy order. */
  rules: string[];
  steps: StepPlan[];
  limits: GrantLimits;
  notify: NotifyTargets;
  pendingTimeoutMs: number | null;
  escalations: EscalationPlan[];
  /** A matching rule marks it high-risk: it is decided in the web UI after a fresh sign-in, not in chat. */
  highRisk?: boolean;
  /** On-call answers it was decided with (providers per petitioner email), so a replay sees them too. */
  onCall?: Record<string, string[]>;
}

/** The plan of a petition made before policies, or without one: the default reviewers, the server's limits. */
export function defaultPlan(limits: GrantLimits): ReviewPlan {
  return {
    policyVersion: null,
    rules: [],
    steps: builtInReview(),
    limits,
    notify: { users: [], groups: [], channels: [], reviewers: true },
    pendingTimeoutMs: null,
    escalations: [],
  };
}

/**
 * The plan for these matched rules. It depends only on which rules matched and whether some
 * pair fell to the default reviewers (`toDefaultReviewers`), so it is made once per combination and shared: petitions
 * made alike share one plan object (which nothing changes once made).
 */
const plans = new WeakMap<CompiledPolicy, Map<string, ReviewPlan>>();

export function planFor(policy: CompiledPolicy, rules: CompiledRule[], toDefaultReviewers: boolean): ReviewPlan {
  const key = `${rules.map((rule) => rule.position).join(",")}|${toDefaultReviewers}`;
  let byKey = plans.get(policy);
  if (!byKey) {
    byKey = new Map();
    plans.set(policy, byKey);
  }
  let plan = byKey.get(key);
  if (!plan) {
    plan = makePlan(policy, rules, toDefaultReviewers);
    if (byKey.size < 10_000) byKey.set(key, plan);
  }
  return plan;
}

function makePlan(policy: CompiledPolicy, rules: CompiledRule[], toDefaultReviewers: boolean): ReviewPlan {
  const steps: StepPlan[] = [];
  for (const rule of rules) if (rule.decision?.type === "require") steps.push(...rule.decision.steps);
  if (toDefaultReviewers) steps.push(...policy.defaults.review);

  const limits = { ...policy.defaults.limits };
  for (const rule of rules) {
    if (rule.limits.maxMs !== undefined) limits.maxMs = Math.min(limits.maxMs, rule.limits.maxMs);
    if (rule.limits.allowIndefinite === false) limits.allowIndefinite = false;
  }
  const defaults = rules.flatMap((rule) => (rule.limits.defaultMs === undefined ? [] : [rule.limits.defaultMs]));
  limits.defaultMs = Math.min(defaults.length > 0 ? Math.min(...defaults) : limits.defaultMs, limits.maxMs);

  const timeouts = rules.flatMap((rule) => (rule.pendingTimeoutMs === null ? [] : [rule.pendingTimeoutMs]));
  const pendingTimeoutMs = timeouts.length > 0 ? Math.min(...timeouts) : policy.defaults.pendingTimeoutMs;
  const notifies = rules.flatMap((rule) => (rule.notify ? [rule.notify] : []));
  const escalations = [...policy.defaults.escalations, ...rules.flatMap((rule) => rule.escalations)]
    .filter((escalation) => pendingTimeoutMs === null || escalation.afterMs < pendingTimeoutMs)
    .sort((a, b) => a.afterMs - b.afterMs);
  return {
    policyVersion: policy.version,
    rules: rules.map((rule) => rule.name),
    steps,
    limits,
    notify: mergeNotify(notifies.length > 0 ? notifies : [policy.defaults.notify]),
    pendingTimeoutMs,
    escalations,
    ...(rules.some((rule) => rule.highRisk) ? { highRisk: true } : {}),
  };
}

export function mergeNotify(targets: NotifyTargets[]): NotifyTargets {
  return {
    users: [...new Set(targets.flatMap((t) => t.users))],
    groups: [...new Set(targets.flatMap((t) => t.groups))],
    channels: [...new Set(targets.flatMap((t) => t.channels))],
    reviewers: targets.some((t) => t.reviewers),
  };
}
