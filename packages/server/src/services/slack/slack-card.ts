import { PETITION_AGENT_LABEL } from "../../domain/agents.js";
import { describeMillis, formatGoDuration, millisToNanos } from "../../domain/duration.js";
import { INDEFINITE_LABEL, type GrantLimits } from "../../domain/grant-expiry.js";
import type { Petition, PetitionEvent } from "../../domain/petition.js";
import type { Resource } from "../../domain/resource.js";
import type { CardStatus, DurationChoice, PetitionCard } from "../../slack/card.js";
import { planOf } from "../petitions/review-plan.js";

/** The value of the "until revoked" duration choice. */
export const INDEFINITE_CHOICE = "indefinite";

/** Durations offered to a reviewer, where the policy's limits allow them. */
const OFFERED_MS = [1, 2, 4, 8, 12, 24, 72, 168].map((hours) => hours * 3_600_000);
/** Resource label keys shown to reviewers as risk markers. */
const RISK_KEY = /(^|[/._-])(risk|env|environment|sensitivity|classification|tier)$/i;

/** What a Slack message shows of a petition, as it is now. */
export function petitionCard(petition: Petition, history: PetitionEvent[], options: { limits: GrantLimits; webUrl: string }): PetitionCard {
  const plan = planOf(petition, options.limits);
  const durations = durationChoices(plan.limits, petition.defaultDurationMs);
  return {
    spaceName: petition.spaceName,
    name: petition.name,
    webUrl: options.webUrl,
    petitioners: petition.petitioners.map((p) => ({ label: label(p) })),
    resources: petition.resources.map((r) => ({ kind: r.kind, label: r.displayName || r.id || r.email || r.kind })),
    reason: petition.reason,
    requestedDuration: requestedDuration(petition),
    riskLabels: [
      ...new Set(
        petition.resources.flatMap((r) =>
          Object.entries(r.labels)
            .filter(([key]) => RISK_KEY.test(key))
            .map(([k, v]) => `${k}=${v}`),
        ),
      ),
      // An agent asked (for the petitioners shown above): reviewers see which one.
      ...(petition.labels[PETITION_AGENT_LABEL] ? [`agent=${petition.labels[PETITION_AGENT_LABEL]}`] : []),
    ],
    highRisk: plan.highRisk === true,
    createdAt: petition.createdAt,
    status: statusOf(
      petition,
      history,
      plan.steps.reduce((sum, step) => sum + step.approvals, 0),
    ),
    durationChoices: durations.choices,
    defaultDuration: durations.preselected,
  };
}

/** The durations a reviewer may choose, shortest first, and the one to preselect: what was asked, else the policy's default. */
export function durationChoices(limits: GrantLimits, askedMs: number | null): { choices: DurationChoice[]; preselected: string | null } {
  const wanted = askedMs !== null && askedMs <= limits.maxMs ? askedMs : Math.min(limits.defaultMs, limits.maxMs);
  const values = new Set(OFFERED_MS.filter((ms) => ms <= limits.maxMs));
  values.add(wanted);
  values.add(limits.maxMs);
  const choices: DurationChoice[] = [...values]
    .sort((a, b) => a - b)
    .map((ms) => ({ label: describeMillis(ms), value: formatGoDuration(millisToNanos(ms)) }));
  if (limits.allowIndefinite) choices.push({ label: "until revoked", value: INDEFINITE_CHOICE });
  // A select holds at most 100 options; the list above is far shorter.
  return { choices, preselected: formatGoDuration(millisToNanos(wanted)) };
}

function requestedDuration(petition: Petition): string | null {
  if (petition.labels[INDEFINITE_LABEL] === "true") return "until revoked";
  return petition.defaultDurationMs === null ? null : describeMillis(petition.defaultDurationMs);
}

function statusOf(petition: Petition, history: PetitionEvent[], needed: number): CardStatus {
  const last = (event: PetitionEvent["event"]) => [...history].reverse().find((e) => e.event === event);
  const by = (event: PetitionEvent | undefined) => (event ? label(event.actor) : "Greenlight");
  if (petition.phase === "open") {
    const approvers = history.filter((e) => e.event === "access/approve").map((e) => label(e.actor));
    return { state: "pending", approvers: [...new Set(approvers)], needed: Math.max(needed, 1) };
  }
  if (petition.phase === "granted") {
    const approval = last("access/approve");
    const duration =
      petition.expireAt === null || petition.startAt === null ? "until revoked" : describeMillis(petition.expireAt - petition.startAt);
    return { state: "granted", by: by(approval), duration, expireAt: petition.expireAt };
  }
  switch (petition.outcome) {
    case "denied": {
      const deny = last("access/deny");
      return { state: "denied", by: by(deny), reason: deny?.reason ?? "" };
    }
    case "timed_out":
      return { state: "timed_out", reason: last("access/close")?.reason ?? "nobody decided in time" };
    case "expired":
      return { state: "expired", at: petition.endAt ?? petition.updatedAt };
    case "revoked": {
      const revoke = [...history].reverse().find((e) => e.event === "access/revoke" || e.event === "access/close");
      return { state: "revoked", by: by(revoke), reason: revoke?.reason ?? "", at: petition.endAt ?? petition.updatedAt };
    }
    default:
      return { state: "cancelled", by: by(last("access/close")) };
  }
}

function label(resource: Resource): string {
  return resource.email || resource.displayName || resource.id || resource.kind;
}
