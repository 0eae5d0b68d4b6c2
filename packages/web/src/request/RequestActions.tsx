import type { Petition } from "@greenlight/sdk";
import { useState } from "react";
import { Problem } from "../components/Problem.js";
import { what } from "../format.js";
import { problemOf } from "../problem.js";
import { navigate, spaceHref } from "../router.js";
import { apiFor } from "../session.js";
import { ExtendRequest } from "./ExtendRequest.js";
import { RequestDialog } from "./RequestDialog.js";
import { sameRequest } from "./same-request.js";
import "./request.css";

/**
 * What a person can do with a request of their own: cancel it while it is open, ask for more
 * time on access it gave (in a dialog; the extension is a new request), end that access (after
 * confirming, in a dialog), or ask again, in one click, for what an ended one asked for.
 * `onChanged` is told after a change, to read the request again.
 */
export function RequestActions({ space, petition, onChanged }: { space: string; petition: Petition; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [extending, setExtending] = useState(false);
  const { phase } = petition.state.status;
  const asked = petition.resources.map(what).join(", ");

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setProblem("");
    try {
      await action();
    } catch (e) {
      setProblem(`${problemOf(e)} Try again, or reload the page to see where the request stands.`);
    } finally {
      setBusy(false);
    }
  }

  const cancel = () =>
    run(async () => {
      await (await apiFor(space)).petition.close(petition.name);
      onChanged();
    });
  const revoke = () =>
    run(async () => {
      setConfirming(false);
      await (await apiFor(space)).petition.revoke(petition.name, "ended by the requester");
      onChanged();
    });
  const again = () =>
    run(async () => {
      const made = await (await apiFor(space)).petition.create(sameRequest(petition));
      navigate(spaceHref(space, `/petitions/${made.name}`));
    });

  return (
    <div className="request-actions">
      {phase === "open" && (
        <button type="button" onClick={() => void cancel()} disabled={busy} aria-label={`Cancel request for ${asked}`}>
          Cancel request
        </button>
      )}
      {phase === "granted" && petition.meta.expireTime && (
        <button type="button" onClick={() => setExtending(true)} disabled={busy} aria-label={`Extend access to ${asked}`}>
          Extend
        </button>
      )}
      {phase === "granted" && (
        <button type="button" className="deny" onClick={() => setConfirming(true)} disabled={busy} aria-label={`Revoke access to ${asked}`}>
          Revoke access
        </button>
      )}
      {phase === "closed" && (
        <button type="button" onClick={() => void again()} disabled={busy} aria-label={`Request again: ${asked}`}>
          Request again
        </button>
      )}
      {extending && <ExtendRequest space={space} petition={petition} what={asked} onClose={() => setExtending(false)} />}
      {confirming && <ConfirmRevoke what={asked} onConfirm={() => void revoke()} onKeep={() => setConfirming(false)} />}
      <Problem text={problem} />
    </div>
  );
}

/** A modal dialog that asks before access ends: ending it cannot be undone, only asked for again. */
function ConfirmRevoke({ what: asked, onConfirm, onKeep }: { what: string; onConfirm: () => void; onKeep: () => void }) {
  // Escape keeps the access, as the button does.
  return (
    <RequestDialog
      title="Revoke your access?"
      description={<>Your access to {asked} ends now. To have it again, you will have to request it again and wait for approval.</>}
      onClose={onKeep}
    >
      <div className="request-actions">
        <button type="button" className="deny" onClick={onConfirm}>
          Revoke now
        </button>
        <button type="button" onClick={onKeep} autoFocus>
          Keep access
        </button>
      </div>
    </RequestDialog>
  );
}
