import type { Petition } from "@greenlight/sdk";
import { useEffect, useId, useRef, useState } from "react";
import { problemOf } from "../problem.js";
import { spaceHref } from "../router.js";
import { apiFor, currentSession, type StepUpStatus } from "../session.js";
import { needsStepUp, rememberApproval, stepUpWithPasskey, stepUpWithProvider, takeApproval } from "../step-up.js";
import type { Said } from "../review/Announcement.js";
import { ConfirmDialog } from "../review/ConfirmDialog.js";
import { INDEFINITE, durationChoices } from "../review/durations.js";
import { requestName } from "../review/words.js";

/**
 * Approve (for a duration within the petition's plan) or deny (with a reason, which the
 * requester reads). Approving a high-risk petition asks first, in a dialog; then, when the
 * server wants a recent, strong sign-in, the reviewer signs in again (with a passkey here, or at
 * the identity provider and back) and the approval is made then, without clicking again. What
 * came of it is handed to `onDecided`, which says it where focus can go.
 */
export function ReviewButtons({ space, petition, onDecided }: { space: string; petition: Petition; onDecided: (said: Said) => void }) {
  const { choices, initial } = durationChoices(petition);
  const [duration, setDuration] = useState(initial);
  const [reason, setReason] = useState("");
  const [error, setError] = useState("");
  const [reasonMissing, setReasonMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [stepUp, setStepUp] = useState<StepUpStatus | null>(null);
  const reasonInput = useRef<HTMLInputElement>(null);
  const ids = { limit: useId(), problem: useId() };
  const name = requestName(petition);
  const highRisk = petition.state.review?.highRisk === true;
  const chosen = choices.find((c) => c.value === duration)?.label ?? duration;

  async function approve(withDuration: string, withReason: string) {
    const api = await apiFor(space);
    const reasonText = withReason || "approved in the web UI";
    if (withDuration === INDEFINITE) await api.petition.approve(petition.name, { indefinite: true, reason: reasonText });
    else await api.petition.approve(petition.name, { duration: withDuration, reason: reasonText });
  }

  async function decide(decision: "approve" | "deny", withDuration = duration, withReason = reason) {
    setBusy(true);
    setError("");
    try {
      if (decision === "approve") await approve(withDuration, withReason);
      else await (await apiFor(space)).petition.deny(petition.name, withReason);
      setStepUp(null);
      const label = choices.find((c) => c.value === withDuration)?.label ?? withDuration;
      onDecided({ tone: "ok", text: decision === "approve" ? `Approved ${name} for ${label}.` : `Denied ${name}: ${withReason}` });
    } catch (e) {
      if (decision === "approve" && needsStepUp(e)) setStepUp((await currentSession())?.stepUp ?? { methods: [], maxAge: "" });
      else setError(problemOf(e));
    } finally {
      setBusy(false);
    }
  }

  function askToApprove() {
    if (highRisk) setConfirming(true);
    else void decide("approve");
  }

  function deny() {
    if (!reason.trim()) {
      setReasonMissing(true);
      setError("Say why you deny it: the requester reads the reason. Then press Deny again.");
      reasonInput.current?.focus();
      return;
    }
    setReasonMissing(false);
    void decide("deny", duration, reason.trim());
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

  const maxLabel = choices
    .filter((c) => c.value !== INDEFINITE)
    .at(-1)
    ?.label.replace(/ \(.*\)$/, "");
  return (
    <div className="review">
      <label>
        Duration
        <select value={duration} onChange={(e) => setDuration(e.target.value)} aria-describedby={ids.limit}>
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Reason
        <input
          ref={reasonInput}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            if (e.target.value.trim()) setReasonMissing(false);
          }}
          placeholder="needed to deny"
          aria-invalid={reasonMissing || undefined}
          aria-describedby={reasonMissing ? ids.problem : undefined}
        />
      </label>
      <button type="button" className="approve" disabled={busy} aria-label={`Approve ${name}`} onClick={askToApprove}>
        Approve
      </button>
      <button type="button" className="deny" disabled={busy} aria-label={`Deny ${name}`} onClick={deny}>
        Deny
      </button>
      <p id={ids.limit} className="hint review-limit">
        {petition.state.review
          ? `Its plan grants at most ${maxLabel}${petition.state.review.allowIndefinite ? ", or until revoked" : ""}.`
          : `At most ${maxLabel}.`}
      </p>
      <ConfirmDialog
        open={confirming}
        title="Approve a high-risk petition?"
        confirm="Approve"
        confirmLabel={`Approve ${name}`}
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          void decide("approve");
        }}
      >
        <p>
          A rule marks {name} as high risk. Approving it grants access for {chosen}
          {petition.reason ? `, for “${petition.reason}”` : ""}. You may be asked to sign in again first.
        </p>
      </ConfirmDialog>
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
        <p role="alert" className="error" id={ids.problem}>
          {error}
        </p>
      )}
    </div>
  );
}
