import type { Petition } from "@greenlight/sdk";
import { useState } from "react";
import { DURATIONS, shortDuration } from "../format.js";
import { apiFor } from "../session.js";

/** Approve (for a duration) or deny (with a reason), in one click each. */
export function ReviewButtons({ space, petition, onDone }: { space: string; petition: Petition; onDone: () => void }) {
  const [duration, setDuration] = useState(shortDuration(petition.defaultDuration) || "1h");
  const [reason, setReason] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function decide(decision: "approve" | "deny") {
    setBusy(true);
    setError("");
    try {
      const api = await apiFor(space);
      if (decision === "approve") await api.petition.approve(petition.name, { duration, reason: reason || "approved in the web UI" });
      else await api.petition.deny(petition.name, reason || "denied in the web UI");
      onDone();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
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
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}
