import { auditPetitionEvents } from "../audit/audit.js";
import { accessFor, checkPetitioners, isActorItself, mayReadPetition, requirePermission } from "../../domain/access.js";
import { isAgent, mayActFor, withServerLabels } from "../../domain/agents.js";
import type { ServiceAccount } from "../../domain/identity.js";
import { actorKey, actorResource } from "../../domain/actor.js";
import { EventRecorder } from "../../domain/events.js";
import { petitionDedupeKey } from "../../domain/dedupe.js";
import { DomainError, isDomainError } from "../../domain/errors.js";
import { CLAMP_LABEL, resolveGrantTerm } from "../../domain/grant-expiry.js";
import { newId } from "../../domain/ids.js";
import type { Petition } from "../../domain/petition.js";
import { resourceEmail, resourceKey, type CatalogResource, type Resource } from "../../domain/resource.js";
import { toWirePetition } from "../../domain/wire.js";
import type { Repositories, Tx } from "../../store/store.js";
import { applyPetitionAction } from "./apply-petition-action.js";
import type { Context } from "../runtime/context.js";
import { enqueueSlackReview } from "../slack/slack-notify.js";
import { enqueueEvent, isSubscribed } from "../destinations/enqueue-deliveries.js";
import { CONSULT_ALL, CONSULT_NOTHING, decideNewPetition, type AutoDecision, type NewPetitionFacts } from "./decide-new-petition.js";
import { checkNewPetition, fitToPlanLimits, type CheckedPetition } from "./petition-input.js";
import { currentPolicy, hasWebhookPolicies } from "../policies/space-policy.js";
import { approvePetition } from "./review-petition.js";
import { reviewerIdentity } from "./review-plan.js";
import { catalogView, resolvePetitioners } from "./resolve-petitioners.js";
import type { PetitionInput, PetitionOut } from "../../contract/petitions.js";

export interface CreatePetitionResult {
  petition: PetitionOut;
  /** False when an identical open or granted petition was returned instead. */
  created: boolean;
}

/**
 * What creating a petition settles before its transaction: the checked input and, when the
 * space's policy consults on-call providers or decision webhooks, the facts and the decision.
 */
export interface PreparedPetition {
  checked: CheckedPetition;
  dedupeKey: string;
  /** Undefined when nothing needed consulting (then the transaction decides from the policy) or an identical petition was live. */
  facts: NewPetitionFacts | undefined;
  decision: AutoDecision | undefined;
}

/** A petition asked for: by whom (the context), what, and the labels the server adds to it. */
export interface PetitionRequest {
  ctx: Context;
  input: PetitionInput;
  /** Labels the server itself adds (the channel the request came through), after the client's are checked. */
  serverLabels?: Record<string, string>;
}

/**
 * First half of creating a petition, outside any transaction: checks the input, and when the
 * policy may consult on-call providers or decision webhooks (network calls, which must not
 * hold the write transaction open) and no identical petition is live, decides what the
 * petition needs. Otherwise the transaction decides, from the policy alone.
 */
export async function preparePetition(request: PetitionRequest): Promise<PreparedPetition> {
  const { ctx } = request;
  const checked = await checkPetitionRequest(request);
  const dedupeKey = petitionDedupeKey(checked.petitioners, checked.resources, checked.labels);
  const policy = await currentPolicy(ctx, ctx.store.read, ctx.space);
  if (!policy.readsOnCall && !(await hasWebhookPolicies(ctx, ctx.space)))
    return { checked, dedupeKey, facts: undefined, decision: undefined };
  if (await ctx.store.read.petitions.findActiveByDedupeKey(ctx.space, dedupeKey))
    return { checked, dedupeKey, facts: undefined, decision: undefined };
  const facts = await factsOf(ctx.store.read, ctx, checked, ctx.clock.now());
  return { checked, dedupeKey, facts, decision: await decideNewPetition(ctx, ctx.store.read, facts, { consult: CONSULT_ALL, policy }) };
}

/**
 * A request for a petition, checked, its petitioners resolved against the catalog, and the
 * caller allowed to make it: for itself, for others with the role to, or as an agent for the
 * people its label names.
 */
export async function checkPetitionRequest({ ctx, input, serverLabels = {} }: PetitionRequest): Promise<CheckedPetition> {
  const agent = await agentOf(ctx);
  const parsed = checkNewPetition(withDefaultPetitioner(ctx, input), ctx.limits);
  // Who the petitioners are is settled by the catalog first; only then is the caller checked against them.
  const petitioners = await resolvePetitioners(ctx.store.read, ctx.space.id, parsed.petitioners);
  const onBehalfOf = agent ? checkAgentPetitioners(ctx, agent, petitioners) : (checkPetitioners(ctx.access, petitioners), []);
  return {
    ...parsed,
    petitioners,
    labels: withServerLabels(
      { ...parsed.labels, ...serverLabels },
      parsed.operation,
      agent ? { email: agent.email, onBehalfOf } : undefined,
    ),
  };
}

/**
 * Creates a petition, or returns the open or granted one that asks for the same access (same
 * petitioners, same resources): asking twice is one request, and access already granted comes
 * back granted at once. A policy's automatic approval or denial is applied in the same
 * transaction, so the answer already says `granted` or `closed`.
 */
export async function createPetition({
  ctx,
  input,
  prepared,
  serverLabels,
  precondition,
}: {
  ctx: Context;
  input: PetitionInput;
  prepared?: PreparedPetition;
  serverLabels?: Record<string, string>;
  /** Checked first in the transaction: what must still hold for the petition to be made (or returned). */
  precondition?: (tx: Tx, now: number) => Promise<void>;
}): Promise<CreatePetitionResult> {
  const ready = prepared ?? (await preparePetition({ ctx, input, ...(serverLabels ? { serverLabels } : {}) }));
  return ctx.store.transaction(async (tx) => {
    const now = ctx.clock.now();
    await precondition?.(tx, now);
    const existing = await findLiveDuplicate(tx, ctx, ready.dedupeKey, now);
    if (existing) {
      // The same access, asked for by someone who may not see that petition: say so without showing it.
      if (!mayReadPetition(ctx.access, existing)) {
        throw new DomainError(
          "CONFLICT",
          "an identical petition (same petitioners, same resources) is already open or granted, and it is not yours to see; ask its petitioners or a reviewer",
        );
      }
      const events = await tx.petitions.eventsOf(ctx.space.id, [existing.name]);
      return { petition: toWirePetition(existing, events.get(existing.name) ?? []), created: false };
    }
    // Nothing to consult (or the identical petition seen before has ended since): the policy decides alone.
    const facts = ready.facts ?? (await factsOf(tx, ctx, ready.checked, now));
    const decision = ready.decision ?? (await decideNewPetition(ctx, tx, facts, { consult: CONSULT_NOTHING }));
    const { plan } = decision;
    const checked = fitToPlanLimits(ready.checked, plan.limits);
    const createdAt = facts.requestTime;
    let petition: Petition = {
      spaceId: ctx.space.id,
      spaceName: ctx.space.name,
      name: facts.name,
      petitioners: facts.petitioners,
      resources: facts.resources,
      reason: checked.reason,
      labels: checked.labels,
      defaultDurationMs: checked.defaultDurationMs,
      phase: "open",
      outcome: null,
      version: 1,
      lastEventSeq: 0,
      dedupeKey: ready.dedupeKey,
      createdAt,
      updatedAt: now,
      startAt: null,
      expireAt: null,
      endAt: null,
      deletedAt: null,
      createdBy: actorKey(ctx.actor),
      reviewPlan: plan,
      approvals: [],
      timeoutAt: plan.pendingTimeoutMs === null ? null : createdAt + plan.pendingTimeoutMs,
      nextEscalationAt: plan.escalations.length > 0 ? createdAt + plan.escalations[0]!.afterMs : null,
      escalationsDone: 0,
      operation: checked.operation,
    };
    const recorder = new EventRecorder(petition, 0, ctx.actor, now);
    recorder.record("access/request", { reason: petition.reason, resources: petition.resources });
    petition.lastEventSeq = recorder.seq;
    await tx.petitions.insert(petition);
    await tx.petitions.insertEvents(ctx.space.id, recorder.events);
    await auditPetitionEvents(tx, ctx, ctx.space, recorder.events, now);
    const events = [...recorder.events];
    const env = { ...ctx, now };
    if (await isSubscribed(env, tx, ctx.space.id, "petition.created")) {
      await enqueueEvent(tx, env, petition, "petition.created", { event: recorder.events[0]! });
    }
    if (petition.timeoutAt !== null || petition.nextEscalationAt !== null) {
      const at = Math.min(petition.timeoutAt ?? Infinity, petition.nextEscalationAt ?? Infinity);
      tx.afterCommit(() => ctx.notifier.timerScheduled(at));
    }

    const { decider } = decision;
    if (decision.outcome === "deny" && decider) {
      const result = await applyPetitionAction(tx, { ...env, actor: decider.actor }, petition, "deny", {
        reason: decider.reason,
        labels: decider.labels,
      });
      petition = result.petition;
      events.push(...result.events);
    } else if (decision.outcome === "approve" && decider) {
      // A rule's own duration was checked against its maximum; a stricter rule's shortens it.
      const ruleMs = decider.durationMs === null ? null : Math.min(decider.durationMs, plan.limits.maxMs);
      const term =
        ruleMs !== null
          ? { expireAt: now + ruleMs, durationMs: ruleMs }
          : resolveGrantTerm(
              {
                claimLabels: decider.labels,
                petitionDefaultMs: petition.defaultDurationMs,
                petitionLabels: petition.labels,
                clamp: decider.clamp,
              },
              plan.limits,
              now,
            );
      const result = await applyPetitionAction(tx, { ...env, actor: decider.actor }, petition, "approve", {
        reason: decider.reason,
        labels: decider.labels,
        term,
      });
      petition = result.petition;
      events.push(...result.events);
    } else {
      // Bots' approvals count where a step names the bot; elsewhere they are only opinions.
      for (const review of decision.botReviews) {
        const reviewer = await reviewerIdentity(
          tx,
          { actor: review.actor, access: accessFor(review.actor, []), space: ctx.space },
          petition,
        );
        try {
          const result = await approvePetition(tx, { ...env, actor: review.actor }, petition, reviewer, {
            reason: review.reason,
            labels: { ...review.labels, [CLAMP_LABEL]: "true" },
          });
          petition = result.petition;
          events.push(...result.events);
        } catch (error) {
          // A bot the plan does not name, the petitioner's own, or a high-risk petition's (people only): no review.
          if (!(isDomainError(error) && (error.code === "FORBIDDEN" || error.code === "SELF_REVIEW" || error.code === "STEP_UP_REQUIRED")))
            throw error;
        }
        if (petition.phase !== "open") break;
      }
    }
    // Still open: reviewers are asked in Slack (an automatic decision needed nobody).
    if (petition.phase === "open") await enqueueSlackReview(tx, env, petition, plan.notify, { escalation: false });
    return { petition: toWirePetition(petition, events), created: true };
  });
}

/**
 * The petitioners (already resolved against the catalog) and resources with their catalog
 * details, and a name for the petition.
 */
export async function factsOf(repos: Repositories, ctx: Context, checked: CheckedPetition, now: number): Promise<NewPetitionFacts> {
  const catalog = await repos.resources.findByIdentity(ctx.space.id, [...checked.petitioners, ...checked.resources].map(resourceKey));
  return {
    name: newId("pet", now),
    petitioners: withCatalogDetails(catalog, checked.petitioners),
    resources: withCatalogDetails(catalog, checked.resources),
    reason: checked.reason,
    labels: checked.labels,
    requestTime: now,
    catalog,
  };
}

/** The caller's service account when it is marked as an agent. */
async function agentOf(ctx: Context): Promise<ServiceAccount | undefined> {
  if (ctx.actor.type !== "serviceAccount") return undefined;
  const account = await ctx.store.read.serviceAccounts.get(ctx.space.id, ctx.actor.id);
  return account && isAgent(account.labels) ? account : undefined;
}

/**
 * An agent petitions for itself, or for the people its `greenlight.dev/acts-for` label names
 * (whatever roles it holds): who it may act for is set on the agent by an admin, never claimed
 * in the request. Returns the emails of the people it petitions for.
 */
function checkAgentPetitioners(ctx: Context, agent: ServiceAccount, petitioners: Resource[]): string[] {
  requirePermission(ctx.access, "petitions.create", "creating petitions");
  const people: string[] = [];
  for (const petitioner of petitioners) {
    if (isActorItself(ctx.actor, petitioner)) continue;
    const email = resourceEmail(petitioner);
    if (email === undefined || !mayActFor(agent.labels, email)) {
      throw new DomainError(
        "FORBIDDEN",
        `agent ${agent.email} may not petition on behalf of ${email ?? petitioner.id ?? petitioner.kind}; an admin lets it by listing them in its greenlight.dev/acts-for label`,
      );
    }
    people.push(email);
  }
  return people;
}

/**
 * Without petitioners, the caller petitions for itself, as Indent's client does (it takes the
 * petitioner from the token's `sub`).
 */
function withDefaultPetitioner(ctx: Context, input: PetitionInput): PetitionInput {
  if (input.petitioners !== undefined && input.petitioners.length > 0) return input;
  const { actor } = ctx;
  if (actor.type === "user") return { ...input, petitioners: [{ kind: "user", email: actor.email }] };
  if (actor.type === "serviceAccount") return { ...input, petitioners: [actorResource(actor)] };
  return input;
}

/**
 * The open or granted petition for the same access. A granted one whose time is up but which
 * the expiry job has not reached yet is expired here first, so it is not handed out as live.
 */
async function findLiveDuplicate(tx: Tx, ctx: Context, dedupeKey: string, now: number): Promise<Petition | undefined> {
  const existing = await tx.petitions.findActiveByDedupeKey(ctx.space, dedupeKey);
  if (!existing) return undefined;
  if (existing.phase === "granted" && existing.expireAt !== null && existing.expireAt <= now) {
    await applyPetitionAction(tx, { ...ctx, actor: { type: "system", job: "expiry" }, now }, existing, "expire", { reason: "" });
    return undefined;
  }
  return existing;
}

/**
 * Resources that are in the space's catalog are the catalog's view of them (identity, name,
 * email and labels): policies, reviewers and integrations see the catalog's attributes, never
 * ones the requester wrote.
 */
function withCatalogDetails(catalog: Map<string, CatalogResource>, resources: Resource[]): Resource[] {
  if (catalog.size === 0) return resources;
  return resources.map((resource) => {
    const entry = catalog.get(resourceKey(resource));
    return entry ? catalogView(entry) : resource;
  });
}
