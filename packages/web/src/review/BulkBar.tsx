import type { Petition } from "@greenlight/sdk";
import { useId, useRef, useState } from "react";
import { apiFor } from "../session.js";
import type { Said } from "./Announcement.js";
import { decideEach, summarize } from "./bulk.js";
import "./review.css";

/**
 * Approve or deny the selected petitions together: each is sent as its own claim, and what
 * came of each is summed up in sentences. High-risk petitions never get here (they cannot be
 * selected; the server would refuse them without a fresh sign-in anyway). A bulk denial needs
 * one reason, given to each.
 */
export function BulkBar({ space, selected, onDecided }: { space: string; selected: Petition[]; onDecided: (said: Said) => void }) {
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState("");
  const [busy, setBusy] = useState(false);
  const reasonInput = useRef<HTMLInputElement>(null);
  const problemId = useId();
  const n = selected.length;

  async function decide(decision: "approve" | "deny") {
    if (decision === "deny" && !reason.trim()) {
      setProblem("Say why you deny them: each requester reads the reason. Then press Deny selected again.");
      reasonInput.current?.focus();
      return;
    }
    setProblem("");
    setBusy(true);
    try {
      const outcomes = await decideEach(await apiFor(space), selected, decision, reason.trim());
      setReason("");
      onDecided({ tone: outcomes.every((o) => o.ok) ? "ok" : "problem", text: summarize(decision, outcomes) });
    } catch (e) {
      onDecided({ tone: "problem", text: `Nothing was decided: ${(e as Error).message}. Try again in a moment.` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="bulk" role="group" aria-label="Decide the selected petitions">
      <p className="bulk-count" aria-live="polite">
        {n === 0 ? "Select petitions to decide several at once." : `${n} selected.`}
      </p>
      <label>
        Reason for all
        <input
          ref={reasonInput}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="needed to deny"
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? problemId : undefined}
        />
      </label>
      <button type="button" className="approve" disabled={busy || n === 0} onClick={() => void decide("approve")}>
        Approve selected ({n})
      </button>
      <button type="button" className="deny" disabled={busy || n === 0} onClick={() => void decide("deny")}>
        Deny selected ({n})
      </button>
      {problem && (
        <p role="alert" className="error" id={problemId}>
          {problem}
        </p>
      )}
    </div>
  );
}
