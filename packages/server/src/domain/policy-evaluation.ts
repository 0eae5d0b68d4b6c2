import { invalidArgument } from "./errors.js";
import { matchesLabelSelector } from "./label-selector.js";
import {
  ConditionBudget,
  conditionOutcome,
  NOT_AN_AGENT,
  quoteCondition,
  type ConditionInput,
  type ConditionSubject,
  type RequesterSubject,
} from "./policy-conditions.js";
import { planFor, type ReviewPlan } from "./policy-plan.js";
import { DEFAULT_RULE, type CompiledPolicy, type CompiledRule, type RuleDecision } from "./policy.js";

/**
 * Evaluating a policy for a petition. Each (petitioner, resource) pair is tested against every
 * rule that can apply to its resource's kind, in order; all rules that match apply. Across
 * every pair:
 *
 * - any matching `autoDeny` denies the petition (deny wins);
 * - otherwise the petition needs people if any pair matched a `require` rule, or matched no
 *   deciding rule at all (then the policy's default reviewers review it);
 * - otherwise every pair matched an `autoApprove` rule, and the petition is approved at once.
 *
 * "Needs a human" therefore wins over auto-approval. Durations take the strictest limit of
 * every rule that matched; notifications and escalations add up; the shortest pending timeout
 * wins. Attributes come from the catalog and the space's groups, never from what the requester
 * wrote, and a condition that fails to evaluate counts against access: it never lets an
 * `autoApprove` rule match, and it makes `require` and `autoDeny` rules match.
 */

export interface PolicySubject {
  kind: string;
  id?: string;
  email?: string;
  displayName?: string;
  /** Labels from the space's catalog only. */
  labels: Record<string, string>;
}

export interface PetitionerSubject extends PolicySubject {
  groups: string[];
}

export interface PolicyInput {
  petitioners: PetitionerSubject[];
  resources: PolicySubject[];
  reason: string;
  requestTime: number;
  /** Whether an agent asked, and for whom; a person when absent. */
  requester?: RequesterSubject;
  /** The petition this one extends, when it is an extension. */
  extends?: string;
  /** Provider names that have each petitioner (by lower-cased email) on call; absent when not asked. */
  onCall?: ReadonlyMap<string, readonly string[]>;
}

/** What one pair came to. `default`: no rule decided it, so the default reviewers review it. */
export type PairResult = "deny" | "require" | "approve" | "default";

export interface PairEvaluation {
  petitioner: string;
  resource: string;
  result: PairResult;
  rules: RuleTrace[];
}

/** Why a rule did or did not apply to a pair. */
export interface RuleTrace {
  rule: string;
  matched: boolean;
  /** What held, in order (`kind okta.v1.Group matches "okta.*"`). */
  held: string[];
  /** The first test that did not hold, when the rule did not match. */
  failed?: string;
  /** A condition that could not be evaluated, and how that was counted. */
  conditionError?: string;
  effect?: "require" | "autoApprove" | "autoDeny" | "limits";
}

export interface PolicyEvaluation {
  /** Rule tests made beyond the first MAX_TRACES, whose traces were not kept (their pairs show no rules). */
  omittedTraces: number;
  outcome: "approve" | "deny" | "review";
  /** The reason of the deciding rule, for automatic outcomes. */
  reason: string;
  /** The rule that decided an automatic outcome. */
  decidedBy: string | null;
  /** For automatic approvals, the duration the rule gives (null: the limits' default). */
  autoApproveDurationMs: number | null;
  plan: ReviewPlan;
  pairs: PairEvaluation[];
}

/**
 * Rule tests one petition may need: its pairs, each against the rules its resource's kind can
 * meet. Matching takes about half a microsecond a test, so this bounds a petition's evaluation
 * to about 100 ms however large the policy (5,000 rules that name no kind, against 1,000 pairs,
 * would be seconds).
 */
export const MAX_RULE_TESTS = 200_000;
/** Traces an evaluation keeps, for explanations: what a person can read, and what a reply can carry. */
export const MAX_TRACES = 2_000;

/**
 * The rules each resource of the input can meet (by its position), found once for all the
 * petitioners; INVALID_ARGUMENT when they would make more than MAX_RULE_TESTS rule tests.
 */
function candidatesOf(policy: CompiledPolicy, input: PolicyInput): number[][] {
  const candidates = input.resources.map((resource) => candidateRules(policy, resource.kind));
  const tests = candidates.reduce((sum, rules) => sum + rules.length, 0) * input.petitioners.length;
  if (tests <= MAX_RULE_TESTS) return candidates;
  throw invalidArgument(
    `this petition needs ${tests.toLocaleString("en-US")} rule tests under the policy (${input.petitioners.length} petitioners × ${input.resources.length} resources, each against the rules its kind can meet), more than the ${MAX_RULE_TESTS.toLocaleString("en-US")} a petition may; split it into smaller petitions`,
    "petition.resources",
  );
}

/** Whether evaluating this input may need on-call status: a rule that could match reads it. */
export function needsOnCall(policy: CompiledPolicy, input: PolicyInput): boolean {
  const candidates = candidatesOf(policy, input);
  for (const [r, resource] of input.resources.entries()) {
    for (const position of candidates[r]!) {
      const rule = policy.rules[position]!;
      if (!rule.condition?.readsOnCall) continue;
      if (input.petitioners.some((petitioner) => staticMismatch(rule, petitioner, resource) === undefined)) return true;
    }
  }
  return false;
}

/**
 * `budget`: what the conditions may spend in all, so that no petition, however many pairs and
 * rules it meets, holds the event loop for long; conditions past it count against access.
 */
export function evaluatePolicy(policy: CompiledPolicy, input: PolicyInput, budget = new ConditionBudget()): PolicyEvaluation {
  const candidates = candidatesOf(policy, input);
  const pairs: PairEvaluation[] = [];
  const matched = new Map<number, CompiledRule>();
  let kept = 0;
  let omittedTraces = 0;
  for (const { petitioner, resource, resourceIndex, conditionInput } of conditionPairs(input)) {
    const traces: RuleTrace[] = [];
    const decisions: RuleDecision["type"][] = [];
    for (const position of candidates[resourceIndex]!) {
      const rule = policy.rules[position]!;
      const trace = traceRule(rule, petitioner, resource, conditionInput, budget);
      if (kept < MAX_TRACES) {
        traces.push(trace);
        kept += 1;
      } else omittedTraces += 1;
      if (!trace.matched) continue;
      matched.set(position, rule);
      if (rule.decision) decisions.push(rule.decision.type);
    }
    pairs.push({
      petitioner: describeSubject(petitioner),
      resource: describeSubject(resource),
      result: pairResult(decisions),
      rules: traces,
    });
  }
  return {
    ...decide(
      policy,
      pairs,
      [...matched.values()].sort((a, b) => a.position - b.position),
    ),
    omittedTraces,
  };
}

/**
 * Every (petitioner, resource) pair of the input, with what a condition sees for it. The
 * condition's view is built the first time a condition asks for it: most rules have none.
 */
export function* conditionPairs(
  input: PolicyInput,
): Generator<{ petitioner: PetitionerSubject; resource: PolicySubject; resourceIndex: number; conditionInput: () => ConditionInput }> {
  let resources: ConditionSubject[] | undefined;
  let requestTime: Date | undefined;
  for (const petitioner of input.petitioners) {
    let subject: ConditionInput["petitioner"] | undefined;
    for (const [r, resource] of input.resources.entries()) {
      const conditionInput = (): ConditionInput => {
        resources ??= input.resources.map(conditionSubject);
        requestTime ??= new Date(input.requestTime);
        subject ??= { ...conditionSubject(petitioner), groups: petitioner.groups };
        const onCallProviders = [...(input.onCall?.get((petitioner.email ?? "").toLowerCase()) ?? [])];
        return {
          petitioner: subject,
          resource: resources[r]!,
          resources,
          reason: input.reason,
          request: { time: requestTime },
          requester: input.requester ?? NOT_AN_AGENT,
          extends: input.extends ?? "",
          onCall: onCallProviders.length > 0,
          onCallProviders,
        };
      };
      yield { petitioner, resource, resourceIndex: r, conditionInput };
    }
  }
}

function pairResult(decisions: RuleDecision["type"][]): PairResult {
  if (decisions.includes("autoDeny")) return "deny";
  if (decisions.includes("require")) return "require";
  if (decisions.includes("autoApprove")) return "approve";
  return "default";
}

function decide(policy: CompiledPolicy, pairs: PairEvaluation[], rules: CompiledRule[]): Omit<PolicyEvaluation, "omittedTraces"> {
  const approvedByRules = pairs.length > 0 && pairs.every((pair) => pair.result === "approve");
  // A high-risk petition is approved by a person with a fresh sign-in, never at once by a rule:
  // where rules alone would approve it, it goes to the default reviewers instead.
  const heldForPeople = approvedByRules && rules.some((rule) => rule.highRisk);
  const plan = planFor(policy, rules, heldForPeople || pairs.some((pair) => pair.result === "default"));
  const denying = rules.find((rule) => rule.decision?.type === "autoDeny");
  if (pairs.some((pair) => pair.result === "deny") && denying?.decision?.type === "autoDeny") {
    return { outcome: "deny", reason: denying.decision.reason, decidedBy: denying.name, autoApproveDurationMs: null, plan, pairs };
  }
  if (approvedByRules && !heldForPeople) {
    // The first approving rule gives the reason; the shortest duration any of them gives wins.
    const approving = rules.filter((rule) => rule.decision?.type === "autoApprove");
    const first = approving[0]!;
    const durations = approving.flatMap((rule) =>
      rule.decision?.type === "autoApprove" && rule.decision.durationMs !== null ? [rule.decision.durationMs] : [],
    );
    const reason = first.decision?.type === "autoApprove" ? first.decision.reason : "";
    return {
      outcome: "approve",
      reason,
      decidedBy: first.name,
      autoApproveDurationMs: durations.length > 0 ? Math.min(...durations) : null,
      plan,
      pairs,
    };
  }
  return { outcome: "review", reason: "", decidedBy: null, autoApproveDurationMs: null, plan, pairs };
}

/** Rules that can apply to a resource of this kind, in policy order. */
function candidateRules(policy: CompiledPolicy, kind: string): number[] {
  const { byKind, byGlob, anyKind } = policy.index;
  const exact = byKind.get(kind.toLowerCase()) ?? [];
  const globbed = byGlob.filter((position) => policy.rules[position]!.kinds!.some((k) => k.test(kind)));
  if (globbed.length === 0 && anyKind.length === 0) return exact;
  if (exact.length === 0 && globbed.length === 0) return anyKind;
  return [...new Set([...exact, ...globbed, ...anyKind])].sort((a, b) => a - b);
}

/** The first attribute test that fails, or undefined when all hold (the condition aside). */
function staticMismatch(rule: CompiledRule, petitioner: PetitionerSubject, resource: PolicySubject): string | undefined {
  if (rule.kinds && !rule.kinds.some((kind) => kind.test(resource.kind))) {
    return `kind ${resource.kind} is not one of ${rule.kinds.map((k) => k.text).join(", ")}`;
  }
  if (rule.resourceSelector && !matchesLabelSelector(rule.resourceSelector, resource.labels)) {
    return `the resource's labels do not match the selector`;
  }
  const email = petitioner.email ?? "";
  if (rule.petitionerEmails && !rule.petitionerEmails.some((pattern) => pattern.test(email))) {
    return `petitioner ${email || "(no email)"} is not one of ${rule.petitionerEmails.map((p) => p.text).join(", ")}`;
  }
  if (rule.petitionerGroups && !rule.petitionerGroups.some((group) => petitioner.groups.includes(group))) {
    return `petitioner is in none of the groups ${rule.petitionerGroups.join(", ")}`;
  }
  if (rule.petitionerSelector && !matchesLabelSelector(rule.petitionerSelector, petitioner.labels)) {
    return `the petitioner's labels do not match the selector`;
  }
  return undefined;
}

function traceRule(
  rule: CompiledRule,
  petitioner: PetitionerSubject,
  resource: PolicySubject,
  input: () => ConditionInput,
  budget: ConditionBudget,
): RuleTrace {
  const trace: RuleTrace = { rule: rule.name, matched: false, held: [] };
  const mismatch = staticMismatch(rule, petitioner, resource);
  if (mismatch !== undefined) {
    trace.failed = mismatch;
    return trace;
  }
  if (rule.kinds) trace.held.push(`kind ${resource.kind} matches ${rule.kinds.map((k) => k.text).join(", ")}`);
  if (rule.resourceSelector) trace.held.push("the resource's labels match the selector");
  if (rule.petitionerEmails) trace.held.push(`petitioner ${petitioner.email} matches`);
  if (rule.petitionerGroups)
    trace.held.push(`petitioner is in ${rule.petitionerGroups.filter((g) => petitioner.groups.includes(g)).join(", ")}`);
  if (rule.petitionerSelector) trace.held.push("the petitioner's labels match the selector");
  if (rule.condition) {
    const outcome = conditionOutcome(rule.condition, input, budget);
    const source = quoteCondition(rule.condition.source);
    if (outcome === false) {
      trace.failed = `condition ${source} is false`;
      return trace;
    }
    if (outcome === true) trace.held.push(`condition ${source} is true`);
    else {
      // Failing closed: an error never grants, and always keeps a denial or a review.
      const counts = rule.decision?.type === "require" || rule.decision?.type === "autoDeny";
      trace.conditionError = `${outcome}; counted as ${counts ? "matching" : "not matching"}`;
      if (!counts) {
        trace.failed = `condition ${source} could not be evaluated`;
        return trace;
      }
    }
  }
  trace.matched = true;
  trace.effect = rule.decision?.type ?? "limits";
  return trace;
}

function conditionSubject(subject: PolicySubject): ConditionSubject {
  return {
    kind: subject.kind,
    id: subject.id ?? "",
    email: (subject.email ?? "").toLowerCase(),
    displayName: subject.displayName ?? "",
    labels: subject.labels,
  };
}

function describeSubject(subject: PolicySubject): string {
  return `${subject.kind}/${subject.id ?? subject.email ?? "?"}`;
}

export { DEFAULT_RULE };
export { defaultPlan, mergeNotify, type ReviewPlan } from "./policy-plan.js";
