import type { Petition } from "@greenlight/sdk";
import { useEffect, useState } from "react";
import { status, what, when, who } from "../format.js";
import { apiFor } from "../session.js";
import { ReviewButtons } from "./ReviewButtons.js";

/**
 * One petition: who, what, why, its state (updated live: a long-poll while it is open, a
 * fresh read every few seconds after), its whole timeline, and revoke for granted access.
 */
export function PetitionPage({ space, name, email }: { space: string; name: string; email: string }) {
  const [petition, setPetition] = useState<Petition | null>(null);
  const [error, setError] = useState("");
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const stop = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    (async () => {
      try {
        const api = await apiFor(space);
        const first = await api.petition.get(name, { signal: stop.signal });
        setPetition(first);
        // Open: wait for the decision (released within milliseconds of it); otherwise look again soon.
        const next = first.state.status.phase === "open" ? await api.petition.poll(name, 25_000, stop.signal) : first;
        setPetition(next);
        timer = setTimeout(() => setTick((n) => n + 1), next.state.status.phase === "open" ? 0 : 3000);
      } catch (e) {
        if (!stop.signal.aborted) {
          setError((e as Error).message);
          timer = setTimeout(() => setTick((n) => n + 1), 5000);
        }
      }
    })();
    return () => {
      stop.abort();
      clearTimeout(timer);
    };
  }, [space, name, tick]);

  async function revoke() {
    try {
      const api = await apiFor(space);
      await api.petition.revoke(name, "revoked in the web UI");
      setTick((n) => n + 1);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  if (!petition) return <p>{error || "Loading…"}</p>;
  const mine = petition.petitioners.some((r) => r.email?.toLowerCase() === email);
  return (
    <section aria-labelledby="petition-title">
      <h1 id="petition-title">{petition.resources.map(what).join(", ")}</h1>
      <p>
        Status:{" "}
        <span className={`status status-${petition.state.status.phase}`} data-testid="petition-status">
          {status(petition)}
        </span>
        {petition.meta.expireTime ? ` · until ${when(petition.meta.expireTime)}` : ""}
      </p>
      <dl className="facts">
        <dt>Who</dt>
        <dd>{petition.petitioners.map(who).join(", ")}</dd>
        <dt>Why</dt>
        <dd>{petition.reason || "no reason given"}</dd>
        <dt>Asked</dt>
        <dd>{when(petition.meta.createTime)}</dd>
      </dl>
      {petition.state.status.phase === "open" && !mine && (
        <ReviewButtons space={space} petition={petition} onDone={() => setTick((n) => n + 1)} />
      )}
      {petition.state.status.phase === "granted" && (
        <button type="button" className="deny" onClick={() => void revoke()}>
          Revoke access
        </button>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <h2>Timeline</h2>
      <ol className="timeline" aria-label="Timeline">
        {petition.state.eventHistory.map((event) => (
          <li key={event.id}>
            <strong>{event.event}</strong> by {who(event.actor)} · {when(event.timestamp)}
            {event.reason ? <div className="reason">{event.reason}</div> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
