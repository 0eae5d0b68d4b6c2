import { requirePermission } from "../../domain/access.js";
import { invalidArgument, isDomainError } from "../../domain/errors.js";
import { compilePolicy } from "../../domain/policy.js";
import type { Petition, PetitionEvent } from "../../domain/petition.js";
import type { StepPlan } from "../../domain/policy.js";
import type { Context } from "../runtime/context.js";
import { factsOf } from "../petitions/create-petition.js";
import { checkedOf } from "../petitions/petition-input.js";
import { decideNewPetition, DECISION_SOURCE_LABEL, RULE_LABEL } from "../petitions/decide-new-petition.js";
import { savingContext } from "./space-policy.js";
import type { ReplayedPetitionOut, ReplayInput, ReplayOut } from "../../contract/explain.js";

const MAX_REPLAY = 1000;

/**
 * Replays the space's latest petitions through a draft policy, changing nothing: for each,
 * how it was actually decided and what the draft would have done (approved or denied at once,
 * and by which rule, or whose review it would have needed). On-call answers are the ones
 * recorded when each petition was made; decision webhooks are not called (their opinions are
 * not part of a replay). Attributes come from today's catalog and groups: the replay shows
 * what the draft would do with these requests now.
 */
export async function replayPolicy({ ctx, input }: { ctx: Context; input: ReplayInput }): Promise<ReplayOut> {
  requirePermission(ctx.access, "space.admin", "replaying petitions through a draft policy");
  const limit = input.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_REPLAY) throw invalidArgument(`limit must be from 1 to ${MAX_REPLAY}`, "limit");
  const repos = ctx.store.read;
  const policy = compilePolicy(input.policy, await savingContext(ctx, repos, ctx.space));
  const petitions = await repos.petitions.latest(ctx.space, limit);
  const events = await repos.petitions.eventsOf(
    ctx.space.id,
    petitions.map((p) => p.name),
  );

  const report: ReplayOut = { replayed: 0, changed: 0, wouldAutoApprove: 0, wouldAutoDeny: 0, wouldNeedReview: 0, petitions: [] };
  for (const petition of petitions) {
    const checked = checkedOf(petition);
    const facts = { ...(await factsOf(repos, ctx, checked, petition.createdAt)), name: petition.name, requestTime: petition.createdAt };
    const onCall = new Map(Object.entries(petition.reviewPlan?.onCall ?? {}));
    const decision = await decideNewPetition(ctx, repos, facts, { consult: { onCall, webhooks: "skip" }, policy }).catch(
      (error: unknown) => {
        // A petition the draft cannot evaluate (too many rule tests under it) is named, so the draft can be fixed.
        if (isDomainError(error) && error.code === "INVALID_ARGUMENT")
          throw invalidArgument(`petition ${petition.name}: ${error.message}`, "policy");
        throw error;
      },
    );
    const actual = howDecided(petition, events.get(petition.name) ?? []);
    const draft = {
      outcome: decision.outcome,
      decidedBy: decision.decider ? (decision.decider.labels[RULE_LABEL] ?? null) : null,
      reason: decision.decider?.reason ?? "",
      needs: decision.outcome === "review" ? decision.plan.steps.map(describeStep) : [],
    };
    const changed = actual.kind !== draft.outcome;
    report.replayed += 1;
    if (changed) report.changed += 1;
    if (draft.outcome === "approve") report.wouldAutoApprove += 1;
    else if (draft.outcome === "deny") report.wouldAutoDeny += 1;
    else report.wouldNeedReview += 1;
    report.petitions.push({
      name: petition.name,
      createTime: new Date(petition.createdAt).toISOString(),
      petitioners: petition.petitioners.map((p) => p.email ?? p.id ?? p.kind),
      resources: petition.resources.map((r) => `${r.kind}/${r.id ?? r.email ?? "?"}`),
      actual: { phase: petition.phase, ...(petition.outcome ? { outcome: petition.outcome } : {}), decidedBy: actual.by },
      draft,
      changed,
      summary: summarize(actual.kind, draft),
    });
  }
  return report;
}

/** How a petition was decided: at once by a policy or webhook, by reviewers, or not yet. */
function howDecided(petition: Petition, events: PetitionEvent[]): { kind: "approve" | "deny" | "review"; by: string } {
  const decision = events.find((event) => event.event === "access/approve" || event.event === "access/deny");
  if (!decision) return { kind: "review", by: petition.phase === "open" ? "nobody yet" : "nobody (it ended undecided)" };
  const source = decision.labels[DECISION_SOURCE_LABEL];
  if (source !== undefined) {
    const rule = decision.labels[RULE_LABEL];
    return { kind: decision.event === "access/approve" ? "approve" : "deny", by: rule ? `rule ${rule}` : source };
  }
  const reviewers = events
    .filter((event) => event.event === decision.event)
    .map((event) => event.actor.email ?? event.actor.id ?? event.actor.kind);
  return { kind: "review", by: `${decision.event === "access/approve" ? "approved" : "denied"} by ${[...new Set(reviewers)].join(", ")}` };
}

function describeStep(step: StepPlan): string {
  const { users, groups, roles, serviceAccounts, bots, managerLabel } = step.reviewers;
  const who = [
    ...users,
    ...groups.map((g) => `group ${g}`),
    ...roles.map((r) => `any ${r}`),
    ...serviceAccounts.map((s) => `service account ${s}`),
    ...bots.map((b) => `bot ${b}`),
    ...(managerLabel ? [`the petitioner's manager (${managerLabel})`] : []),
  ];
  return `${step.approvals} of ${who.join(", ")} (${step.rule} / ${step.name})`;
}

function summarize(actual: "approve" | "deny" | "review", draft: ReplayedPetitionOut["draft"]): string {
  if (draft.outcome === "approve")
    return `${actual === "approve" ? "still" : "would have been"} approved at once by rule ${draft.decidedBy}`;
  if (draft.outcome === "deny") return `${actual === "deny" ? "still" : "would have been"} denied at once by rule ${draft.decidedBy}`;
  return `${actual === "review" ? "still needs" : "would have needed"} ${draft.needs.join("; and ")}`;
}
