import type { Petition } from "./types.js";

/**
 * An error the server answered with: its HTTP status and its `{error: {code, message,
 * requestId}}` envelope.
 *
 * @example
 * try { await client.petition.get("pet_x") } catch (err) {
 *   if (err instanceof GreenlightError && err.status === 404) console.log("no such petition")
 * }
 */
export class GreenlightError extends Error {
  override readonly name = "GreenlightError";

  constructor(
    /** The HTTP status; 0 when no answer came (the server could not be reached). */
    readonly status: number,
    /** The server's error code, such as `NOT_FOUND` or `SELF_REVIEW`; `NETWORK` when unreachable. */
    readonly code: string,
    message: string,
    readonly requestId?: string,
    options?: { cause?: unknown; field?: string },
  ) {
    super(message, options);
    this.field = options?.field;
  }

  /** The input at fault, as a path such as `petition.resources[0].kind` or `rules[2].match.condition`. */
  readonly field: string | undefined;

  /** Whether trying again later may succeed: the server was unreachable, busy or restarting. */
  get isRetryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

/**
 * What approving a high-risk petition throws without a recent, strong sign-in behind the
 * token (`STEP_UP_REQUIRED`): service accounts, admin-minted and CLI tokens never have one. A
 * person approves it in the web UI, which asks them to sign in again; `reviewUrl` is the
 * petition's page there.
 *
 * @example
 * try { await client.petition.approve("pet_01…") } catch (err) {
 *   if (err instanceof StepUpRequiredError) console.log(`approve it at ${err.reviewUrl}`)
 * }
 */
export class StepUpRequiredError extends GreenlightError {
  constructor(
    error: GreenlightError,
    /** The petition's page in the web UI, where a person signs in again and approves. */
    readonly reviewUrl: string,
  ) {
    super(error.status, error.code, error.message, error.requestId, { cause: error, ...(error.field ? { field: error.field } : {}) });
  }
}

/**
 * Why `approval()` did not grant: `denied` (a reviewer or policy said no, or took access back),
 * `waiting` (not decided yet when the wait ended; once granted, asking again returns at once),
 * `expired` (the request or its access ran out of time), `cancelled` (withdrawn before a
 * decision), `unknown` (anything else: the server could not be reached, the token was refused).
 */
export type ErrorKind = "denied" | "waiting" | "expired" | "cancelled" | "unknown";

/**
 * What `approval()` throws when access was not granted. It carries the petition as it last
 * saw it and, when a reviewer or the policy gave one, the reason for the decision.
 *
 * @example
 * try { await approval({ reason, resources }) } catch (err) {
 *   if (err instanceof ApprovalError && err.kind === "denied") console.log(`denied: ${err.reason ?? "no reason given"}`)
 * }
 */
export class ApprovalError extends Error {
  override readonly name = "ApprovalError";
  /** The decider's reason (a reviewer's, or the policy's), when the petition was decided with one. */
  readonly reason: string | undefined;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly petition?: Petition,
    options?: { cause?: unknown; reason?: string },
  ) {
    super(message, options);
    this.reason = options?.reason;
  }
}

/**
 * The kind of an error thrown by `approval()`: `'denied'`, `'waiting'`, `'expired'`,
 * `'cancelled'`, or `'unknown'` for anything else (including errors that are not Greenlight's).
 *
 * @example
 * switch (getErrorKind(err)) {
 *   case "waiting": return { ok: false, status: "waiting" } // once granted, it will auto-approve next time
 *   case "denied": return { ok: false, status: "denied" }
 *   default: return { ok: false, status: "unknown" }
 * }
 */
export function getErrorKind(error: unknown): ErrorKind {
  return error instanceof ApprovalError ? error.kind : "unknown";
}

/** The kind a decided petition that is not granted stands for. */
export function kindOfClosed(petition: Petition): ErrorKind {
  switch (petition.state.status.outcome) {
    case "cancelled":
      return "cancelled";
    case "expired":
    case "timed_out":
      return "expired";
    case "denied":
    case "revoked":
      return "denied";
    default:
      return "unknown";
  }
}
