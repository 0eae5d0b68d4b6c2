import type { StepPlan } from "./policy.js";
import type { Role } from "./roles.js";

/**
 * Who counts toward a petition's approval. A petition's plan lists steps; each step needs a
 * number of distinct eligible approvers. A person counts once per petition, toward one step,
 * however many steps they are eligible for and however often they approve: the petition is
 * approved when its approvers can be assigned to the steps' places, each approver to one place
 * of a step they were eligible for when they approved (a matching, so the order of approvals
 * never matters). Nobody counts toward their own petition unless the step allows it.
 */

export interface ReviewerIdentity {
  /** The principal (`user:alice@example.com`, `serviceAccount:…`, `bot:…`): the unit of "distinct". */
  key: string;
  email?: string;
  groups: ReadonlySet<string>;
  roles: ReadonlySet<Role>;
  serviceAccount?: string;
  /** Ids and emails a decision-webhook bot goes by, lower-cased. */
  botNames?: readonly string[];
  /** Whether they asked for the petition: a petitioner, or its creator. */
  isParty: boolean;
  /** The ids the space's catalog knows the reviewer by (a person's directory ids), to tell a petitioner named by id. */
  catalogIds: ReadonlySet<string>;
}

/** An approval as recorded: who, which steps they were eligible for then, and its event. */
export interface RecordedApproval {
  reviewer: string;
  steps: readonly number[];
  eventId?: string;
  /** The duration the approver gave, when they gave one (null: until revoked). */
  durationMs?: number | null;
}

export type Eligibility = { steps: number[] } | { refused: "self" | "ineligible" };

/** The steps (by index) this reviewer may approve. */
export function eligibility(steps: readonly StepPlan[], reviewer: ReviewerIdentity): Eligibility {
  const eligible: number[] = [];
  let onlyAsSelf = false;
  steps.forEach((step, index) => {
    if (!isNamedBy(step, reviewer)) return;
    if (reviewer.isParty && !step.allowSelfApproval) {
      onlyAsSelf = true;
      return;
    }
    eligible.push(index);
  });
  if (eligible.length > 0) return { steps: eligible };
  return { refused: onlyAsSelf ? "self" : "ineligible" };
}

function isNamedBy(step: StepPlan, reviewer: ReviewerIdentity): boolean {
  const { users, groups, roles, serviceAccounts, bots } = step.reviewers;
  const email = reviewer.email?.toLowerCase();
  if (email !== undefined && users.includes(email)) return true;
  if (groups.some((group) => reviewer.groups.has(group))) return true;
  if (roles.some((role) => reviewer.roles.has(role))) return true;
  if (reviewer.serviceAccount !== undefined && serviceAccounts.includes(reviewer.serviceAccount)) return true;
  if (reviewer.botNames?.some((name) => bots.includes(name))) return true;
  return false;
}

export interface StepProgress {
  name: string;
  rule: string;
  required: number;
  /** Reviewers assigned to this step in the matching that counts the most approvals. */
  approvers: string[];
  satisfied: boolean;
}

export interface ReviewProgress {
  satisfied: boolean;
  steps: StepProgress[];
}

/** How far the approvals go toward the plan's steps. */
export function reviewProgress(steps: readonly StepPlan[], approvals: readonly RecordedApproval[]): ReviewProgress {
  // Distinct principals: the first recorded approval of each counts.
  const byReviewer = new Map<string, readonly number[]>();
  for (const approval of approvals) if (!byReviewer.has(approval.reviewer)) byReviewer.set(approval.reviewer, approval.steps);

  const slots: number[] = [];
  steps.forEach((step, index) => {
    for (let i = 0; i < step.approvals; i++) slots.push(index);
  });
  const slotOwner: Array<string | undefined> = new Array(slots.length);
  const reviewers = [...byReviewer.keys()];
  // Kuhn's augmenting paths: small inputs (at most a few hundred places and reviewers).
  const assign = (reviewer: string, seen: Set<number>): boolean => {
    const eligible = byReviewer.get(reviewer)!;
    for (let slot = 0; slot < slots.length; slot++) {
      if (seen.has(slot) || !eligible.includes(slots[slot]!)) continue;
      seen.add(slot);
      const owner = slotOwner[slot];
      if (owner === undefined || assign(owner, seen)) {
        slotOwner[slot] = reviewer;
        return true;
      }
    }
    return false;
  };
  for (const reviewer of reviewers) assign(reviewer, new Set());

  const order = new Map(reviewers.map((reviewer, i) => [reviewer, i]));
  const progress = steps.map((step, index): StepProgress => {
    const approvers = slots
      .flatMap((stepIndex, slot) => (stepIndex === index && slotOwner[slot] !== undefined ? [slotOwner[slot]!] : []))
      .sort((a, b) => order.get(a)! - order.get(b)!);
    return { name: step.name, rule: step.rule, required: step.approvals, approvers, satisfied: approvers.length >= step.approvals };
  });
  return { satisfied: progress.every((step) => step.satisfied), steps: progress };
}
