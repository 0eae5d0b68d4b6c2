import type { DeliveryStatus } from "@greenlight/sdk";
import { useEffect, useState } from "react";
import { when } from "../format.js";
import { problemOf } from "../problem.js";
import { linkProps, spaceHref } from "../router.js";
import { apiFor } from "../session.js";
import { Pager } from "./Pager.js";
import { Problem } from "./Problem.js";
import { usePolled } from "./usePolled.js";

const STATUSES: Array<DeliveryStatus | ""> = ["", "failed", "pending", "delivered", "cancelled"];

/**
 * One webhook's or subscription's delivery log, newest first, read again every few seconds:
 * each delivery's status, attempts and the receiver's last answer, and Redeliver for one
 * that failed or waits.
 */
export function DeliveryLog({ space, receiver, name }: { space: string; receiver: "webhook" | "subscription"; name: string }) {
  const [status, setStatus] = useState<DeliveryStatus | "">("");
  const [pages, setPages] = useState([""]);
  const [notes, setNotes] = useState(new Map<string, { ok: boolean; text: string }>());
  const {
    value: page,
    error,
    refresh,
  } = usePolled(
    async () => (await apiFor(space))[receiver].deliveries(name, { pageSize: 25, pageToken: pages.at(-1), ...(status ? { status } : {}) }),
    [space, receiver, name, status, pages],
  );
  const deliveries = page?.deliveries ?? null;

  useEffect(() => setPages([""]), [status]);

  async function redeliver(id: string) {
    try {
      await (await apiFor(space))[receiver].redeliver(name, id);
      setNotes((known) => new Map(known).set(id, { ok: true, text: "Sent again: it is due now." }));
      refresh();
    } catch (e) {
      setNotes((known) => new Map(known).set(id, { ok: false, text: problemOf(e) }));
    }
  }

  return (
    <section aria-labelledby="log-title">
      <h2 id="log-title">Deliveries of {name}</h2>
      <div className="filters">
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value as DeliveryStatus | "")}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s || "all"}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Problem text={error} />
      {deliveries !== null && deliveries.length === 0 && <p>No deliveries{status ? ` ${status}` : ""}.</p>}
      <ul className="petitions" aria-label={`Deliveries of ${name}`}>
        {(deliveries ?? []).map((d) => {
          const note = notes.get(d.id);
          return (
            <li key={d.id} className="card" data-delivery={d.id}>
              <div className="row">
                <strong>{d.event}</strong>
                <span className={`delivery delivery-${d.status}`}>{d.status}</span>
                <code>{d.id}</code>
              </div>
              <p>
                {d.petition ? (
                  <>
                    <a {...linkProps(spaceHref(space, `/petitions/${d.petition}`))}>Petition {d.petition}</a> ·{" "}
                  </>
                ) : null}
                {d.attempts} attempt{d.attempts === 1 ? "" : "s"}
                {d.lastStatus ? ` · HTTP ${d.lastStatus}` : ""}
                {d.lastAttemptTime ? ` · last ${when(d.lastAttemptTime)}` : ""}
                {d.nextAttemptTime ? ` · next ${when(d.nextAttemptTime)}` : ""}
                {d.waitingFor ? ` · waits for its ${d.waitingFor} to be delivered` : ""}
              </p>
              {d.lastError && <p className="reason">{d.lastError}</p>}
              {d.status !== "delivered" && (
                <button type="button" onClick={() => void redeliver(d.id)} aria-describedby={note ? `note-${d.id}` : undefined}>
                  Redeliver
                </button>
              )}
              {note && (
                <p id={`note-${d.id}`} className={note.ok ? "ok" : "error"} role={note.ok ? "status" : "alert"}>
                  {note.text}
                </p>
              )}
            </li>
          );
        })}
      </ul>
      <Pager label="Pages of deliveries" pages={pages} next={page?.nextPageToken ?? ""} onPage={setPages} />
    </section>
  );
}
