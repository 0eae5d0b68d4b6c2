import { isAgent } from "../../domain/agents.js";
import { DomainError } from "../../domain/errors.js";
import { checkStepUp } from "../../domain/step-up.js";
import { resolveGrantTerm, type GrantTerm } from "../../domain/grant-expiry.js";
import type { Petition } from "../../domain/petition.js";
import { transition } from "../../domain/petition-machine.js";
import type { StepPlan } from "../../domain/policy.js";
import { eligibility, reviewProgress, type RecordedApproval, type ReviewerIdentity } from "../../domain/reviews.js";
import type { Resource } from "../../domain/resource.js";
import type { Tx } from "../../store/store.js";
import { applyPetitionAction, recordApproval, type ActionEnv, type ActionResult } from "./apply-petition-action.js";
import type { Services } from "../runtime/context.js";
import { petitionWebUrl } from "./petition-url.js";
import { planOf } from "./review-plan.js";

/** What a review needs besides the action's environment: how fresh a high-risk approval's sign-in must be, and where the web UI is. */
export type ReviewEnv = ActionEnv & Pick<Services, "stepUp" | "web">;

export interface ReviewDetails {
  reason: string;
  resources?: Resource[];
  labels?: Record<string, string>;
}

/**
 * An approval by a reviewer, inside a transaction. The reviewer must be eligible for one of
 * the plan's steps (and not a party to the petition, unless the step allows it); an approval
 * counts once per reviewer, so approving again changes nothing and answers the first claim.
 * The petition is granted by the approval that completes every step, for the shortest
 * duration any of its approvers gave; until then it stays open and records who approved. A
 * high-risk petition's approver must be a person with a recent strong sign-in (`domain/step-up.ts`).
 */
export async function approvePetition(
  tx: Tx,
  env: ReviewEnv,
  petition: Petition,
  reviewer: ReviewerIdentity,
  details: ReviewDetails,
): Promise<ActionResult> {
  transition(petition, "approve");
  await refuseAgents(tx, env, petition, "approve");
  const plan = planOf(petition, env.limits);
  const steps = eligibleSteps(plan.steps, reviewer, petition, "approve");
  // Enforced here, under every channel (API claims, Slack, bots' reviews), after who may approve at all.
  if (plan.highRisk) {
    checkStepUp(env.actor, {
      now: env.now,
      maxAgeMs: env.stepUp.maxAgeMs,
      petitionName: petition.name,
      reviewUrl: petitionWebUrl(env, petition),
    });
  }

  const earlier = petition.approvals.find((approval) => approval.reviewer === reviewer.key);
  if (earlier) {
    const claim = earlier.eventId === undefined ? undefined : await tx.petitions.getEvent(petition.spaceId, petition.name, earlier.eventId);
    return { petition, claim, events: [] };
  }

  // Read now, so a duration beyond the limits is refused by the approval that gives it.
  const term = resolveGrantTerm(
    { claimLabels: details.labels ?? {}, petitionDefaultMs: petition.defaultDurationMs, petitionLabels: petition.labels },
    plan.limits,
    env.now,
  );
  const approval: RecordedApproval = { reviewer: reviewer.key, steps, durationMs: term.durationMs };
  const approvals = [...petition.approvals, approval];
  if (!reviewProgress(plan.steps, approvals).satisfied) return recordApproval(tx, env, petition, approval, details);
  return applyPetitionAction(tx, env, petition, "approve", { ...details, term: shortestTerm(approvals, env.now), approval });
}

/** A denial by a reviewer: any reviewer eligible for any step may deny (nobody their own petition). */
export async function denyPetition(
  tx: Tx,
  env: ActionEnv,
  petition: Petition,
  reviewer: ReviewerIdentity,
  details: ReviewDetails,
): Promise<ActionResult> {
  transition(petition, "deny");
  await refuseAgents(tx, env, petition, "deny");
  eligibleSteps(planOf(petition, env.limits).steps, reviewer, petition, "deny");
  return applyPetitionAction(tx, env, petition, "deny", details);
}

/**
 * Agents (service accounts marked `greenlight.dev/agent`) may ask but never decide, whatever
 * roles or policy steps name them: a model must not approve its own or another's request.
 */
async function refuseAgents(tx: Tx, env: ActionEnv, petition: Petition, verb: "approve" | "deny"): Promise<void> {
  if (env.actor.type !== "serviceAccount") return;
  const account = await tx.serviceAccounts.get(petition.spaceId, env.actor.id);
  if (account && isAgent(account.labels)) {
    throw new DomainError(
      "FORBIDDEN",
      `${account.email} is an agent: agents may petition but never ${verb}; a person must review petition ${petition.name}`,
    );
  }
}

/** Whether the reviewer could decide the petition at all (for who may see and revoke it). */
export function isEligibleReviewer(petition: Petition, reviewer: ReviewerIdentity, limits: ActionEnv["limits"]): boolean {
  return "steps" in eligibility(planOf(petition, limits).steps, reviewer);
}

function eligibleSteps(steps: StepPlan[], reviewer: ReviewerIdentity, petition: Petition, verb: "approve" | "deny"): number[] {
  const found = eligibility(steps, reviewer);
  if ("steps" in found) return found.steps;
  if (found.refused === "self") {
    throw new DomainError(
      "SELF_REVIEW",
      `you asked for petition ${petition.name} (as a petitioner or its creator), so you cannot ${verb} it; another reviewer must`,
    );
  }
  throw new DomainError(
    "FORBIDDEN",
    `you are not among the reviewers of petition ${petition.name}; it needs ${steps.map(describeStep).join("; and ")}`,
  );
}

function describeStep(step: StepPlan): string {
  const { users, groups, roles, serviceAccounts, bots } = step.reviewers;
  const who = [
    ...users,
    ...groups.map((group) => `group ${group}`),
    ...roles.map((role) => `any ${role}`),
    ...serviceAccounts.map((name) => `service account ${name}`),
    ...bots.map((bot) => `bot ${bot}`),
  ];
  return `${step.approvals} of ${who.join(", ") || "nobody"} (step "${step.name}")`;
}

/** The shortest duration among the approvals; until revoked only if every approver gave that. */
function shortestTerm(approvals: RecordedApproval[], now: number): GrantTerm {
  const durations = approvals.flatMap((approval) =>
    approval.durationMs === null || approval.durationMs === undefined ? [] : [approval.durationMs],
  );
  if (durations.length === 0) return { expireAt: null, durationMs: null };
  const durationMs = Math.min(...durations);
  return { expireAt: now + durationMs, durationMs };
}
