import type { Petition } from "@greenlight/sdk";
import { useEffect, useState } from "react";
import { DURATIONS, shortDuration } from "../format.js";
import { problemOf } from "../problem.js";
import { spaceHref } from "../router.js";
import { apiFor, currentSession, type StepUpStatus } from "../session.js";
import { needsStepUp, rememberApproval, stepUpWithPasskey, stepUpWithProvider, takeApproval } from "../step-up.js";

/**
 * Approve (for a duration) or deny (with a reason), in one click each. A high-risk petition's
 * approval needs a recent, strong sign-in: when the server asks for one, the reviewer signs in
 * again (with a passkey here, or at the identity provider and back) and the approval is made
 * then, without clicking again.
 */
export function ReviewButtons({ space, petition, onDone }: { space: string; petition: Petition; onDone: () => void }) {
  const [duration, setDuration] = useState(shortDuration(petition.defaultDuration) || "1h");
  const [reason, setReason] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const [stepUp, setStepUp] = useState<StepUpStatus | null>(null);

  async function approve(withDuration: string, withReason: string) {
    const api = await apiFor(space);
    await api.petition.approve(petition.name, { duration: withDuration, reason: withReason || "approved in the web UI" });
  }

  async function decide(decision: "approve" | "deny", withDuration = duration, withReason = reason) {
    setBusy(true);
    setError("");
    try {
      if (decision === "approve") await approve(withDuration, withReason);
      else await (await apiFor(space)).petition.deny(petition.name, withReason || "denied in the web UI");
      setStepUp(null);
      onDone();
    } catch (e) {
      if (decision === "approve" && needsStepUp(e)) setStepUp((await currentSession())?.stepUp ?? { methods: [], maxAge: "" });
      else setError(problemOf(e));
    } finally {
      setBusy(false);
    }
  }

  // Back from signing in again at the identity provider: the approval it was for is made now.
  useEffect(() => {
    const pending = takeApproval(space, petition.name);
    if (!pending) return;
    setDuration(pending.duration);
    setReason(pending.reason);
    void decide("approve", pending.duration, pending.reason);
    // Once per petition shown: what was remembered is taken as it is read.
  }, [space, petition.name]);

  async function withPasskey() {
    setBusy(true);
    setError("");
    try {
      await stepUpWithPasskey();
    } catch (e) {
      setError(problemOf(e));
      setBusy(false);
      return;
    }
    await decide("approve");
  }

  function atProvider() {
    rememberApproval({ space, petition: petition.name, duration, reason });
    stepUpWithProvider(spaceHref(space, `/petitions/${petition.name}`));
  }

  return (
    <div className="review">
      <label>
        Duration
        <select value={duration} onChange={(e) => setDuration(e.target.value)}>
          {[...new Set([duration, ...DURATIONS])].map((d) => (
            <option key={d}>{d}</option>
          ))}
        </select>
      </label>
      <label>
        Reason
        <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="optional" />
      </label>
      <button type="button" className="approve" disabled={busy} onClick={() => void decide("approve")}>
        Approve
      </button>
      <button type="button" className="deny" disabled={busy} onClick={() => void decide("deny")}>
        Deny
      </button>
      {stepUp && (
        <div className="step-up" role="group" aria-label="Sign in again to approve">
          <p>
            This petition is high risk: approving it needs a sign-in within the last {stepUp.maxAge || "few minutes"}, with the identity
            provider or a passkey. Confirm it is you, and it is approved.
          </p>
          {stepUp.methods.includes("passkey") && (
            <button type="button" disabled={busy} onClick={() => void withPasskey()}>
              Use a passkey
            </button>
          )}
          {stepUp.methods.includes("oidc") && (
            <button type="button" disabled={busy} onClick={atProvider}>
              Sign in again
            </button>
          )}
          {stepUp.methods.length === 0 && <p>You have no way to sign in again here: this server needs an identity provider set up.</p>}
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}
