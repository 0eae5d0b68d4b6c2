import type { Delivery, Grant, Petition } from "@greenlight/sdk";
import { useEffect, useState } from "react";
import { status, what, when, who } from "../format.js";
import { problemOf } from "../problem.js";
import { apiFor, isSpaceAdmin } from "../session.js";
import { usePageTitle } from "../components/usePageTitle.js";
import { useAnnouncement } from "../review/Announcement.js";
import { Grants } from "../review/Grants.js";
import { ReviewFacts } from "../review/ReviewFacts.js";
import "../review/review.css";
import { RequestActions } from "../request/RequestActions.js";
import { ReviewButtons } from "./ReviewButtons.js";

/**
 * One petition, as a reviewer decides it (where Slack's links land): who, what, why, its risk,
 * the rules and plan it was made under and how far its approvals have come, its state (updated
 * live: a long-poll while it is open, a fresh read every few seconds after), its grants and what
 * the integrations did with them (failures marked as problems), its whole timeline (with what
 * was delivered about it, for space admins), and revoke for granted access.
 */
export function PetitionPage({ space, name, email }: { space: string; name: string; email: string }) {
  const [petition, setPetition] = useState<Petition | null>(null);
  const [grants, setGrants] = useState<Grant[]>([]);
  const [deliveries, setDeliveries] = useState<Delivery[]>([]);
  const [admin, setAdmin] = useState(false);
  const [error, setError] = useState("");
  const [tick, setTick] = useState(0);

  // Grants and deliveries change after the decision too (provisioning, retries): read them on each turn.
  useEffect(() => {
    let live = true;
    (async () => {
      const api = await apiFor(space);
      const isAdmin = await isSpaceAdmin(space);
      const [grantPage, deliveryPage] = await Promise.all([
        api.grant.list({ petition: name, pageSize: 100 }),
        isAdmin ? api.petition.deliveries(name, { pageSize: 100 }) : Promise.resolve({ deliveries: [] }),
      ]);
      if (!live) return;
      setAdmin(isAdmin);
      setGrants(grantPage.grants);
      setDeliveries(deliveryPage.deliveries);
    })().catch((e: unknown) => live && setError(problemOf(e)));
    return () => {
      live = false;
    };
  }, [space, name, tick, petition?.state.status.phase]);

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

  const { announce, region } = useAnnouncement();
  usePageTitle(petition ? `${petition.resources.map(what).join(", ")} (${status(petition)})` : "Petition", space);

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
  // One approval each: after it, the petition waits for the others its steps need.
  const reviewedByMe = petition.state.eventHistory.some(
    (e) => (e.event === "access/approve" || e.event === "access/deny") && e.actor.email?.toLowerCase() === email,
  );
  const timeline = [
    ...petition.state.eventHistory.map((event) => ({
      key: event.id,
      time: event.timestamp,
      item: (
        <>
          <strong>{event.event}</strong> by {who(event.actor)} · {when(event.timestamp)}
          {event.reason ? <div className="reason">{event.reason}</div> : null}
        </>
      ),
    })),
    ...deliveries.map((delivery) => {
      const time = delivery.deliveredTime ?? delivery.lastAttemptTime ?? delivery.createTime;
      return {
        key: delivery.id,
        time,
        item: (
          <span data-delivery={delivery.id}>
            <strong>{delivery.event}</strong> sent to {delivery.receiver.kind} <code>{delivery.receiver.name}</code>:{" "}
            <span className={`delivery delivery-${delivery.status}`}>{delivery.status}</span>
            {delivery.attempts > 0 ? ` after ${delivery.attempts} attempt${delivery.attempts === 1 ? "" : "s"}` : ""}
            {delivery.lastStatus ? ` (HTTP ${delivery.lastStatus})` : ""} · {when(time)}
            {delivery.lastError ? <div className="reason">{delivery.lastError}</div> : null}
            {delivery.nextAttemptTime ? <div className="reason">next attempt {when(delivery.nextAttemptTime)}</div> : null}
          </span>
        ),
      };
    }),
  ].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  return (
    <section aria-labelledby="petition-title">
      <h1 id="petition-title" className="petition-title">
        {petition.resources.map(what).join(", ")}
      </h1>
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
      <ReviewFacts petition={petition} />
      {petition.state.status.phase === "open" && reviewedByMe && (
        <p className="hint">You approved it; it waits for the other approvals it needs.</p>
      )}
      {petition.state.status.phase === "open" && !mine && !reviewedByMe && (
        <ReviewButtons
          space={space}
          petition={petition}
          onDecided={(said) => {
            announce(said);
            setTick((n) => n + 1);
          }}
        />
      )}
      {region}
      {mine ? (
        // The requester's own: cancel it, end the access it gave (confirmed first), ask again.
        <RequestActions space={space} petition={petition} onChanged={() => setTick((n) => n + 1)} />
      ) : (
        petition.state.status.phase === "granted" && (
          <button type="button" className="deny" onClick={() => void revoke()}>
            Revoke access
          </button>
        )
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <Grants grants={grants} deliveries={deliveries} admin={admin} />
      <h2>Timeline</h2>
      <ol className="timeline" aria-label="Timeline">
        {timeline.map((entry) => (
          <li key={entry.key}>{entry.item}</li>
        ))}
      </ol>
    </section>
  );
}
