import type { EventOut } from "../contract/claims.js";
import type { GrantOut } from "../contract/grants.js";
import type { PetitionOut, ReviewOut } from "../contract/petitions.js";
import type { ResourceOut } from "../contract/resources.js";
import { formatGoDuration, formatProtoDuration, millisToNanos } from "./duration.js";
import { mergeNotify, type ReviewPlan } from "./policy-evaluation.js";
import { reviewProgress } from "./reviews.js";
import type { Grant, Petition, PetitionEvent } from "./petition.js";
import { petitionLabels } from "./petition-labels.js";
import type { Resource } from "./resource.js";

/**
 * The JSON the API emits, in Indent v1's shapes (camelCase, RFC 3339 timestamps, protobuf JSON
 * durations), as `contract/` defines them. Fields that are empty are left out, as protobuf JSON
 * does, except `labels`, which is always an object so clients can index it without a guard.
 */

const time = (ms: number): string => new Date(ms).toISOString();

export function toWireResource(resource: Resource): ResourceOut {
  const out = { kind: resource.kind } as ResourceOut;
  if (resource.id !== undefined) out.id = resource.id;
  if (resource.displayName) out.displayName = resource.displayName;
  if (resource.email !== undefined) out.email = resource.email;
  if (resource.altIds && resource.altIds.length > 0) out.altIds = resource.altIds;
  out.labels = resource.labels;
  return out;
}

export function toWireEvent(event: PetitionEvent): EventOut {
  const out: EventOut = {
    id: event.id,
    event: event.event,
    actor: toWireResource(event.actor),
    resources: event.resources.map(toWireResource),
    timestamp: time(event.timestamp),
    meta: { labels: event.labels },
  };
  if (event.reason) out.reason = event.reason;
  return out;
}

export function toWirePetition(petition: Petition, events: PetitionEvent[]): PetitionOut {
  const meta: PetitionOut["meta"] = {
    name: petition.name,
    space: petition.spaceName,
    labels: petitionLabels(petition),
    createTime: time(petition.createdAt),
    updateTime: time(petition.updatedAt),
  };
  if (petition.startAt !== null) meta.startTime = time(petition.startAt);
  if (petition.expireAt !== null) meta.expireTime = time(petition.expireAt);
  if (petition.endAt !== null) meta.endTime = time(petition.endAt);
  if (petition.deletedAt !== null) meta.deleteTime = time(petition.deletedAt);

  const status: PetitionOut["state"]["status"] = { phase: petition.phase };
  if (petition.outcome !== null) status.outcome = petition.outcome;

  const out: PetitionOut = {
    name: petition.name,
    spaceName: petition.spaceName,
    meta,
    petitioners: petition.petitioners.map(toWireResource),
    resources: petition.resources.map(toWireResource),
    reason: petition.reason,
    state: { status, eventHistory: events.map(toWireEvent), messages: [] },
  };
  if (petition.reviewPlan) out.state.review = toWireReview(petition.reviewPlan, petition);
  if (petition.defaultDurationMs !== null) out.defaultDuration = formatProtoDuration(millisToNanos(petition.defaultDurationMs));
  return out;
}

export function toWireGrant(grant: Grant, spaceName: string): GrantOut {
  const out: GrantOut = {
    name: grant.id,
    spaceName,
    petitionName: grant.petitionName,
    petitioner: toWireResource(grant.petitioner),
    resource: toWireResource(grant.resource),
    status: grant.provisioning === "revoking" ? "revoke_pending" : grant.provisioning === "revoke_failed" ? "revoke_failed" : grant.status,
    provisioning: grant.provisioning,
    startTime: time(grant.startAt),
  };
  if (grant.expireAt !== null) out.expireTime = time(grant.expireAt);
  if (grant.endAt !== null) out.endTime = time(grant.endAt);
  return out;
}

/**
 * What the petition needs and how far it has come (`state.review`), under `plan`; a petition
 * not yet made is previewed with no approvals, no escalations done and its timers from now.
 */
export function toWireReview(
  plan: ReviewPlan,
  petition: Pick<Petition, "approvals" | "escalationsDone" | "timeoutAt" | "nextEscalationAt">,
): ReviewOut {
  const progress = reviewProgress(plan.steps, petition.approvals);
  const notify = mergeNotify([plan.notify, ...plan.escalations.slice(0, petition.escalationsDone).map((e) => e.notify)]);
  const review: ReviewOut = {
    rules: plan.rules,
    steps: plan.steps.map((step, i) => ({
      name: step.name,
      rule: step.rule,
      approvals: step.approvals,
      approvedBy: progress.steps[i]!.approvers,
      satisfied: progress.steps[i]!.satisfied,
      allowSelfApproval: step.allowSelfApproval,
      reviewers: {
        users: step.reviewers.users,
        groups: step.reviewers.groups,
        roles: step.reviewers.roles,
        serviceAccounts: step.reviewers.serviceAccounts,
        bots: step.reviewers.bots,
      },
    })),
    maxDuration: formatGoDuration(millisToNanos(plan.limits.maxMs)),
    defaultDuration: formatGoDuration(millisToNanos(plan.limits.defaultMs)),
    allowIndefinite: plan.limits.allowIndefinite,
    notify,
    escalationsDone: petition.escalationsDone,
    highRisk: plan.highRisk === true,
  };
  if (plan.policyVersion !== null) review.policyVersion = plan.policyVersion;
  if (petition.timeoutAt !== null) review.timeoutTime = time(petition.timeoutAt);
  if (petition.nextEscalationAt !== null) review.nextEscalationTime = time(petition.nextEscalationAt);
  return review;
}
