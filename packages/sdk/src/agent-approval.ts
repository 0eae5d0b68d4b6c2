import { GreenlightAPI } from "./client.js";
import { GreenlightError } from "./errors.js";
import { operationRequest, type Operation } from "./operation.js";
import { ProgressSchedule } from "./progress.js";
import type { NamedResource, Petition, PetitionEvent, Resource } from "./types.js";

/**
 * Where an approval stands, for a program (an AI agent) to act on: `granted`; `denied` (a
 * reviewer or policy said no, or took access back); `expired` (the access ran out);
 * `timed_out` (nobody decided before the petition's own deadline); `cancelled` (withdrawn);
 * `pending` (not decided yet: ask again with the petition's name, which makes no second one).
 */
export type ApprovalStatus = "granted" | "denied" | "expired" | "timed_out" | "cancelled" | "pending";

export interface ApprovalOutcome {
  status: ApprovalStatus;
  /** The petition's name: check it again with this, never by asking anew. */
  petition: string;
  space: string;
  /** The decider's reason (the reviewer's, or the policy's), when there is one. */
  reason?: string;
  /** Who decided (emails, or kind/id of non-people). */
  decidedBy: string[];
  /** When granted access ends (RFC 3339), if it does. */
  expireTime?: string;
  /** The approval receipt, when granted for an operation (see `verifyReceipt`). */
  receipt?: string;
  /** A sentence for the model: what happened and what to do next. */
  message: string;
}

export interface RequestApprovalInput {
  /** What is asked for, in words reviewers read ("delete project proj_1"). */
  what: string;
  /** Why. */
  why?: string;
  /** The resources asked for (an operation adds its own); an `action` resource named after `what` when none. */
  resources?: NamedResource[];
  /** How long access is asked for, as a Go duration ("30m"). */
  duration?: string;
  /** The exact call to approve: a receipt then binds the tool and these arguments. */
  operation?: Operation;
  /** Whom the access is for; the caller's own identity when left out. */
  petitioners?: NamedResource[];
}

export interface WaitOptions {
  client?: GreenlightAPI;
  /** How long to wait for a decision, in ms (default 30 s); `pending` after that. */
  waitMs?: number;
  signal?: AbortSignal;
  /** Fetch a receipt when granted (default: when the petition is for an operation). */
  receipt?: boolean;
  /** Called while it waits (after 2 s, then each time the wait has doubled), for progress lines. */
  onWaiting?: (info: { petition: Petition; elapsedMs: number }) => void;
}

/**
 * Asks for approval and waits up to a bound, answering with an outcome instead of throwing:
 * what an agent needs to tell "no" from "not yet". Asking again for the same thing finds the
 * same petition (the server makes identical requests one).
 *
 * @example
 * const outcome = await requestApproval({ what: "delete project proj_1", operation: { tool: "delete_project", arguments: { id: "proj_1" } } });
 * if (outcome.status === "pending") setTimeout(() => checkApproval(outcome.petition), 60_000);
 */
export async function requestApproval(input: RequestApprovalInput, options: WaitOptions = {}): Promise<ApprovalOutcome> {
  const client = options.client ?? new GreenlightAPI();
  const op = input.operation ? await operationRequest(input.operation) : undefined;
  // An operation's own resource is always asked for: its id carries the arguments' hash, so
  // other arguments are another petition even when the same resources are named.
  const resources = [...(input.resources ?? []), ...(op?.resources ?? [])];
  if (resources.length === 0) resources.push({ kind: "action", id: slug(input.what), displayName: input.what });
  const reason = [input.what, input.why].filter(Boolean).join(": ");
  const created = await client.petition.create({
    reason,
    resources,
    ...(input.petitioners?.length ? { petitioners: input.petitioners } : {}),
    ...(input.duration ? { defaultDuration: input.duration } : {}),
    ...(op ? { meta: { labels: op.labels } } : {}),
  });
  return settle(client, created, options, op !== undefined);
}

/**
 * The outcome of a petition made before, waiting up to `waitMs` again while it is open.
 *
 * @example
 * const outcome = await checkApproval("pet_01…", { waitMs: 60_000 });
 */
export async function checkApproval(petitionName: string, options: WaitOptions = {}): Promise<ApprovalOutcome> {
  const client = options.client ?? new GreenlightAPI();
  const petition = await client.petition.get(petitionName, { signal: options.signal });
  return settle(client, petition, options, petition.meta.labels["greenlight.dev/operation-sha256"] !== undefined);
}

async function settle(client: GreenlightAPI, first: Petition, options: WaitOptions, isOperation: boolean): Promise<ApprovalOutcome> {
  const petition = await waitReporting(client, first, options.waitMs ?? 30_000, options);
  const outcome = outcomeOf(petition);
  if (outcome.status === "granted" && (options.receipt ?? isOperation)) {
    try {
      outcome.receipt = (await client.petition.receipt(petition.name)).receipt;
    } catch (error) {
      if (!(error instanceof GreenlightError) || error.status >= 500) throw error;
    }
  }
  return outcome;
}

/** Long-polls while the petition is open, up to `waitMs`, calling `onWaiting` when a progress line is due. */
async function waitReporting(client: GreenlightAPI, first: Petition, waitMs: number, options: WaitOptions): Promise<Petition> {
  const started = Date.now();
  const schedule = new ProgressSchedule();
  let petition = first;
  for (;;) {
    const elapsed = Date.now() - started;
    if (petition.state.status.phase !== "open" || elapsed >= waitMs) return petition;
    if (schedule.due(elapsed)) options.onWaiting?.({ petition, elapsedMs: elapsed });
    petition = await client.petition.poll(petition.name, Math.min(waitMs - elapsed, schedule.untilNext(elapsed)), options.signal);
  }
}

/**
 * The outcome a petition stands for, as it is now.
 *
 * @example
 * const { status, reason } = outcomeOf(await client.petition.get("pet_01…"));
 */
export function outcomeOf(petition: Petition): ApprovalOutcome {
  const { phase, outcome } = petition.state.status;
  const status: ApprovalStatus =
    phase === "granted"
      ? "granted"
      : phase === "open"
        ? "pending"
        : outcome === "cancelled"
          ? "cancelled"
          : outcome === "timed_out"
            ? "timed_out"
            : outcome === "expired"
              ? "expired"
              : "denied";
  const decision = lastDecision(petition.state.eventHistory, status);
  const approvers =
    status === "granted"
      ? petition.state.eventHistory.filter((event) => event.event === "access/approve").map((event) => who(event.actor))
      : [];
  const decidedBy = status === "granted" ? [...new Set(approvers)] : decision ? [who(decision.actor)] : [];
  const base = {
    status,
    petition: petition.name,
    space: petition.spaceName,
    decidedBy,
    ...(decision?.reason ? { reason: decision.reason } : {}),
    ...(petition.meta.expireTime ? { expireTime: petition.meta.expireTime } : {}),
  };
  return { ...base, message: messageFor(base) };
}

function lastDecision(events: PetitionEvent[], status: ApprovalStatus): PetitionEvent | undefined {
  const wanted = status === "granted" ? ["access/approve"] : status === "pending" ? [] : ["access/deny", "access/revoke", "access/approve"];
  for (let i = events.length - 1; i >= 0; i--) if (wanted.includes(events[i]!.event)) return events[i];
  return undefined;
}

function who(actor: Resource): string {
  return actor.email ?? `${actor.kind}/${actor.id ?? ""}`;
}

function messageFor(o: Omit<ApprovalOutcome, "message">): string {
  const by = o.decidedBy.length ? ` by ${o.decidedBy.join(", ")}` : "";
  const why = o.reason ? `: ${o.reason}` : "";
  switch (o.status) {
    case "granted":
      return `Approved${by}${why}. Go ahead${o.expireTime ? ` before ${o.expireTime}` : ""}.`;
    case "denied":
      return `Denied${by}${why}. Do not do it; do not ask again unless something changed.`;
    case "pending":
      return `Not decided yet. Call check_approval with petition "${o.petition}" later to keep waiting; it does not create a second request.`;
    case "timed_out":
      return `Nobody decided before the request's deadline; it is closed. Ask again only if it is still needed.`;
    case "expired":
      return `The approval has expired${why}. Ask again if it is still needed.`;
    case "cancelled":
      return `The request was cancelled${by}.`;
  }
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 120) || "approval"
  );
}
