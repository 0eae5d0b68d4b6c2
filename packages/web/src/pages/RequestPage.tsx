import type { Resource } from "@greenlight/sdk";
import { useEffect, useState, type FormEvent } from "react";
import { what } from "../format.js";
import { navigate } from "../router.js";
import { apiFor } from "../session.js";
import { DURATIONS } from "../format.js";

/** The catalog of requestable resources, searchable, and the request form. */
export function RequestPage({ space, email }: { space: string; email: string }) {
  const [resources, setResources] = useState<Resource[] | null>(null);
  const [search, setSearch] = useState("");
  const [kind, setKind] = useState("");
  const [chosen, setChosen] = useState<Resource | null>(null);
  const [reason, setReason] = useState("");
  const [duration, setDuration] = useState("1h");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    apiFor(space)
      .then((api) => api.resource.list({ view: "requestable", pageSize: 100 }))
      .then((page) => setResources(page.resources))
      .catch((e: unknown) => setError(String((e as Error).message ?? e)));
  }, [space]);

  const kinds = [...new Set((resources ?? []).map((r) => r.kind))].sort();
  const needle = search.trim().toLowerCase();
  const shown = (resources ?? []).filter(
    (r) =>
      (kind === "" || r.kind === kind) && (needle === "" || [r.displayName, r.id, r.kind].some((f) => f?.toLowerCase().includes(needle))),
  );

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!chosen) return;
    setBusy(true);
    setError("");
    try {
      const api = await apiFor(space);
      const petition = await api.petition.create({
        petitioners: [{ kind: "user", email }],
        resources: [{ kind: chosen.kind, ...(chosen.id ? { id: chosen.id } : {}) }],
        reason,
        defaultDuration: duration,
      });
      navigate(`/spaces/${space}/petitions/${petition.name}`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="request-title">
      <h1 id="request-title">Request access</h1>
      <div className="filters">
        <label>
          Search
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="name, id or kind" />
        </label>
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">all kinds</option>
            {kinds.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
      </div>
      {resources === null && !error && <p>Loading the catalog…</p>}
      <ul className="catalog" aria-label="Requestable resources">
        {shown.map((r) => (
          <li key={`${r.kind}/${r.id}`}>
            <button type="button" aria-pressed={chosen === r} onClick={() => setChosen(r)}>
              {what(r)}
            </button>
          </li>
        ))}
      </ul>
      {resources !== null && shown.length === 0 && <p>Nothing requestable matches.</p>}
      {chosen && (
        <form onSubmit={submit} className="card" aria-label="Request form">
          <h2>{what(chosen)}</h2>
          <label>
            Why do you need it?
            <textarea required value={reason} onChange={(e) => setReason(e.target.value)} rows={3} />
          </label>
          <label>
            For how long
            <select value={duration} onChange={(e) => setDuration(e.target.value)}>
              {DURATIONS.map((d) => (
                <option key={d}>{d}</option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={busy}>
            Request
          </button>
        </form>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
