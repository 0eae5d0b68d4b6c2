import { ON_BEHALF_OF_LABEL, PETITION_AGENT_LABEL } from "../../domain/agents.js";
import { EXTENDS_LABEL } from "../../domain/extension.js";
import { NOT_AN_AGENT, type RequesterSubject } from "../../domain/policy-conditions.js";
import type { Actor } from "../../domain/actor.js";
import { compileWebhookPolicy, selectWebhooks, type CompiledWebhookPolicy } from "../../domain/webhook-policy.js";
import {
  evaluatePolicy,
  needsOnCall,
  type PetitionerSubject,
  type PolicyEvaluation,
  type PolicyInput,
  type PolicySubject,
  type ReviewPlan,
} from "../../domain/policy-evaluation.js";
import type { CompiledPolicy, StepPlan } from "../../domain/policy.js";
import { resourceEmail, resourceKey, type CatalogResource, type Resource } from "../../domain/resource.js";
import { handles, headerValues, type Webhook } from "../../domain/webhook.js";
import { isServerClaimLabel } from "../../domain/petition-labels.js";
import { toWireResource } from "../../domain/wire.js";
import { requestDecision } from "../../integrations/indent/decision-client.js";
import { IndentWebhookError } from "../../integrations/indent/webhook-call.js";
import type { Repositories } from "../../store/store.js";
import type { Context } from "../runtime/context.js";
import type { OnCallCheck } from "../policies/on-call-lookup.js";
import { currentPolicy } from "../policies/space-policy.js";

/**
 * Decides what a new petition needs, before it is written: the space's policy, and the sources
 * of automatic decisions it consults (on-call providers, decision webhooks). Those are network
 * calls, so they happen here, outside any transaction, each bounded by a timeout; one that
 * fails or is slow has no opinion. Deny wins: a rule's or a webhook's denial denies. Then a
 * rule's approval approves, if every pair has one. Then a webhook's approval approves a
 * petition that no `require` rule holds for people and that is not high-risk; otherwise the
 * bot's approval counts only as a review, for steps that name the bot (and never for a
 * high-risk petition, which only a person with a fresh sign-in approves).
 */

export interface NewPetitionFacts {
  /** Minted before deciding, so decision webhooks can name the petition. */
  name: string;
  petitioners: Resource[];
  resources: Resource[];
  reason: string;
  labels: Record<string, string>;
  requestTime: number;
  /** The catalog entries of the petitioners and resources, by `resourceKey`. */
  catalog: Map<string, CatalogResource>;
}

export interface AutoDecider {
  actor: Actor;
  reason: string;
  /** Labels of the claim that records the decision (the rule, the policy version, a webhook's labels). */
  labels: Record<string, string>;
  /** For approvals: the duration the rule gives, or null for the plan's default. */
  durationMs: number | null;
  /** For a webhook's approval: a duration beyond the limits is shortened, not refused. */
  clamp: boolean;
}

export interface WebhookOpinion {
  webhook: string;
  /** The webhook policies that selected it. */
  policies: string[];
  result: "approve" | "deny" | "none" | "skipped" | "failed";
  detail: string;
}

export interface AutoDecision {
  evaluation: PolicyEvaluation;
  plan: ReviewPlan;
  outcome: "approve" | "deny" | "review";
  decider: AutoDecider | null;
  /** Bots' approvals of a petition that needs people: they count for steps that name the bot. */
  botReviews: Array<{ actor: Extract<Actor, { type: "bot" }>; reason: string; labels: Record<string, string> }>;
  onCall: OnCallCheck[];
  webhooks: WebhookOpinion[];
}

export const POLICY_ACTOR: Actor = { type: "system", job: "policy" };
export const RULE_LABEL = "greenlight.dev/policy/rule";
export const POLICY_VERSION_LABEL = "greenlight.dev/policy/version";
export const DECISION_SOURCE_LABEL = "greenlight.dev/decision/source";

/**
 * What is consulted besides the policy. `onCall`: ask the providers when a rule reads it (or use
 * answers recorded earlier, for a replay). `webhooks`: call the selected decision webhooks, only
 * list them (to explain), or leave them out. A transaction that must decide after all uses
 * neither: the policy alone.
 */
export interface Consult {
  onCall: boolean | ReadonlyMap<string, readonly string[]>;
  webhooks: "call" | "list" | "skip";
}

export const CONSULT_ALL: Consult = { onCall: true, webhooks: "call" };
export const CONSULT_NOTHING: Consult = { onCall: false, webhooks: "skip" };

export async function decideNewPetition(
  ctx: Context,
  repos: Repositories,
  facts: NewPetitionFacts,
  options: { consult: Consult; policy?: CompiledPolicy },
): Promise<AutoDecision> {
  const policy = options.policy ?? (await currentPolicy(ctx, repos, ctx.space));
  const input = await policyInput(ctx, repos, facts, policy.readsGroups);
  let onCall: OnCallCheck[] = [];
  if (typeof options.consult.onCall !== "boolean") {
    input.onCall = options.consult.onCall;
  } else if (options.consult.onCall && needsOnCall(policy, input)) {
    const providers = await repos.onCallProviders.list(ctx.space.id);
    const emails = input.petitioners.flatMap((p) => (p.email ? [p.email] : []));
    const found = await ctx.onCall.lookup(providers, emails, facts.requestTime);
    onCall = found.checks;
    input.onCall = found.onCall;
  }
  const evaluation = evaluatePolicy(policy, input);
  const plan = await withManagers(
    repos,
    ctx.space.id,
    { ...evaluation.plan, steps: evaluation.plan.steps.map(copyStep) },
    input.petitioners,
  );
  if (input.onCall) plan.onCall = Object.fromEntries([...input.onCall].map(([email, providers]) => [email, [...providers]]));

  const decision: AutoDecision = { evaluation, plan, outcome: evaluation.outcome, decider: null, botReviews: [], onCall, webhooks: [] };
  const ruleLabels = (rule: string | null) => ({
    ...(rule ? { [RULE_LABEL]: rule } : {}),
    ...(policy.version !== null ? { [POLICY_VERSION_LABEL]: String(policy.version) } : {}),
  });
  if (evaluation.outcome === "deny") {
    decision.decider = {
      actor: POLICY_ACTOR,
      reason: evaluation.reason,
      labels: { ...ruleLabels(evaluation.decidedBy), [DECISION_SOURCE_LABEL]: "rule" },
      durationMs: null,
      clamp: false,
    };
    return decision;
  }

  const claims =
    options.consult.webhooks === "skip"
      ? []
      : await consultWebhooks(ctx, repos, facts, input, decision.webhooks, options.consult.webhooks === "call");
  const denial = claims.find((claim) => claim.event === "access/deny");
  if (denial) {
    decision.outcome = "deny";
    decision.decider = {
      actor: denial.actor,
      reason: denial.reason,
      labels: { ...denial.labels, [DECISION_SOURCE_LABEL]: `webhook:${denial.actor.webhook}` },
      durationMs: null,
      clamp: false,
    };
    return decision;
  }
  if (evaluation.outcome === "approve") {
    const source = onCall.some((check) => check.onCall === true) ? "rule+oncall" : "rule";
    decision.decider = {
      actor: POLICY_ACTOR,
      reason: evaluation.reason,
      labels: { ...ruleLabels(evaluation.decidedBy), [DECISION_SOURCE_LABEL]: source },
      durationMs: evaluation.autoApproveDurationMs,
      clamp: false,
    };
    return decision;
  }
  const approvals = claims.filter((claim) => claim.event === "access/approve");
  if (approvals.length === 0) return decision;
  // A high-risk petition is decided by people: a bot's approval is only a review, which step-up refuses.
  const heldForPeople = plan.highRisk === true || evaluation.pairs.some((pair) => pair.result === "require");
  if (!heldForPeople) {
    const first = approvals[0]!;
    decision.outcome = "approve";
    decision.decider = {
      actor: first.actor,
      reason: first.reason,
      labels: { ...first.labels, [DECISION_SOURCE_LABEL]: `webhook:${first.actor.webhook}` },
      durationMs: null,
      clamp: true,
    };
    return decision;
  }
  decision.botReviews = approvals.map(({ actor, reason, labels }) => ({ actor, reason, labels }));
  return decision;
}

/** What the policy sees: catalog attributes only, and the petitioners' groups. */
async function policyInput(ctx: Context, repos: Repositories, facts: NewPetitionFacts, withGroups: boolean): Promise<PolicyInput> {
  const subject = (resource: Resource): PolicySubject => {
    const entry = facts.catalog.get(resourceKey(resource));
    const out: PolicySubject = { kind: resource.kind, labels: entry ? { ...entry.labels } : {} };
    const id = entry?.id ?? resource.id;
    const email = entry?.email ?? resourceEmail(resource);
    const displayName = entry?.displayName ?? resource.displayName;
    if (id !== undefined) out.id = id;
    if (email !== undefined) out.email = email.toLowerCase();
    if (displayName !== undefined) out.displayName = displayName;
    return out;
  };
  const petitioners: PetitionerSubject[] = await Promise.all(
    facts.petitioners.map(async (petitioner) => {
      const base = subject(petitioner);
      // Asked only when a rule looks at them.
      const groups = withGroups && base.email ? await repos.groups.namesFor(ctx.space.id, base.email) : [];
      return { ...base, groups };
    }),
  );
  return {
    petitioners,
    resources: facts.resources.map(subject),
    reason: facts.reason,
    requestTime: facts.requestTime,
    requester: requesterOf(facts.labels),
    extends: facts.labels[EXTENDS_LABEL] ?? "",
  };
}

function copyStep(step: StepPlan): StepPlan {
  return { ...step, reviewers: { ...step.reviewers, users: [...step.reviewers.users] } };
}

/** Adds each petitioner's manager (named by the step's label: an email, or a person's id) to the step's users. */
async function withManagers(repos: Repositories, spaceId: string, plan: ReviewPlan, petitioners: PetitionerSubject[]): Promise<ReviewPlan> {
  for (const step of plan.steps) {
    const label = step.reviewers.managerLabel;
    if (label === null) continue;
    for (const petitioner of petitioners) {
      // The label is the policy's and the labels the catalog's: only the petitioner's own labels count.
      const value = Object.hasOwn(petitioner.labels, label) ? petitioner.labels[label] : undefined;
      if (!value) continue;
      if (value.includes("@")) {
        step.reviewers.users.push(value.toLowerCase());
        continue;
      }
      for (const person of await repos.resources.findPeopleById(spaceId, value)) {
        const email = resourceEmail(person);
        if (email) step.reviewers.users.push(email);
      }
    }
    step.reviewers.users = [...new Set(step.reviewers.users)];
  }
  return plan;
}

type AcceptedClaim = {
  event: "access/approve" | "access/deny";
  actor: Extract<Actor, { type: "bot" }>;
  reason: string;
  labels: Record<string, string>;
};

/** Calls the decision webhooks the webhook policies select, and keeps the claims their bots may make. */
async function consultWebhooks(
  ctx: Context,
  repos: Repositories,
  facts: NewPetitionFacts,
  input: PolicyInput,
  opinions: WebhookOpinion[],
  call: boolean,
): Promise<AcceptedClaim[]> {
  const policies = await repos.webhookPolicies.list(ctx.space.id);
  if (policies.length === 0) return [];
  const compiled: CompiledWebhookPolicy[] = [];
  for (const policy of policies) {
    try {
      compiled.push(compileWebhookPolicy(policy, `webhookPolicies/${policy.name}`, true));
    } catch {
      // Checked when saved; one that no longer compiles selects nothing.
    }
  }
  const selected = selectWebhooks(compiled, input);
  if (selected.size === 0) return [];
  const webhooks = (await repos.webhooks.getMany(ctx.space.id, [...selected.keys()])).filter(
    (webhook) => handles(webhook, "decision") && handlesKinds(webhook, facts.resources),
  );
  if (!call) {
    for (const webhook of webhooks) {
      opinions.push({
        webhook: webhook.name,
        policies: selected.get(webhook.name) ?? [],
        result: "skipped",
        detail: "selected; not called here",
      });
    }
    return [];
  }
  const results = await Promise.all(webhooks.map((webhook) => askWebhook(ctx, facts, webhook, selected.get(webhook.name) ?? [])));
  const accepted: AcceptedClaim[] = [];
  for (const { opinion, claims } of results) {
    opinions.push(opinion);
    accepted.push(...claims);
    void recordWebhookOutcome(ctx, webhook(opinion, webhooks), opinion);
  }
  return accepted;
}

function webhook(opinion: WebhookOpinion, webhooks: Webhook[]): Webhook {
  return webhooks.find((w) => w.name === opinion.webhook)!;
}

function handlesKinds(webhook: Webhook, resources: Resource[]): boolean {
  const kinds = webhook.handlers.find((handler) => handler.type === "decision")?.resourceKinds ?? [];
  if (kinds.length === 0) return true;
  return resources.some((resource) => kinds.some((kind) => kind.toLowerCase() === resource.kind.toLowerCase()));
}

async function askWebhook(
  ctx: Context,
  facts: NewPetitionFacts,
  webhook: Webhook,
  policies: string[],
): Promise<{ opinion: WebhookOpinion; claims: AcceptedClaim[] }> {
  const base = { webhook: webhook.name, policies };
  if (webhook.dryRun) return { opinion: { ...base, result: "skipped", detail: "dry run: not called" }, claims: [] };
  const headers = headerValues(webhook);
  const claims: AcceptedClaim[] = [];
  const ignored: string[] = [];
  try {
    // Indent's decision request names one petitioner, so each petitioner is asked about in turn.
    for (const petitioner of facts.petitioners) {
      const raw = await requestDecision(
        {
          url: webhook.url,
          method: webhook.method,
          headers,
          secret: webhook.secret,
          timeoutMs: ctx.autoDecisions.decisionTimeoutMs,
          fetch: ctx.outbound.fetch,
        },
        requestEvent(facts, petitioner),
        new Date(facts.requestTime),
      );
      for (const claim of raw) {
        const checked = checkClaim(claim, webhook);
        if (typeof checked === "string") ignored.push(checked);
        else claims.push(checked);
      }
    }
  } catch (error) {
    const detail = error instanceof IndentWebhookError ? error.message : String(error);
    return { opinion: { ...base, result: "failed", detail: `${detail}; counted as no opinion` }, claims: [] };
  }
  // Every petitioner must be approved for the webhook to approve; any denial denies.
  const denies = claims.filter((c) => c.event === "access/deny");
  const approves = claims.filter((c) => c.event === "access/approve");
  const result = denies.length > 0 ? "deny" : approves.length >= facts.petitioners.length && approves.length > 0 ? "approve" : "none";
  const kept = result === "deny" ? denies.slice(0, 1) : result === "approve" ? approves.slice(0, 1) : [];
  const detail = [kept[0]?.reason || (result === "none" ? "no opinion" : ""), ...ignored.map((why) => `ignored a claim: ${why}`)]
    .filter(Boolean)
    .join("; ");
  return { opinion: { ...base, result, detail }, claims: kept };
}

function requestEvent(facts: NewPetitionFacts, petitioner: Resource): unknown {
  return {
    event: "access/request",
    actor: toWireResource(petitioner),
    resources: facts.resources.map(toWireResource),
    reason: facts.reason,
    timestamp: new Date(facts.requestTime).toISOString(),
    meta: { labels: { ...facts.labels, petition: facts.name, "indent.com/petition": facts.name } },
  };
}

/** A claim the webhook's bot made, or why it is ignored: another actor, another event, a bad shape. */
function checkClaim(claim: unknown, webhook: Webhook): AcceptedClaim | string {
  if (claim === null || typeof claim !== "object") return "it is not an object";
  const { event, actor, reason, meta } = claim as { event?: unknown; actor?: unknown; reason?: unknown; meta?: { labels?: unknown } };
  if (event !== "access/approve" && event !== "access/deny")
    return `event ${JSON.stringify(event)} is neither access/approve nor access/deny`;
  const who = (actor ?? {}) as { id?: unknown; email?: unknown; displayName?: unknown };
  const id = typeof who.id === "string" ? who.id : undefined;
  const email = typeof who.email === "string" ? who.email : undefined;
  const wantsId = webhook.bot.id?.toLowerCase();
  const wantsEmail = webhook.bot.email?.toLowerCase();
  if ((wantsId !== undefined && id?.toLowerCase() !== wantsId) || (wantsEmail !== undefined && email?.toLowerCase() !== wantsEmail)) {
    return `its actor ${JSON.stringify(email ?? id ?? "none")} is not the webhook's bot (${[webhook.bot.id, webhook.bot.email].filter(Boolean).join(", ")})`;
  }
  const labels: Record<string, string> = {};
  if (meta && typeof meta.labels === "object" && meta.labels !== null) {
    for (const [key, value] of Object.entries(meta.labels))
      if (typeof value === "string" && key.length <= 317 && value.length <= 4096 && !isServerClaimLabel(key)) labels[key] = value;
  }
  const bot: Extract<Actor, { type: "bot" }> = { type: "bot", webhook: webhook.name };
  if (id !== undefined) bot.id = id;
  if (email !== undefined) bot.email = email;
  if (typeof who.displayName === "string") bot.displayName = who.displayName;
  return { event, actor: bot, reason: typeof reason === "string" ? reason.slice(0, 4096) : "", labels };
}

async function recordWebhookOutcome(ctx: Context, webhook: Webhook, opinion: WebhookOpinion): Promise<void> {
  if (opinion.result === "skipped") return;
  const error = opinion.result === "failed" ? opinion.detail : null;
  try {
    await ctx.store.transaction((tx) => tx.webhooks.recordOutcome(ctx.space.id, webhook.name, { at: ctx.clock.now(), error }));
  } catch {
    // Only a record of health; the decision stands without it.
  }
}

/** Whether an agent made the petition, from the labels the server set on it. */
function requesterOf(labels: Record<string, string>): RequesterSubject {
  const agent = labels[PETITION_AGENT_LABEL];
  if (agent === undefined) return NOT_AN_AGENT;
  const onBehalfOf = (labels[ON_BEHALF_OF_LABEL] ?? "").split(",").filter(Boolean);
  return { isAgent: true, agent, onBehalfOf };
}
