import { startAuthentication, startRegistration } from "@simplewebauthn/browser";
import { forgetTokens, sessionCall, type StepUpStatus } from "./session.js";

/**
 * Signing in again for high-risk approvals, and the passkeys that make it quick. The server
 * decides: it records a strong sign-in in the session (after the identity provider signs the
 * person in again, or a passkey verifies them), and the access tokens minted afterwards carry
 * it. The browser only runs the ceremony and asks for new tokens.
 */

export interface Passkey {
  id: string;
  name: string;
  createTime: string;
  lastUseTime?: string;
}

/** Signs in again with one of the person's passkeys; afterwards, new tokens carry it. */
export async function stepUpWithPasskey(): Promise<StepUpStatus> {
  const options = await sessionCall<Parameters<typeof startAuthentication>[0]["optionsJSON"]>("POST", "/v1/auth/session:stepUpOptions");
  const response = await startAuthentication({ optionsJSON: options });
  const status = await sessionCall<StepUpStatus>("POST", "/v1/auth/session:stepUp", { response });
  forgetTokens();
  return status;
}

/**
 * Sends the browser to the identity provider, which signs the person in again, and back to
 * `returnTo` (a path here). The page is left, so what was under way must be remembered first.
 */
export function stepUpWithProvider(returnTo: string): void {
  location.assign(`/auth/login?stepUp=true&returnTo=${encodeURIComponent(returnTo)}`);
}

export function listPasskeys(): Promise<{ passkeys: Passkey[] }> {
  return sessionCall("GET", "/v1/auth/passkeys");
}

/** Makes a passkey on this device (or a security key) and adds it; needs a recent strong sign-in. */
export async function addPasskey(name: string): Promise<Passkey> {
  const options = await sessionCall<Parameters<typeof startRegistration>[0]["optionsJSON"]>(
    "POST",
    "/v1/auth/passkeys:registrationOptions",
  );
  const response = await startRegistration({ optionsJSON: options });
  return sessionCall<Passkey>("POST", "/v1/auth/passkeys", { response, ...(name ? { name } : {}) });
}

export function removePasskey(id: string): Promise<unknown> {
  return sessionCall("DELETE", `/v1/auth/passkeys/${encodeURIComponent(id)}`);
}

/** Whether a failed call asked for a fresh, strong sign-in. */
export function needsStepUp(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "STEP_UP_REQUIRED";
}

const PENDING = "greenlight.pendingApproval";
/** A remembered approval older than this is not made on return: the person may have moved on. */
const PENDING_MAX_MS = 10 * 60_000;

export interface PendingApproval {
  space: string;
  petition: string;
  duration: string;
  reason: string;
}

/** Remembers an approval across the trip to the identity provider. */
export function rememberApproval(approval: PendingApproval): void {
  try {
    sessionStorage.setItem(PENDING, JSON.stringify({ ...approval, at: Date.now() }));
  } catch {
    // Without storage the person approves again by hand on return.
  }
}

/** The approval remembered for this petition, forgotten as it is taken. */
export function takeApproval(space: string, petition: string): PendingApproval | undefined {
  let found: (PendingApproval & { at: number }) | undefined;
  try {
    found = JSON.parse(sessionStorage.getItem(PENDING) ?? "null") ?? undefined;
  } catch {
    found = undefined;
  }
  if (!found || found.space !== space || found.petition !== petition) return undefined;
  sessionStorage.removeItem(PENDING);
  return Date.now() - found.at <= PENDING_MAX_MS ? found : undefined;
}
