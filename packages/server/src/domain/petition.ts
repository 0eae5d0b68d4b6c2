import type { PetitionOperation } from "./agents.js";
import type { GrantProvisioning } from "./delivery.js";
import type { ReviewPlan } from "./policy-evaluation.js";
import type { RecordedApproval } from "./reviews.js";
import type { Resource } from "./resource.js";

/**
 * Phases on the wire, as Indent clients know them: a petition is `open` until decided,
 * `granted` while access is held, and `closed` once over. `revoked` exists in Indent's enum and
 * is accepted, but this service reports a revoked petition as `closed` (Indent's own client
 * tests expect that) with the outcome beside it.
 */
export type Phase = "open" | "granted" | "revoked" | "closed";

/**
 * Why a petition ended, kept beside the phase for machines (`state.status.outcome`):
 * *denied* = a reviewer or policy said no; *cancelled* = closed before a decision;
 * *timed_out* = nobody decided before the policy's pending timeout; *revoked* = access ended
 * early by a person or policy; *expired* = access ended at its scheduled time.
 */
export type Outcome = "denied" | "cancelled" | "timed_out" | "revoked" | "expired";

export interface Petition {
  spaceId: string;
  spaceName: string;
  name: string;
  petitioners: Resource[];
  resources: Resource[];
  reason: string;
  labels: Record<string, string>;
  /** Duration the petitioner suggested; null when none. */
  defaultDurationMs: number | null;
  phase: Phase;
  outcome: Outcome | null;
  /** Sequence number of the newest event in the petition's history. */
  lastEventSeq: number;
  /** Increases on every change; a compare-and-set guard and an ordering hint for receivers. */
  version: number;
  /** Identity of (petitioners, resources): identical open or granted petitions share it. */
  dedupeKey: string;
  createdAt: number;
  updatedAt: number;
  /** When access began (set on approval). */
  startAt: number | null;
  /** When access ends; null while granted means until revoked. */
  expireAt: number | null;
  /** When the petition closed. */
  endAt: number | null;
  deletedAt: number | null;
  /** The actor key of whoever created it; empty for petitions from before it was recorded. */
  createdBy: string;
  /**
   * What it needs, fixed when it was created: the approval steps, the limits of the grant, who
   * is told, when it times out. Null for petitions from before policies (the default plan).
   */
  reviewPlan: ReviewPlan | null;
  /** Approvals so far toward the plan's steps. */
  approvals: RecordedApproval[];
  /** When it closes as timed out if nobody decides it; null for never. */
  timeoutAt: number | null;
  /** When its next escalation is due; null when none is left. */
  nextEscalationAt: number | null;
  escalationsDone: number;
  /**
   * For a petition made for one tool call: the tool, its canonical arguments and their hash,
   * fixed at creation where no update reaches them. Null for other petitions.
   */
  operation: PetitionOperation | null;
}

/**
 * Event names. The first five are Indent's. `access/close` records a petition closed by a
 * person (PUT of phase "closed", or DELETE), which Indent left without an event; clients that
 * look for the others are not disturbed by it. `petition/relabel` records a change to the
 * petition's free labels: what changed is its reason, and the new values its labels.
 */
export type EventName =
  "access/request" | "access/approve" | "access/deny" | "access/grant" | "access/revoke" | "access/close" | "petition/relabel";

/** A claim or event in a petition's history (`indent.audit.v1.Event`). */
export interface PetitionEvent {
  id: string;
  petitionName: string;
  /** Position in the petition's history, from 1. */
  seq: number;
  event: EventName;
  actor: Resource;
  reason: string;
  resources: Resource[];
  labels: Record<string, string>;
  timestamp: number;
}

export type GrantStatus = "active" | "expired" | "revoked";

/** Access held by one petitioner to one resource because a petition was approved. */
export interface Grant {
  /** What the integrations have done with it; it is shown revoked only once they all acknowledged. */
  provisioning: GrantProvisioning;
  id: string;
  spaceId: string;
  petitionName: string;
  petitioner: Resource;
  resource: Resource;
  status: GrantStatus;
  startAt: number;
  /** Null means until revoked. */
  expireAt: number | null;
  endAt: number | null;
}

/** Whether a phase still holds the petition's dedupe slot: an identical request joins it. */
export function isActivePhase(phase: Phase): boolean {
  return phase === "open" || phase === "granted";
}
