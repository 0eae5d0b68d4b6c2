import { DomainError } from "./errors.js";
import type { Outcome, Petition, Phase } from "./petition.js";

/**
 * What can happen to a petition. Claims map to approve/deny/revoke (`approve` here is the
 * approval that completes the plan's steps; the ones before it change no phase); `close` is a
 * PUT of `state.status.phase = "closed"` or a DELETE; `expire` is the expiry job; `timeout` is
 * the pending timeout of the policy running out.
 */
export type PetitionAction = "approve" | "deny" | "revoke" | "close" | "expire" | "timeout";

export interface Transition {
  phase: Phase;
  outcome: Outcome | null;
  /** Whether grants are created (approve) or ended (revoke, close or expire of a granted petition). */
  grants: "create" | "end" | "none";
}

/**
 * The state machine, as one table: `TABLE[phase][action]` is the transition, or a string that
 * explains why the action is refused. `revoked` is treated as `closed`.
 */
const TABLE: Record<"open" | "granted" | "closed", Record<PetitionAction, Transition | string>> = {
  open: {
    approve: { phase: "granted", outcome: null, grants: "create" },
    deny: { phase: "closed", outcome: "denied", grants: "none" },
    revoke: "it is open and nothing has been granted to revoke; deny it, or close it to withdraw the request",
    close: { phase: "closed", outcome: "cancelled", grants: "none" },
    expire: "it is open and has no grants to expire",
    timeout: { phase: "closed", outcome: "timed_out", grants: "none" },
  },
  granted: {
    approve: "it is already granted; revoke it and petition again to change the access",
    deny: "it is already granted; an approved petition cannot be denied, revoke it instead",
    revoke: { phase: "closed", outcome: "revoked", grants: "end" },
    close: { phase: "closed", outcome: "revoked", grants: "end" },
    expire: { phase: "closed", outcome: "expired", grants: "end" },
    timeout: "it is already granted; only a pending petition times out",
  },
  closed: {
    approve: "it is closed; create a new petition",
    deny: "it is closed; nothing is left to deny",
    revoke: "it is closed; nothing is left to revoke",
    close: "it is already closed",
    expire: "it is already closed",
    timeout: "it is already closed",
  },
};

const VERB: Record<PetitionAction, string> = {
  approve: "approved",
  deny: "denied",
  revoke: "revoked",
  close: "closed",
  expire: "expired",
  timeout: "timed out",
};

/** The transition for `action`, or an INVALID_TRANSITION error that says why not. */
export function transition(petition: Pick<Petition, "name" | "phase" | "outcome">, action: PetitionAction): Transition {
  const row = TABLE[petition.phase === "revoked" ? "closed" : petition.phase];
  const cell = row[action];
  if (typeof cell === "string") {
    const state = petition.outcome ? `${petition.phase} (${petition.outcome})` : petition.phase;
    throw new DomainError("INVALID_TRANSITION", `petition ${petition.name} is ${state} and cannot be ${VERB[action]}: ${cell}`);
  }
  return cell;
}

/** Whether the petition is finished: nothing more can happen to it. */
export function isClosed(phase: Phase): boolean {
  return phase === "closed" || phase === "revoked";
}
