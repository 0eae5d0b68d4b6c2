import { auditPetitionEvents } from "../audit/audit.js";
import type { Actor } from "../../domain/actor.js";
import { EventRecorder } from "../../domain/events.js";
import { grantPairKey } from "../../domain/extension.js";
import { resolveGrantTerm, termLabels, type GrantLimits, type GrantTerm } from "../../domain/grant-expiry.js";
import { newId } from "../../domain/ids.js";
import type { Grant, Petition, PetitionEvent } from "../../domain/petition.js";
import { transition, type PetitionAction } from "../../domain/petition-machine.js";
import type { RecordedApproval } from "../../domain/reviews.js";
import type { Resource } from "../../domain/resource.js";
import type { EventType } from "../../domain/subscription.js";
import type { Store, Tx } from "../../store/store.js";
import { enqueueApply, enqueueEvent, isProvisioned, isSubscribed } from "../destinations/enqueue-deliveries.js";
import type { Notifier } from "../runtime/notifier.js";
import { enqueueSlackChange } from "../slack/slack-notify.js";
import { planOf } from "./review-plan.js";

export interface ActionDetails {
  reason: string;
  /** Resources named by the claim; the petition's own when the claim names none. */
  resources?: Resource[];
  /** Labels of the claim (durations for approve). */
  labels?: Record<string, string>;
  /** For approve: the term already settled (the shortest the approvers gave); else read from the labels. */
  term?: GrantTerm;
  /** For approve: the approval that completes the plan, recorded with the petition's others. */
  approval?: RecordedApproval;
}

export interface ActionResult {
  petition: Petition;
  /** The event that records the action itself (the claim); undefined for expiry. */
  claim: PetitionEvent | undefined;
  events: PetitionEvent[];
}

const CLAIM_EVENT = {
  approve: "access/approve",
  deny: "access/deny",
  revoke: "access/revoke",
  close: "access/close",
  timeout: "access/close",
} as const;

const END_REASON = {
  revoke: "access revoked",
  close: "petition closed",
  expire: "access grant expired",
} as const;

/** `requestId` is the request's, or the job run's: it goes on every audit event the action writes. */
export type ActionEnv = { actor: Actor; requestId: string; now: number; limits: GrantLimits; notifier: Notifier; store: Store };

/**
 * Applies one action to a petition inside a transaction: checks the state machine, records the
 * claim and its effects as events (one `access/grant` or `access/revoke` per grant), creates or
 * ends grants, and saves the petition with a compare-and-set on its version. Waiters are told
 * once the transaction commits.
 */
export async function applyPetitionAction(
  tx: Tx,
  env: ActionEnv,
  petition: Petition,
  action: PetitionAction,
  details: ActionDetails,
): Promise<ActionResult> {
  const next = transition(petition, action);
  const { now } = env;
  const recorder = new EventRecorder(petition, petition.lastEventSeq, env.actor, now);
  const claimResources =
    details.resources && details.resources.length > 0 ? details.resources : [...petition.petitioners, ...petition.resources];
  let claim: PetitionEvent | undefined;
  let term: GrantTerm | undefined;
  let approvals = petition.approvals;

  if (action !== "expire") {
    if (action === "approve") {
      term =
        details.term ??
        resolveGrantTerm(
          { claimLabels: details.labels ?? {}, petitionDefaultMs: petition.defaultDurationMs, petitionLabels: petition.labels },
          planOf(petition, env.limits).limits,
          now,
        );
    }
    claim = recorder.record(CLAIM_EVENT[action], {
      reason: details.reason,
      resources: claimResources,
      labels: { ...details.labels, ...(term ? termLabels(term) : {}), ...(details.approval ? approvalLabels(details.approval) : {}) },
    });
    if (details.approval) approvals = [...approvals, { ...details.approval, eventId: claim.id }];
  }

  // What each grant that starts or ends is, with the event that says so.
  let changes: GrantChange[] = [];
  if (next.grants === "create" && term) {
    const grants = await grantsFor(tx, env, petition, term, now);
    await tx.grants.insertMany(grants);
    const events = recorder.recordGrants(grants, term, details.reason);
    changes = grants.map((grant, i) => ({ grant, trigger: events[i]! }));
    if (term.expireAt !== null) {
      const expireAt = term.expireAt;
      tx.afterCommit(() => env.notifier.grantScheduled(expireAt));
    }
  } else if (next.grants === "end") {
    const status = action === "expire" ? "expired" : "revoked";
    const ended = await tx.grants.endActive(petition.spaceId, petition.name, status, now);
    // Access another petition still grants is not taken away: integrations identify access by
    // the pair alone, so a revoke would remove what that petition's grant still gives.
    const stillGrantedBy = await tx.grants.coveringPetitions(petition.spaceId, ended);
    const coveredBy = (grant: Grant) => stillGrantedBy.get(grantPairKey(grant));
    const events = recorder.recordRevocations(
      ended,
      action === "revoke" && details.reason ? details.reason : END_REASON[action as keyof typeof END_REASON],
      coveredBy,
    );
    changes = await endedGrants(tx, env, petition, ended, status, now, events, coveredBy);
  }

  const saved: Petition = {
    ...petition,
    phase: next.phase,
    outcome: next.outcome,
    version: petition.version + 1,
    lastEventSeq: recorder.seq,
    updatedAt: now,
    startAt: next.grants === "create" ? now : petition.startAt,
    expireAt: next.grants === "create" ? (term?.expireAt ?? null) : petition.expireAt,
    endAt: next.phase === "closed" ? now : petition.endAt,
    // Nothing is left to escalate once it is decided.
    nextEscalationAt: next.phase === "open" ? petition.nextEscalationAt : null,
    approvals,
  };
  await tx.petitions.update(saved);
  await tx.petitions.insertEvents(petition.spaceId, recorder.events);
  await auditPetitionEvents(tx, env, spaceOf(petition), recorder.events, now);
  tx.afterCommit(() => env.notifier.petitionChanged(petition.spaceId, petition.name));
  await deliver(tx, env, petition, saved, action, claim, changes);
  return { petition: saved, claim, events: recorder.events };
}

/**
 * A grant that starts or ends, with the event that says so. `covered`: it ended while another
 * petition's active grant still gives the same access, so integrations are not told.
 */
interface GrantChange {
  grant: Grant;
  trigger: PetitionEvent;
  covered?: boolean;
}

/**
 * The outbox rows of a transition: apply webhooks for grants that start or end (but not for
 * access still granted by another petition), subscriptions for the rest. Subscriptions hear of
 * every grant that ends, covered or not: `grant.ended` describes the grant, not the access.
 */
async function deliver(
  tx: Tx,
  env: ActionEnv,
  before: Petition,
  after: Petition,
  action: PetitionAction,
  claim: PetitionEvent | undefined,
  changes: GrantChange[],
): Promise<void> {
  const applied = changes.filter((change) => !change.covered);
  if (applied.length > 0) {
    // The petition's request and approvals go with each grant as context: its history, which
    // already holds this transition's events (they are written before the deliveries). Read
    // only when some webhook takes the grants.
    await enqueueApply(
      tx,
      env,
      after,
      applied,
      async () => (await tx.petitions.eventsOf(before.spaceId, [before.name])).get(before.name) ?? [],
    );
  }
  const type = EVENT_OF[action](before);
  if (await isSubscribed(env, tx, before.spaceId, type)) await enqueueEvent(tx, env, after, type, claim ? { event: claim } : {});
  const grantType: EventType = action === "approve" ? "grant.started" : "grant.ended";
  if (changes.length > 0 && (await isSubscribed(env, tx, before.spaceId, grantType))) {
    for (const { grant, trigger } of changes) await enqueueEvent(tx, env, after, grantType, { event: trigger, grant });
  }
  await enqueueSlackChange(tx, env, before, after);
}

const EVENT_OF: Record<PetitionAction, (before: Petition) => EventType> = {
  approve: () => "petition.granted",
  deny: () => "petition.denied",
  revoke: () => "petition.revoked",
  close: (before) => (before.phase === "open" ? "petition.cancelled" : "petition.revoked"),
  expire: () => "petition.expired",
  timeout: () => "petition.timed_out",
};

/**
 * Grants as they are once ended. A grant an integration handles is `revoking` until every one
 * acknowledged the revoke (it shows as revoke pending meanwhile); one no integration handles,
 * or whose access another petition still grants (`coveredBy`), ends at once.
 */
async function endedGrants(
  tx: Tx,
  env: ActionEnv,
  petition: Petition,
  ended: Grant[],
  status: "expired" | "revoked",
  now: number,
  events: PetitionEvent[],
  coveredBy: (grant: Grant) => string | undefined,
): Promise<GrantChange[]> {
  const changes: GrantChange[] = [];
  const revoking: string[] = [];
  const settled: string[] = [];
  for (const [i, grant] of ended.entries()) {
    const covered = coveredBy(grant) !== undefined;
    const provisioned = !covered && (await isProvisioned(env, tx, petition.spaceId, grant.resource));
    (provisioned ? revoking : settled).push(grant.id);
    changes.push({
      grant: { ...grant, status, endAt: now, provisioning: provisioned ? "revoking" : "none" },
      trigger: events[i]!,
      covered,
    });
  }
  await tx.grants.setProvisioning(petition.spaceId, revoking, "revoking");
  await tx.grants.setProvisioning(
    petition.spaceId,
    settled.filter((id) => ended.find((g) => g.id === id)!.provisioning !== "none"),
    "none",
  );
  return changes;
}

/** Records an approval that does not complete the plan yet: the petition stays open. */
export async function recordApproval(
  tx: Tx,
  env: ActionEnv,
  petition: Petition,
  approval: RecordedApproval,
  details: { reason: string; resources?: Resource[]; labels?: Record<string, string> },
): Promise<ActionResult> {
  const recorder = new EventRecorder(petition, petition.lastEventSeq, env.actor, env.now);
  const claim = recorder.record("access/approve", {
    reason: details.reason,
    resources: details.resources && details.resources.length > 0 ? details.resources : [...petition.petitioners, ...petition.resources],
    labels: { ...details.labels, ...approvalLabels(approval) },
  });
  const saved: Petition = {
    ...petition,
    version: petition.version + 1,
    lastEventSeq: recorder.seq,
    updatedAt: env.now,
    approvals: [...petition.approvals, { ...approval, eventId: claim.id }],
  };
  await tx.petitions.update(saved);
  await tx.petitions.insertEvents(petition.spaceId, recorder.events);
  await auditPetitionEvents(tx, env, spaceOf(petition), recorder.events, env.now);
  tx.afterCommit(() => env.notifier.petitionChanged(petition.spaceId, petition.name));
  if (await isSubscribed(env, tx, petition.spaceId, "petition.reviewed"))
    await enqueueEvent(tx, env, saved, "petition.reviewed", { event: claim });
  await enqueueSlackChange(tx, env, petition, saved);
  return { petition: saved, claim, events: recorder.events };
}

/** The label an approve claim carries: which of the plan's steps its approver could count toward. */
export const REVIEW_STEPS_LABEL = "greenlight.dev/review/steps";

function approvalLabels(approval: RecordedApproval): Record<string, string> {
  return { [REVIEW_STEPS_LABEL]: approval.steps.join(",") };
}

/** One grant per (petitioner, resource) pair; `applying` when an integration must acknowledge it. */
async function grantsFor(tx: Tx, env: ActionEnv, petition: Petition, term: GrantTerm, now: number): Promise<Grant[]> {
  const grants: Grant[] = [];
  for (const petitioner of petition.petitioners) {
    for (const resource of petition.resources) {
      const provisioned = await isProvisioned(env, tx, petition.spaceId, resource);
      grants.push({
        provisioning: provisioned ? "applying" : "none",
        id: newId("grt", now),
        spaceId: petition.spaceId,
        petitionName: petition.name,
        petitioner,
        resource,
        status: "active",
        startAt: now,
        expireAt: term.expireAt,
        endAt: null,
      });
    }
  }
  return grants;
}

function spaceOf(petition: Petition): { id: string; name: string } {
  return { id: petition.spaceId, name: petition.spaceName };
}
