import { outcomeOf } from "./agent-approval.js";
import { GreenlightAPI } from "./client.js";
import { ApprovalError, GreenlightError, kindOfClosed } from "./errors.js";
import { printer, ProgressSchedule, silent, type Progress } from "./progress.js";
import { sleep } from "./transport.js";
import type { NamedResource, Petition } from "./types.js";

/** What to ask approval for. */
export interface ApprovalRequest {
  /** Why; reviewers read it. */
  reason?: string;
  /** What is asked for: `[{ kind: "action", id: "reset-password:123" }]`. */
  resources: NamedResource[];
  /** Who asks; the token's own identity (its `sub`) when left out. */
  petitioners?: NamedResource[];
  /** How long access is asked for, as a Go duration ("2h"); the reviewer decides in the end. */
  duration?: string;
  /** Labels for the petition, for policies and searches. */
  labels?: Record<string, string>;
}

export interface ApprovalOptions {
  /** The client to use; by default one configured from the environment. */
  client?: GreenlightAPI;
  /**
   * How long to wait for a decision, in ms: 5 minutes by default (Indent's 10 s is too short
   * for a person to read a request and decide); hours are fine.
   */
  timeout?: number;
  /** Indent's older options: wait `retries` × `wait` ms in all. */
  retries?: number;
  wait?: number;
  /** Stops waiting (the petition stays open); `approval()` rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called whenever a progress line is due while waiting. */
  onWaiting?: (info: { petition: Petition; elapsedMs: number }) => void;
  /** Makes the request safe to retry across processes: the same key finds the same petition. */
  idempotencyKey?: string;
  /** Print nothing (by default the progress lines go to stderr). */
  quiet?: boolean;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;
/** The longest one long-poll is asked to hold. */
const MAX_HOLD_MS = 55_000;
/** How long to wait before asking again when the server could not be reached. */
const MAX_RETRY_PAUSE_MS = 5000;

let defaultClient: GreenlightAPI | undefined;

/**
 * Blocks until access is granted: finds the open or granted petition for the same petitioners
 * and resources, or creates one; returns it at once if already granted (an active grant
 * approves the repeat); otherwise waits, on the server's long-poll, for a decision. Anything
 * but a grant rejects with an `ApprovalError` whose `getErrorKind` is `denied`, `waiting`,
 * `expired`, `cancelled` or `unknown`. A dropped connection or a restarting server does not
 * end the wait: it asks again, and never creates a second petition.
 *
 * @example
 * import { approval, getErrorKind } from "@greenlight/sdk";
 *
 * try {
 *   const petition = await approval({
 *     reason: "to recover account",
 *     resources: [{ kind: "action", id: `reset-password:${userId}`, displayName: `Reset Password (user:${userId})` }],
 *   });
 *   // granted: reset the password
 * } catch (err) {
 *   if (getErrorKind(err) === "waiting") console.log("not decided yet; once granted it will go through");
 * }
 */
export async function approval(request: ApprovalRequest, options: ApprovalOptions = {}): Promise<Petition> {
  const client = options.client ?? (defaultClient ??= new GreenlightAPI());
  const progress: Progress = options.quiet ? silent : printer();
  const timeoutMs = options.timeout ?? (options.retries !== undefined ? options.retries * (options.wait ?? 1000) : DEFAULT_TIMEOUT_MS);
  const started = client.now();
  const deadline = started + timeoutMs;
  const idempotencyKey = options.idempotencyKey ?? crypto.randomUUID();

  let petition = await untilAnswered(client.now, deadline, options.signal, () =>
    client.petition.create(
      {
        reason: request.reason ?? "",
        resources: request.resources,
        ...(request.petitioners ? { petitioners: request.petitioners } : {}),
        ...(request.duration ? { defaultDuration: request.duration } : {}),
        ...(request.labels ? { meta: { labels: request.labels } } : {}),
      },
      { idempotencyKey, signal: options.signal },
    ),
  );
  progress.requested(client.spaceName, petition.name);

  const schedule = new ProgressSchedule();
  while (petition.state.status.phase === "open") {
    const elapsed = client.now() - started;
    if (elapsed >= timeoutMs) {
      progress.notGranted(`Not decided within ${describeWait(timeoutMs)}`);
      throw new ApprovalError(
        "waiting",
        `petition ${petition.name} was not decided within ${describeWait(timeoutMs)}; it stays open, and once granted, asking again returns at once`,
        petition,
      );
    }
    if (schedule.due(elapsed)) {
      progress.waiting(elapsed);
      options.onWaiting?.({ petition, elapsedMs: elapsed });
    }
    const holdMs = Math.min(timeoutMs - elapsed, schedule.untilNext(elapsed), MAX_HOLD_MS);
    const name = petition.name;
    petition = await untilAnswered(
      client.now,
      deadline,
      options.signal,
      () => client.petition.poll(name, holdMs, options.signal),
      petition,
    );
  }

  if (petition.state.status.phase === "granted") {
    progress.granted();
    return petition;
  }
  const kind = kindOfClosed(petition);
  const { reason, decidedBy } = outcomeOf(petition);
  const why = reason ? `: ${reason}` : "";
  const by = decidedBy.length > 0 ? ` by ${decidedBy.join(", ")}` : "";
  const state = petition.state.status.outcome ?? petition.state.status.phase;
  progress.notGranted(kind === "denied" ? `Denied${by}${why}` : `Not granted (${state})${why}`);
  const message = kind === "denied" ? `was ${state}${by}${why}` : `was not granted: it is ${state}${why}`;
  throw new ApprovalError(kind, `petition ${petition.name} ${message}`, petition, { ...(reason ? { reason } : {}) });
}

/** A wait as people say it: "5 min", "30 s", "1500 ms". */
function describeWait(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/**
 * Runs `attempt` until it answers, asking again after passing failures (the server unreachable
 * or restarting) until the deadline; anything else rejects as `unknown`.
 */
async function untilAnswered<T>(
  now: () => number,
  deadline: number,
  signal: AbortSignal | undefined,
  attempt: () => Promise<T>,
  last?: Petition,
): Promise<T> {
  for (let failures = 0; ; failures++) {
    try {
      return await attempt();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const retryable = error instanceof GreenlightError && error.isRetryable;
      const pause = Math.min(MAX_RETRY_PAUSE_MS, 200 * 2 ** failures);
      if (!retryable || now() + pause >= deadline) {
        const kind = retryable && last ? "waiting" : "unknown";
        throw new ApprovalError(kind, `approval failed: ${error instanceof Error ? error.message : String(error)}`, last, { cause: error });
      }
      await sleep(pause, signal);
    }
  }
}

/**
 * Wraps a function (an AI agent's tool, a dangerous admin action) so that each call runs only
 * once approved. The call's arguments go into the petition: in its reason and labels, and in
 * the resource id (hashed), so different arguments need their own approval and a repeat of
 * approved arguments goes through while the grant lasts.
 *
 * @example
 * const deleteProject = withApproval(
 *   async (projectId: string) => db.projects.delete(projectId),
 *   { action: "delete-project", reason: "agent wants to delete a project" },
 * );
 * await deleteProject("proj_123"); // waits for a reviewer, then deletes
 */
export function withApproval<Args extends unknown[], R>(
  fn: (...args: Args) => R | Promise<R>,
  describe: { action: string; reason?: string } | ((...args: Args) => ApprovalRequest),
  options: ApprovalOptions = {},
): (...args: Args) => Promise<R> {
  return async (...args: Args) => {
    const request = typeof describe === "function" ? describe(...args) : await describeCall(describe, args);
    await approval(request, options);
    return fn(...args);
  };
}

const MAX_LABEL = 4096;

async function describeCall(what: { action: string; reason?: string }, args: unknown[]): Promise<ApprovalRequest> {
  const json = safeJson(args);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(json)));
  const hash = [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
  const shown = json.length > 500 ? `${json.slice(0, 500)}…` : json;
  return {
    reason: `${what.reason ?? what.action}: ${what.action}(${shown.slice(1, -1)})`,
    resources: [
      { kind: "action", id: `${what.action}:${hash}`, displayName: what.action, labels: { "greenlight.dev/action": what.action } },
    ],
    labels: { "greenlight.dev/action": what.action, "greenlight.dev/arguments": json.slice(0, MAX_LABEL) },
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) ?? "[]";
  } catch {
    return "[]";
  }
}
