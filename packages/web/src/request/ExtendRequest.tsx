import type { Petition, PetitionPreview } from "@greenlight/sdk";
import { useEffect, useState, type FormEvent } from "react";
import { Problem } from "../components/Problem.js";
import { when } from "../format.js";
import { problemOf } from "../problem.js";
import { navigate, spaceHref } from "../router.js";
import { apiFor } from "../session.js";
import { durationChoices, UNTIL_REVOKED } from "./durations.js";
import { RequestDialog } from "./RequestDialog.js";
import { ReviewPreview } from "./ReviewPreview.js";
import { sameAccess } from "./same-request.js";
import "./request.css";

/**
 * Asks for more time on granted access, in a dialog: for how long (the durations the policy
 * allows for this access, from the server's preview) and why. The extension is a new request
 * for the same access, reviewed like any; once it is sent, the person lands on it.
 */
export function ExtendRequest({
  space,
  petition,
  what,
  onClose,
}: {
  space: string;
  petition: Petition;
  what: string;
  onClose: () => void;
}) {
  const [preview, setPreview] = useState<{ answer: PetitionPreview; at: number } | null>(null);
  const [previewProblem, setPreviewProblem] = useState("");
  const [duration, setDuration] = useState("");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState("");

  useEffect(() => {
    let live = true;
    apiFor(space)
      .then((api) => api.petition.preview(sameAccess(petition)))
      .then((answer) => live && setPreview({ answer, at: Date.now() }))
      .catch((e: unknown) => live && setPreviewProblem(`${problemOf(e)} Close this and try again, or ask an admin of the space.`));
    return () => {
      live = false;
    };
  }, [space, petition]);

  // An extension is for a time: until revoked is asked for with a new request.
  const limits = preview ? durationChoices(preview.answer.review) : null;
  const choices = (limits?.choices ?? []).filter((choice) => choice.value !== UNTIL_REVOKED);
  const chosen = choices.some((c) => c.value === duration) ? duration : (limits?.preselected ?? "");

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem("");
    try {
      const extension = await (
        await apiFor(space)
      ).petition.extend(petition.name, {
        ...(chosen ? { duration: chosen } : {}),
        ...(reason.trim() ? { reason } : {}),
      });
      navigate(spaceHref(space, `/petitions/${extension.name}`));
    } catch (e) {
      setProblem(`${problemOf(e)} Change the request and send it again, or reload the page to see where your access stands.`);
      setBusy(false);
    }
  }

  return (
    <RequestDialog
      title="Ask for more time?"
      description={
        <>
          Your access to {what} ends at {when(petition.meta.expireTime)}. More time is a new request for the same access, reviewed under the
          space's policy; once it is approved, your access goes on without a gap.
        </>
      }
      onClose={onClose}
    >
      <form onSubmit={submit} className="request-form request-extend">
        <div className="request-field">
          <label>
            For how long
            <select
              value={chosen}
              onChange={(e) => setDuration(e.target.value)}
              disabled={limits === null}
              aria-describedby="extend-duration-help"
            >
              {limits === null && <option value="">reading the policy…</option>}
              {choices.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
          </label>
          <p id="extend-duration-help" className="hint">
            From when it is approved; the durations the space's policy allows for this access.
          </p>
        </div>
        <label>
          Why do you need more time? (optional)
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} />
        </label>
        {preview && <ReviewPreview preview={preview.answer} now={preview.at} />}
        <Problem text={previewProblem} />
        <div className="request-actions">
          <button type="submit" className="approve" disabled={busy || limits === null}>
            Ask for more time
          </button>
          <button type="button" onClick={onClose}>
            Keep as it is
          </button>
        </div>
        <Problem text={problem} />
      </form>
    </RequestDialog>
  );
}
