import { requirePermission } from "../../domain/access.js";
import { formatGoDuration, millisToNanos } from "../../domain/duration.js";
import { invalidArgument } from "../../domain/errors.js";
import { compilePolicy, type CompiledPolicy } from "../../domain/policy.js";
import type { ReviewPlan } from "../../domain/policy-evaluation.js";
import type { Petition } from "../../domain/petition.js";
import { reviewProgress } from "../../domain/reviews.js";
import type { Context } from "../runtime/context.js";
import { factsOf } from "../petitions/create-petition.js";
import { decideNewPetition, type AutoDecision, type Consult } from "../petitions/decide-new-petition.js";
import { loadPetition } from "../petitions/load-petition.js";
import { nextTurn } from "../runtime/next-turn.js";
import { checkedOf, checkNewPetition } from "../petitions/petition-input.js";
import { resolvePetitioners } from "../petitions/resolve-petitioners.js";
import { currentPolicy, savingContext } from "./space-policy.js";
import type { ExplainInput, ExplanationOut, PlanOut } from "../../contract/explain.js";

/**
 * Explains what the policy does with a petition: which rules applied to each (petitioner,
 * resource) pair and why the others did not, whether it would be approved or denied at once
 * and by what, and who may review it (groups and roles resolved to the people in them). For a
 * petition that exists it also shows the plan it was made under and how far its reviews have
 * come. On-call providers are asked (their answers are cached); decision webhooks are only
 * listed, never called: explaining has no effects. Reviewers may explain the policy in force;
 * only space admins, who may save a policy, may explain with a draft.
 */
export async function explainPolicy({ ctx, input }: { ctx: Context; input: ExplainInput }): Promise<ExplanationOut> {
  requirePermission(ctx.access, "petitions.read-all", "explaining the access policy");
  // A draft is code its sender chose, run by the server: trying one is for those who may save one.
  if (input.policy !== undefined) requirePermission(ctx.access, "space.admin", "explaining with a draft policy");
  if ((input.petition === undefined) === (input.request === undefined)) {
    throw invalidArgument(
      "name either a petition (petition: its name) or a request (request: a petition to try), not both or neither",
      "petition",
    );
  }
  const repos = ctx.store.read;
  const draft = input.policy !== undefined;
  const policy: CompiledPolicy = draft
    ? compilePolicy(input.policy, await savingContext(ctx, repos, ctx.space))
    : await currentPolicy(ctx, repos, ctx.space);
  const consult: Consult = { onCall: true, webhooks: "list" };
  // Compiling a large draft and evaluating a large request each take a while: other requests
  // get a turn between them (every step is bounded; their sum need not hold the loop).
  await nextTurn();

  let existing: Petition | undefined;
  let decision: AutoDecision;
  if (input.petition !== undefined) {
    existing = await loadPetition(repos, ctx.space, input.petition);
    const checked = checkedOf(existing);
    const facts = { ...(await factsOf(repos, ctx, checked, ctx.clock.now())), name: existing.name, requestTime: existing.createdAt };
    decision = await decideNewPetition(ctx, repos, facts, { consult, policy });
  } else {
    const request = checkNewPetition(input.request!, ctx.limits);
    const checked = { ...request, petitioners: await resolvePetitioners(repos, ctx.space.id, request.petitioners) };
    decision = await decideNewPetition(ctx, repos, await factsOf(repos, ctx, checked, ctx.clock.now()), { consult, policy });
  }

  await nextTurn();
  const out: ExplanationOut = {
    policyVersion: policy.version,
    draft,
    outcome: decision.outcome,
    reason: decision.decider?.reason ?? "",
    decidedBy: decision.decider
      ? (decision.decider.labels["greenlight.dev/policy/rule"] ?? decision.decider.labels["greenlight.dev/decision/source"] ?? null)
      : null,
    pairs: decision.evaluation.pairs,
    omittedTraces: decision.evaluation.omittedTraces,
    plan: await wirePlan(ctx, decision.plan, undefined),
    onCall: decision.onCall,
    webhooks: decision.webhooks,
  };
  if (existing) {
    out.petition = {
      name: existing.name,
      phase: existing.phase,
      ...(existing.outcome ? { outcome: existing.outcome } : {}),
      madeUnder: existing.reviewPlan ? await wirePlan(ctx, existing.reviewPlan, existing) : null,
      approvedBy: existing.approvals.map((approval) => approval.reviewer),
    };
  }
  return out;
}

/** A plan for people to read: durations as Go durations, and who is eligible now. */
export async function wirePlan(ctx: Context, plan: ReviewPlan, petition: Petition | undefined): Promise<PlanOut> {
  const progress = petition ? reviewProgress(plan.steps, petition.approvals) : undefined;
  const bindings = await ctx.store.read.roleBindings.list(ctx.space.id);
  const steps = await Promise.all(
    plan.steps.map(async (step, i) => {
      const eligible = new Set(step.reviewers.users);
      for (const group of step.reviewers.groups)
        for (const member of (await ctx.store.read.groups.get(ctx.space.id, group))?.members ?? []) eligible.add(member);
      for (const binding of bindings) {
        if (!(step.reviewers.roles as string[]).includes(binding.role)) continue;
        if (binding.member.startsWith("user:")) eligible.add(binding.member.slice(5));
        if (binding.member.startsWith("group:")) {
          for (const member of (await ctx.store.read.groups.get(ctx.space.id, binding.member.slice(6)))?.members ?? [])
            eligible.add(member);
        }
      }
      for (const account of step.reviewers.serviceAccounts) eligible.add(`serviceAccount:${account}`);
      for (const bot of step.reviewers.bots) eligible.add(`bot:${bot}`);
      return {
        name: step.name,
        rule: step.rule,
        approvals: step.approvals,
        allowSelfApproval: step.allowSelfApproval,
        reviewers: step.reviewers,
        eligible: [...eligible].sort(),
        ...(progress ? { approvedBy: progress.steps[i]!.approvers } : {}),
      };
    }),
  );
  return {
    policyVersion: plan.policyVersion,
    rules: plan.rules,
    steps,
    maxDuration: goDuration(plan.limits.maxMs),
    defaultDuration: goDuration(plan.limits.defaultMs),
    allowIndefinite: plan.limits.allowIndefinite,
    pendingTimeout: plan.pendingTimeoutMs === null ? null : goDuration(plan.pendingTimeoutMs),
    escalations: plan.escalations.map((escalation) => ({ after: goDuration(escalation.afterMs), notify: escalation.notify })),
    notify: plan.notify,
    highRisk: plan.highRisk === true,
  };
}

function goDuration(ms: number): string {
  return formatGoDuration(millisToNanos(ms));
}
